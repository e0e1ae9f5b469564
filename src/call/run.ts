import { YemotError } from '../client/errors.js';
import { secretKey } from '../core/secrets.js';
import type { z } from 'zod';
import { actionOf, actionParamOf, callName, commandOf, effectOf, escalationOf, localEffectsOf, needsYes, verifyToolOf, type Effect, type Input, type ReadBack, type ToolSpec } from './command.js';
import { CONFIRM_PARAM, confirmCall } from './confirm.js';
import { wireAnswerKind, type ContentBlock } from './content.js';
import { conform } from './conform.js';
import type { ToolContext } from './context.js';
import type { Interaction } from './interaction.js';
import { checkMfa } from './mfa-gate.js';
import { judge } from './outcome.js';
import { effectAllowed } from './policy.js';
import { expandIndexed, INDEXED_LISTS, JOINED_LISTS, unwrapOptional } from './params.js';
import { handOver } from './hand-over.js';
import { present, scrubDeep } from './present.js';
import { readable } from './readable.js';
import { shape } from './shape.js';
import { capResult, DEFAULT_MAX_RESULT_CHARS } from './result-cap.js';
import { jsonSchemasOf, validate } from './schema.js';
import { REPEAT_PARAM, type SpendClaim, type SpendRecord } from './spend-guard.js';
import type { Cut } from '../client/json-cut.js';
import { deliver, MAX_UPLOAD_FILE_BYTES, readingOf, type Reading } from './transfers.js';

export interface ToolOutcome {
  isError: boolean;
  structured: Record<string, unknown>;
  /** The compact JSON of `structured` first, then any media of the answer (a file's audio, image or bytes). */
  content: ContentBlock[];
}

const invalid = (spec: ToolSpec, problems: string[]) =>
  new YemotError('INVALID_INPUT', `${spec.name}: ${problems.join('; ')}`, { hint: 'Fix the named field(s) and call again; nothing was sent.' });

const OWN_PARAMS = new WeakMap<ToolSpec, ReadonlySet<string>>();

/** The params that never go on the wire (ours, the entry's local ones, the action's selector), once per entry. */
function ownParamsOf(spec: ToolSpec): ReadonlySet<string> {
  let own = OWN_PARAMS.get(spec);
  if (!own) OWN_PARAMS.set(spec, (own = new Set([REPEAT_PARAM, CONFIRM_PARAM, actionParamOf(spec), ...(spec.local ?? [])])));
  return own;
}

/**
 * The wire parameters: the input without our own params (`repeat`, the entry's `local` ones), lists in
 * their indexed wire form, and the action under the API's field name (a command family sends none).
 */
function wireParams(spec: ToolSpec, action: string | undefined, input: Input): Input {
  const own = ownParamsOf(spec);
  const entries = Object.entries(input).flatMap(([key, value]): Array<[string, unknown]> => {
    if (own.has(key)) return [];
    const schema = Object.hasOwn(spec.params, key) ? unwrapOptional(spec.params[key] as z.ZodType) : undefined;
    const separator = schema && JOINED_LISTS.get(schema);
    if (separator !== undefined && Array.isArray(value)) return [[key, value.join(separator)]];
    return schema && INDEXED_LISTS.has(schema) ? expandIndexed(key, value) : [[key, value]];
  });
  if (action !== undefined && spec.selects !== 'command') entries.push([actionParamOf(spec), spec.actions?.[action]?.value?.(input) ?? action]);
  // Data properties only: a key such as __proto__ stays a key, never a prototype.
  return Object.fromEntries(entries);
}

