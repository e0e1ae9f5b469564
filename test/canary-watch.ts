import { LoggingMessageNotificationSchema, type ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { Secrets } from '../src/core/secrets.js';
import { startHarness, type CallOutcome, type Harness, type HarnessOptions } from './harness.js';

/**
 * The watched servers stand for sessions of one server process on the operator's credentials (stdio, or HTTP
 * sessions without tenant credentials): they share its registry, so a secret one session saw is masked in every one.
 */
const oneProcess = new Secrets();

/** Watching a server for canaries: everything it puts out, kept for inspection, and the check that none leaked. */

/** Everything that left a server, labelled by where it came from. */
export type Corpus = Array<{ where: string; text: string }>;

export interface Watched {
  harness: Harness;
  corpus: Corpus;
  call(name: string, args?: Record<string, unknown>): Promise<CallOutcome | undefined>;
}

/** A harness whose every output (results, errors, log lines, MCP log messages, questions) is kept for inspection. */
export async function watched(label: string, options: HarnessOptions): Promise<Watched> {
  const corpus: Corpus = [];
  const onElicit = options.onElicit;
  const harness = await startHarness({
    secrets: oneProcess,
    ...options,
    ...(onElicit && {
      onElicit: (request: ElicitRequest['params']) => {
        corpus.push({ where: `${label} question`, text: JSON.stringify(request) });
        return onElicit(request);
      },
    }),
  });
  harness.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    corpus.push({ where: `${label} MCP log`, text: JSON.stringify(notification.params) });
  });
  await harness.client.setLoggingLevel('debug');
  return {
    harness,
    corpus,
    async call(name, args = {}) {
      try {
        const result = await harness.call(name, args);
        corpus.push({ where: `${label} ${name} result`, text: result.text });
        if (result.structured) corpus.push({ where: `${label} ${name} structuredContent`, text: JSON.stringify(result.structured) });
        return result;
      } catch (error) {
        corpus.push({ where: `${label} ${name} thrown`, text: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
        return undefined;
      }
    },
  };
}

/** All output of a watched harness, its debug log lines included. */
export const everything = (w: Watched): Corpus => [...w.corpus, ...w.harness.logLines.map((line) => ({ where: 'server log', text: line }))];

/** The forms a secret may be echoed back in. */
export function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [secret, encodeURIComponent(secret), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex'), secret.toUpperCase(), secret.toLowerCase()];
}

/** The ways an echo may hide a secret from a plain search: reversed, cut to its first 8 characters (digits aside). */
export function evasions(secret: string): string[] {
  if (/^\d+$/.test(secret)) return [];
  return [[...secret].reverse().join(''), ...(secret.length > 8 ? [secret.slice(0, 8)] : [])];
}

/** Format characters (zero-width, bidi controls) are invisible: a canary with them inside is still shown. */
const visible = (text: string) => text.replace(/\p{Cf}/gu, '');

/** Every canary that came out (in any of its encodings or evasions), with up to three places where it did. */
export function expectAbsent(corpus: Corpus, secrets: Record<string, string | undefined>) {
  const leaked: Record<string, string[]> = {};
  for (const [name, secret] of Object.entries(secrets)) {
    if (!secret) continue;
    const forms = [...encodings(secret), ...evasions(secret)];
    const places = corpus.filter((entry) => forms.some((form) => visible(entry.text).includes(form)));
    if (places.length) leaked[name] = [`${places.length} place(s), e.g.:`, ...places.slice(0, 3).map((entry) => `${entry.where}: ${entry.text.slice(0, 300)}`)];
  }
  expect(leaked, 'canaries that left the server').toEqual({});
}
