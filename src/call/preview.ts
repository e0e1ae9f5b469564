import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { callName, escalationOf, type Effect, type Input, type Quote, type ToolSpec } from './command.js';
import type { ToolContext } from './context.js';
import { PATH_FIELDS } from './ivr-path.js';
import { PHONE_FIELDS, unwrapOptional } from './params.js';
import { readable } from './readable.js';

/** What a spend costs, from the API's own data or the vendor's documented price. */
export interface Cost {
  unit: 'units' | 'SMS units';
  items?: number;
  perItem?: number;
  /** What one item is: `number`, `call`, `answered call for its first minute`. */
  per?: string;
  total?: number;
  /** The total is a ceiling (calls nobody answers cost less), not a price. */
  upTo?: boolean;
  note?: string;
}

/** The vendor's documented price per number reached (`perItem` of `unit` each), free where `free` says so. */
export interface Price {
  unit?: Cost['unit'];
  perItem?: number;
  per?: string;
  upTo?: true;
  note?: string;
  free?: (input: Input) => boolean;
}

/** A named list (tpl:, tzl:) with its numbers when it could be read: those it rings, and the blocked ones it skips. */
export interface ListNumbers {
  list: string;
  count?: number;
  first?: string[];
  blocked?: number;
}

/** What the person sees before a confirmed call: every fact they need to say yes, nothing they must look up. */
export interface Preview {
  command: string;
  effect: Effect;
  what: string;
  /** Why this call is stronger than the tool's usual effect (value 0 resumes the campaign). */
  because?: string;
  recipients?: { count: number; first: string[] } | ListNumbers;
  sender?: string;
  message?: string;
  files?: string[];
  cost?: Cost;
  balance?: { unit: Cost['unit']; now: number; after?: number };
  /** What a change set does to a file, as a unified diff, and what the settings reference says of it. */
  diff?: string;
  warnings?: string[];
  notes?: string[];
}

const FIRST = 5;
const MESSAGE_CHARS = 200;
/** The API's names for the text a call sends. */
const MESSAGE_PARAMS = ['ttsMessage', 'message', 'smsMessage', 'text', 'contents'];
/** The API's names for who the person will appear as. */
const SENDER_PARAMS = ['from', 'callerId'];

const schemaOf = (spec: ToolSpec, key: string) => (Object.hasOwn(spec.params, key) ? unwrapOptional(spec.params[key] as z.ZodType) : undefined);

/** Every number a phones value names, in order: "a:b", ["a"], [{phone}], [{phones: [...]}], {phone: {...}}. */
function numbersIn(value: unknown): string[] {
  if (typeof value === 'string') return value.split(':').filter(Boolean);
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value);
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return [item];
    const entry = item as { phone?: unknown; phones?: unknown };
    return Array.isArray(entry?.phones) ? entry.phones.map(String) : entry?.phone !== undefined ? [String(entry.phone)] : [];
  });
}

function recipientsOf(spec: ToolSpec, input: Input): Preview['recipients'] {
  for (const key of Object.keys(input)) {
    const schema = schemaOf(spec, key);
    if (!schema || PHONE_FIELDS.get(schema) !== 'list') continue;
    const value = input[key];
    if (typeof value === 'string' && /^(tpl|tzl):/i.test(value)) return { list: value };
    const numbers = numbersIn(value);
    return { count: numbers.length, first: numbers.slice(0, FIRST) };
  }
  return undefined;
}

/**
 * A list's numbers, read now: a person asked about "the list tpl:3" cannot tell how many it rings or what it costs
 * (an agent could not say). Blocked entries are not rung. A failed read leaves the name alone: it guards, it does not decide.
 */
export async function listNumbers(ctx: ToolContext, list: string, signal?: AbortSignal): Promise<ListNumbers> {
  const template = /^tpl:(\d+)$/i.exec(list)?.[1];
  const tzintuk = /^tzl:(.+)$/i.exec(list)?.[1];
  try {
    let rows: Array<{ phone?: unknown; blocked?: unknown; active?: unknown }> = [];
    if (template !== undefined) rows = arrayOf((await ctx.session.call('GetTemplateEntries', { templateId: Number(template) }, { retry: true, signal })).answer.entries);
    else if (tzintuk !== undefined) {
      const { answer } = await ctx.session.call('TzintukimListManagement', { action: 'getlistEnteres', TzintukimList: tzintuk }, { retry: true, signal });
      rows = arrayOf(answer.enteres).map((row) => ({ ...row, blocked: row.active === false }));
    } else return { list };
    const ringing = rows.filter((row) => row.blocked !== true).map((row) => String(row.phone));
    return { list, count: ringing.length, first: ringing.slice(0, FIRST), blocked: rows.length - ringing.length };
  } catch {
    return { list };
  }
}