/** Runs one tool call: validate, police, gate two-factor, confirm, claim, send, judge, present, cap. Never throws. */
export async function runTool(ctx: ToolContext, listed: ToolSpec, args: unknown, interaction: Interaction, signal?: AbortSignal): Promise<ToolOutcome> {
  // Checked against the table's entry, not the narrowed listing: an action the policy hides is refused by name (NOT_ALLOWED).
  const spec = listed.narrowedFrom ?? listed;
  let effect: Effect = spec.effect;
  let token: string | undefined;
  let action: string | undefined;
  try {
    const validation = validate(spec, args);
    if (!validation.ok) throw invalid(spec, validation.problems);
    const input = validation.input;
    action = actionOf(spec, input);
    effect = effectOf(spec, action, input);
    for (const [param, needed] of [[undefined, effect] as const, ...localEffectsOf(spec, input)]) {
      if (effectAllowed(ctx.policy, spec, needed)) continue;
      const escalation = escalationOf(spec, action);
      const because = param === undefined && escalation && needed === escalation.to ? ` (${escalation.why})` : '';
      const what = param === undefined ? `${callName(spec, action)} is a ${needed} call${because}` : `${callName(spec, action)} with ${param} is a ${needed} on this server's machine`;
      throw new YemotError('NOT_ALLOWED', `${what}, which this server's operator does not allow`, {
        command: commandOf(spec, action),
        hint: 'Nothing was sent. The operator chooses allowed effects with YEMOT_ALLOW / --allow.',
      });
    }
    const refusal = spec.refuse?.(ctx, input);
    if (refusal) throw refusal;
    const repeat = input[REPEAT_PARAM] === true;
    // Single-use tokens keep their promise only while their store answers (STORE_UNAVAILABLE), so nobody is asked
    // about a call that cannot go; a spend meets the store anyway, in the ledger, before anything is sent.
    if (effect !== 'spend' && needsYes(spec, effect, input)) await ctx.store.ready();
    // Seen before anything else happens: nobody is asked to confirm a spend that would be refused as a repeat.
    // A call that brings its token was asked about already: the token answers first, the claim catches a repeat.
    if (effect === 'spend' && !repeat && input[CONFIRM_PARAM] === undefined) {
      const held = await ctx.ledger.previous(await ctx.account(), spec, input);
      if (held) throw duplicate(spec, action, held);
    }
    await checkMfa(ctx, spec, action, interaction, signal);
    const seen = await confirmCall(ctx, spec, action, effect, input, interaction, signal);
    token = await ctx.session.currentToken(signal);
    // Any input under a secret key (a code, a password being set) is scrubbed from everything from now on.
    for (const [key, value] of Object.entries(input)) if (secretKey(key)) ctx.secrets.add(value);
    const command = commandOf(spec, action);
    if (ctx.log.enabled('debug')) ctx.log.debug(`call ${spec.name} -> ${callName(spec, action)}`);
    const wire = wireParams(spec, action, spec.prepare ? await spec.prepare(ctx, input) : input);
    const reading = await readingOf(ctx, spec, input);
    const claim = effect === 'spend' ? await claimSpend(ctx, spec, action, input, repeat) : undefined;
    const sent = send(ctx, spec, command, wire, effect, interaction, reading, signal, seen);
    const { renewed, ...reply } = claim ? await settle(ctx, claim, sent) : await sent;
    if (renewed) ctx.mfa.forget(token);
    if (reply.kind === 'json') spec.onAnswer?.(ctx, { token: renewed ? await ctx.session.currentToken(signal) : token, action, answer: reply.answer });
    const { fields, media, cuts } = deliver(ctx, spec, input, reply, reading);
    const handed = await handOver(ctx, spec, fields, interaction);
    const structured = { ...shape(spec, input, judge(ctx, spec, action, input, fields, present(fields, ctx.secrets, ctx.reveal))), ...handed };
    const read = spec.readBack?.(input);
    if (read) Object.assign(structured, await readBack(ctx, read, signal));
    if (renewed) {
      structured.notice = 'The session had expired; a new one was opened by Login and the call repeated once. Two-factor verification of the old session (including hard authentication) was lost with it.';
    }
    return finish(false, conform(structured, jsonSchemasOf(spec).output), media, spec.narrowWith, cuts);
  } catch (error) {
    return finish(true, failure(ctx, spec, action, effect, token, error, signal), []);
  }
}

/** The result as the agent gets it: serialized once, cut to the context cap when over it or cut while read. */
function finish(isError: boolean, result: Record<string, unknown>, media: ContentBlock[], narrowWith?: string, cuts?: Cut[]): ToolOutcome {
  const text = JSON.stringify(result);
  if (text.length <= DEFAULT_MAX_RESULT_CHARS && !cuts?.length) return { isError, structured: result, content: [{ type: 'text', text }, ...media] };
  const structured = capResult(result, { narrowWith, cuts, length: text.length });
  return { isError, structured, content: [{ type: 'text', text: JSON.stringify(structured) }, ...media] };
}

/** One request, or the entry's own transfer (several requests) when it takes the call. */
async function send(ctx: ToolContext, spec: ToolSpec, command: string, wire: Input, effect: Effect, interaction: Interaction, reading: Reading, signal?: AbortSignal, seen?: string) {
  const transferred = spec.transfer && (await spec.transfer({ ctx, command, progress: interaction.progress, signal, seen }, wire));
  if (transferred) return { ...transferred, renewed: false };
  // A multipart command goes as a form when this call carries no file (SendFax with a URL).
  const uploading = typeof spec.request === 'object' && wire[spec.request.multipart] !== undefined;
  const request = typeof spec.request === 'object' && !uploading ? 'form' : spec.request;
  // A file comes back whole: as large as a file may be uploaded, and on the transfer deadline.
  const downloading = wireAnswerKind(spec) === 'binary';
  const timeoutMs = uploading || downloading ? ctx.transfers.timeoutMs : undefined;
  const maxBytes = downloading ? MAX_UPLOAD_FILE_BYTES : undefined;
  return ctx.session.call(command, wire, { request, answer: wireAnswerKind(spec), retry: effect === 'read', signal, timeoutMs, maxBytes, ...reading });
}