const arrayOf = (value: unknown) => (Array.isArray(value) ? (value as Array<Record<string, unknown>>) : []);

function filesOf(spec: ToolSpec, input: Input): string[] | undefined {
  const files = Object.keys(input).flatMap((key) => {
    const schema = schemaOf(spec, key);
    if (!schema) return [];
    const isPath = PATH_FIELDS.has(schema) || (schema instanceof z.ZodUnion && schema.options.some((option) => PATH_FIELDS.has(option)));
    return isPath ? [input[key]].flat().map(String) : [];
  });
  return files.length ? files : undefined;
}

function messageOf(input: Input): string | undefined {
  const key = MESSAGE_PARAMS.find((name) => typeof input[name] === 'string');
  if (!key) return undefined;
  const text = input[key] as string;
  return text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}… (${text.length} characters)` : text;
}

function priceCost(spec: ToolSpec, input: Input, recipients: Preview['recipients']): Cost | undefined {
  const price = spec.price;
  if (!price) return undefined;
  const unit = price.unit ?? 'units';
  if (price.free?.(input)) return { unit, total: 0, note: 'free' };
  const items = recipients && 'count' in recipients ? recipients.count : undefined;
  const total = items === undefined || price.perItem === undefined ? undefined : Math.round(items * price.perItem * 100) / 100;
  return { unit, items, perItem: price.perItem, per: price.per, total, upTo: price.upTo, note: price.note };
}

/** The balance, and the expiry date when it is past (the readable flag of the vendor's own expiry field). */
async function balanceOf(ctx: ToolContext, unit: Cost['unit'], signal?: AbortSignal): Promise<{ now: number; expiredOn?: string } | undefined> {
  try {
    // SMS units are only in the full account data; units in the basic, lighter one.
    const sms = unit === 'SMS units';
    const { answer } = await ctx.session.call(sms ? 'GetCustomerData' : 'GetSession', {}, { retry: true, signal });
    const read = readable(answer);
    const value = Number(sms ? answer.smsUnits : answer.units);
    if (!Number.isFinite(value)) return undefined;
    const [date, flag] = sms ? ['smsUnitsExpireDate', 'smsUnitsExpired'] : ['unitsExpireDate', 'unitsExpired'];
    return { now: value, ...(read[flag] === true && { expiredOn: String(read[`${date}Iso`] ?? answer[date]) }) };
  } catch {
    return undefined;
  }
}

/**
 * The preview of one confirmed call, after the entry's prechecks: what the API would refuse that can be seen
 * first (an unapproved sender, a template without a message, a file that is not there, too few units) is refused
 * here, before the person is asked, and nothing is sent.
 */
export async function buildPreview(ctx: ToolContext, spec: ToolSpec, action: string | undefined, effect: Effect, input: Input, signal?: AbortSignal): Promise<{ preview: Preview; seen?: string }> {
  await spec.precheck?.(ctx, input, signal);
  const command = callName(spec, action);
  const escalation = escalationOf(spec, action);
  const confirmed = spec.confirmed && (spec.confirmed.when?.(input) ?? true) ? spec.confirmed.why : undefined;
  const because = escalation?.when(input) ? escalation.why : confirmed;
  const named = recipientsOf(spec, input);
  const recipients = named && 'list' in named ? await listNumbers(ctx, named.list, signal) : named;
  const quoted: Quote = spec.quote ? await spec.quote(ctx, input, signal) : {};
  const cost = quoted.cost ?? priceCost(spec, input, recipients);
  const preview: Preview = {
    command: quoted.command ?? command,
    effect,
    what: spec.confirm?.(input) ?? `${command} will ${effect === 'spend' ? 'spend units' : effect === 'delete' ? 'delete data for good' : effect === 'write' ? 'make a change' : 'make a change that cannot be undone'}.`,
    ...(because && { because }),
    ...(recipients && { recipients }),
    ...(SENDER_PARAMS.some((name) => input[name] !== undefined) && { sender: String(input[SENDER_PARAMS.find((name) => input[name] !== undefined)!]) }),
    ...(messageOf(input) !== undefined && { message: messageOf(input) }),
    ...(filesOf(spec, input) && { files: filesOf(spec, input) }),
    ...(cost && { cost }),
    ...(quoted.diff !== undefined && { diff: quoted.diff }),
    ...(quoted.warnings?.length && { warnings: quoted.warnings }),
    ...(quoted.note && { notes: [quoted.note] }),
  };
  if (effect === 'spend') {
    const unit = cost?.unit ?? 'units';
    const balance = await balanceOf(ctx, unit, signal);
    // The docs do not say whether Yemot still spends units past their expiry: the person hears it before the yes.
    if (balance?.expiredOn) preview.warnings = [...(preview.warnings ?? []), `the account's ${unit} expired on ${balance.expiredOn}: Yemot may refuse this or the balance may not be usable; check with the person (or on the Yemot website) first`];
    const now = balance?.now;
    if (now !== undefined) {
      const after = cost?.total === undefined ? undefined : Math.round((now - cost.total) * 100) / 100;
      preview.balance = { unit, now, ...(after !== undefined && { after }) };
      if (after !== undefined && after < 0 && !cost?.upTo) {
        throw new YemotError('INSUFFICIENT_UNITS', `${command} needs ${cost!.total} ${unit} and the account has ${now}`, {
          command: spec.command,
          details: { needed: cost!.total, balance: now, unit },
          hint: 'Nothing was sent and the person was not asked. Add units (or fewer recipients), then call again.',
        });
      }
    }
  }
  return { preview, seen: quoted.seen };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const amount = (count: number, unit: Cost['unit']) => `${count} ${count > 0 && count <= 1 ? unit.replace(/s$/, '') : unit}`;