/** What a write left behind, read once more so the agent sees the result, not a bare OK; a failed read is a warning. */
async function readBack(ctx: ToolContext, read: ReadBack, signal?: AbortSignal): Promise<Record<string, unknown>> {
  try {
    const { answer } = await ctx.session.call(read.command, read.params, { retry: true, signal });
    const shown = present(answer, ctx.secrets, ctx.reveal);
    const warning = read.warn?.(answer);
    return readable({ [read.as ?? 'now']: read.show === undefined ? shown : shown[read.show], ...(warning && { warning }) });
  } catch (error) {
    const code = error instanceof YemotError ? error.code : 'INTERNAL';
    return { warning: `Done, but reading it back with ${read.command} failed (${code}); check it before relying on it.` };
  }
}

/** The spend is claimed in the account's ledger just before it is sent: of identical calls made at once, one wins. */
async function claimSpend(ctx: ToolContext, spec: ToolSpec, action: string | undefined, input: Input, repeat: boolean): Promise<SpendClaim> {
  const claimed = await ctx.ledger.claim(await ctx.account(), spec, input, repeat);
  if ('held' in claimed) throw duplicate(spec, action, claimed.held);
  return claimed.claim;
}

function duplicate(spec: ToolSpec, action: string | undefined, held: SpendRecord): YemotError {
  const secondsAgo = Math.max(0, Math.round((Date.now() - held.at) / 1000));
  const firstSentAt = new Date(held.at).toISOString();
  const verifyWith = verifyToolOf(spec, action);
  const check = verifyWith ? `${verifyWith} or the Yemot website` : 'the Yemot website';
  const said =
    held.state === 'claimed'
      ? `${spec.name} with these same arguments is being sent right now (started ${secondsAgo}s ago, ${firstSentAt})`
      : held.state === 'unknown'
        ? `${spec.name} with these same arguments went ${secondsAgo}s ago (${firstSentAt}) and its outcome is unknown`
        : `${spec.name} with these same arguments was sent ${secondsAgo}s ago (${firstSentAt})`;
  return new YemotError('DUPLICATE_SPEND', said, {
    command: spec.command,
    details: { firstSentAt, secondsAgo, state: held.state },
    hint: `Nothing was sent. Check on ${check} whether the first one went out; call again with ${REPEAT_PARAM}: true only if the person wants it sent twice.`,
  });
}

/**
 * A spend answered is sent; one refused before it was carried out frees its claim; one that may have landed is
 * unknown. A store that fails to record it changes nothing the caller hears: the claim stays, and reads as an
 * unknown outcome once this process stops vouching for it.
 */
async function settle<T>(ctx: ToolContext, claim: SpendClaim, sent: Promise<T>): Promise<T> {
  const unrecorded = (error: unknown) => ctx.log.warn(`the ledger did not record how a spend ended (${error instanceof YemotError ? error.code : String(error)}); it reads as an unknown outcome`);
  let result: T;
  try {
    result = await sent;
  } catch (error) {
    await (error instanceof YemotError && !error.outcomeUnknown ? claim.release() : claim.unknown()).catch(unrecorded);
    throw error;
  }
  await claim.sent().catch(unrecorded);
  return result;
}

function failure(ctx: ToolContext, spec: ToolSpec, action: string | undefined, effect: Effect, token: string | undefined, error: unknown, signal?: AbortSignal): Record<string, unknown> {
  const known = error instanceof YemotError ? error : unexpected(ctx, spec, error, signal);
  if (token && (known.code === 'MFA_REQUIRED' || known.code === 'SESSION_EXPIRED') && known.status) ctx.mfa.forget(token);
  const json = known.toJSON();
  const meaning = typeof json.messageCode === 'number' ? spec.codes?.[json.messageCode] : undefined;
  if (meaning) json.meaning = meaning;
  if (effect === 'read') {
    delete json.outcomeUnknown;
  } else if (known.outcomeUnknown) {
    const verifyWith = verifyToolOf(spec, action);
    const check = verifyWith ? `check with ${verifyWith} (or the Yemot website)` : 'check on the Yemot website';
    json.next = `The outcome is unknown: the request may have reached Yemot and was not repeated. Do not repeat it blindly; ${check} first.`;
  }
  ctx.log.log(known.code === 'INTERNAL' ? 'error' : 'info', `${spec.name}: ${known.code} ${known.message}`);
  return scrubDeep(json, ctx.secrets) as Record<string, unknown>;
}

function unexpected(ctx: ToolContext, spec: ToolSpec, error: unknown, signal?: AbortSignal): YemotError {
  if (signal?.aborted) return new YemotError('CANCELLED', `${spec.name}: cancelled by the client`, { command: spec.command, outcomeUnknown: true, hint: 'Check the outcome before repeating the call.' });
  ctx.log.error(`${spec.name}: unexpected ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new YemotError('INTERNAL', `${spec.name}: an unexpected error occurred`, { command: spec.command, outcomeUnknown: true, hint: 'Report this to the operator; check the outcome before repeating the call.' });
}