function costLine(cost: Cost): string {
  const each = cost.perItem !== undefined ? `${amount(cost.perItem, cost.unit)} per ${cost.per ?? 'item'}` : undefined;
  const times = each && cost.items !== undefined ? ` × ${cost.items}` : '';
  const total = cost.total !== undefined ? `${each ? `${times} = ` : ''}${cost.upTo ? 'at most ' : ''}${amount(cost.total, cost.unit)}${each ? '' : ' in all'}` : '';
  const figures = `${each ?? ''}${total}`;
  return `Cost: ${figures}${cost.note ? (figures ? ` (${cost.note})` : cost.note) : ''}`;
}

function recipientsLine(recipients: NonNullable<Preview['recipients']>): string {
  const list = 'list' in recipients ? `the list ${recipients.list}` : '';
  if (recipients.count === undefined) return `Recipients: ${list}`;
  const first = recipients.first ?? [];
  const numbers = `${plural(recipients.count, 'number')}${recipients.count ? ` (${first.join(', ')}${recipients.count > first.length ? ', …' : ''})` : ''}`;
  const blocked = 'blocked' in recipients && recipients.blocked ? `; ${recipients.blocked} blocked, not rung` : '';
  return `Recipients: ${list ? `${list}, ` : ''}${numbers}${blocked}`;
}

/** The preview as lines for a form or a CONFIRMATION_REQUIRED answer. */
export function previewLines(preview: Preview): string[] {
  const { recipients, cost, balance } = preview;
  const lines = [preview.what];
  if (preview.because) lines.push(`Why it needs a yes: ${preview.because}.`);
  if (recipients) lines.push(recipientsLine(recipients));
  if (preview.sender) lines.push(`Sender: ${preview.sender}`);
  if (preview.message !== undefined) lines.push(`Message: "${preview.message}"`);
  if (preview.files) lines.push(`Files: ${preview.files.join(', ')}`);
  if (cost) lines.push(costLine(cost));
  if (balance) lines.push(`Balance: ${amount(balance.now, balance.unit)} now${balance.after !== undefined ? `, ${cost?.upTo ? 'at least ' : ''}${balance.after} after` : ''}`);
  for (const warning of preview.warnings ?? []) lines.push(`Warning: ${warning}`);
  if (preview.diff !== undefined) lines.push(preview.diff === '' ? 'No change: the file already holds this.' : preview.diff.replace(/\n$/, ''));
  for (const note of preview.notes ?? []) lines.push(note);
  return lines;
}
