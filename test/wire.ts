import type { z } from 'zod';
import { actionParamOf, type Input, type ToolSpec } from '../src/call/command.js';
import { PATH_FIELDS } from '../src/call/ivr-path.js';
import { INDEXED_LISTS, unwrapOptional } from '../src/call/params.js';
import { DOCUMENTED } from './documented.js';

/**
 * What a tool call must put on the wire, stated from the vendor's rules (docs/API-CATALOG.md §1 and §4), not from
 * the code that builds the request: e2e tests compare the simulator's record with this.
 */

/**
 * The documented path rule applied by hand to every path the examples use: `ivr2:/1/2`, `ivr2:1/2`, `ivr/1/2`,
 * `/1/2` and `1/2` are one path, sent as `ivr2:/1/2`; the root goes as `/` (GetIVR2Dir's documented root);
 * campaign files (`tpl:ID`) are pseudo-paths and go as they are.
 */
export const CANONICAL_PATHS: Record<string, string> = {
  '/': '/',
  '1': 'ivr2:/1',
  '5': 'ivr2:/5',
  '7': 'ivr2:/7',
  '8': 'ivr2:/8',
  'ivr2:/3': 'ivr2:/3',
  'ivr2:/9': 'ivr2:/9',
  'ivr2:/1': 'ivr2:/1',
  'ivr2:/1/100': 'ivr2:/1/100',
  'ivr2:1/ext.ini': 'ivr2:/1/ext.ini',
  '1/ext.ini': 'ivr2:/1/ext.ini',
  'ivr2:/2/ext.ini': 'ivr2:/2/ext.ini',
  'ivr/1/000.wav': 'ivr2:/1/000.wav',
  '1/000.wav': 'ivr2:/1/000.wav',
  '1/000.tts': 'ivr2:/1/000.tts',
  '1/M1000.wav': 'ivr2:/1/M1000.wav',
  '1/20': 'ivr2:/1/20',
  '5/music': 'ivr2:/5/music',
  '1/10/000.wav': 'ivr2:/1/10/000.wav',
  '1/10/001.wav': 'ivr2:/1/10/001.wav',
  '1/100/003.wav': 'ivr2:/1/100/003.wav',
  '1/100/010.wav': 'ivr2:/1/100/010.wav',
  '2/000.wav': 'ivr2:/2/000.wav',
  '2/001.wav': 'ivr2:/2/001.wav',
  '2/002.wav': 'ivr2:/2/002.wav',
  'ivr2:/Log/LogIncoming.ymgr': 'ivr2:/Log/LogIncoming.ymgr',
  '1/10': 'ivr2:/1/10',
  '2': 'ivr2:/2',
  'tpl:1': 'tpl:1',
  'tpl:1:tts': 'tpl:1:tts',
};

function canonical(value: unknown): string {
  const path = CANONICAL_PATHS[String(value)];
  if (path === undefined) throw new Error(`test/wire.ts: add ${JSON.stringify(value)} and its canonical form to CANONICAL_PATHS`);
  return path;
}

/** Params of this server's own (README, issue 12): a local file, a file given inline, where to save, the spend guard's repeat. */
const OWN_PARAMS = new Set(['localFile', 'base64', 'fileName', 'saveTo', 'overwrite', 'repeat']);
/** A command's own params of this server: RenderYMGRFile takes no filter (API forum), so a call log is narrowed here (issue 29). */
const OWN_PARAMS_OF: Record<string, string[]> = { RenderYMGRFile: ['from', 'to', 'extension', 'limit', 'offset'] };
/** The API's booleans are 1 and 0, except these, documented as true/false (API-CATALOG §1). */
const TRUE_FALSE: Record<string, string[]> = { UploadFile: ['autoNumbering'] };

export type PathKind = 'path' | 'paths';

/** Whether a param holds an IVR path, or a list of them sent as name0…nameN. */
export function pathKindOf(schema: z.ZodType): PathKind | undefined {
  const inner = unwrapOptional(schema);
  if (PATH_FIELDS.has(inner)) return 'path';
  if (!INDEXED_LISTS.has(inner)) return undefined;
  const options = (inner as unknown as { options?: z.ZodType[] }).options ?? [];
  return options.some((option) => PATH_FIELDS.has(option)) ? 'paths' : undefined;
}

/** One value as `name`, several as `name0…nameN` (FileAction's documented forms). */
function indexed(name: string, value: unknown): Array<[string, unknown]> {
  const items = Array.isArray(value) ? value : [value];
  return items.length === 1 ? [[name, items[0]]] : items.map((item, index) => [`${name}${index}`, item]);
}

export interface ExpectedWire {
  command: string;
  /** Every param but the token and a fixed action value, as the body carries it. */
  params: Record<string, unknown>;
  contentType: 'application/json' | 'application/x-www-form-urlencoded' | 'multipart/form-data';
  /** The one file part of a multipart request. */
  file?: { name: string; filename: string; bytes: Buffer };
}

const isStructured = (value: unknown) => value !== null && typeof value === 'object';

/**
 * CallAction's action values that carry an argument, as the catalog writes them (API-CATALOG §8): the tool takes
 * the argument as `target`, a param of its own that is never sent.
 */
const CALL_ACTION_VALUES: Record<string, (target: string) => string> = {
  'set:GOasap': (target) => `set:GOasap=${target}`,
  'set:ConfbridgeNewGoto': (target) => `set:ConfbridgeNewGoto=${target}`,
  'path:add': (target) => `path:add:${target}`,
  'path:remove': (target) => `path:remove:${target}`,
  // "the likely value is `set:Clanguage=<lang>`" (§8).
  'set:Clanguage': (target) => `set:Clanguage=${target}`,
};
/**
 * Lists the API takes as one value joined by a separator: CallAction's ids, "several joined with `:`" (API-CATALOG
 * §8); UpdateTemplateEntries' rowids, "row ids joined with `-`" (§5).
 */
const JOINED: Record<string, Record<string, string>> = { CallAction: { ids: ':' }, UpdateTemplateEntries: { rowids: '-' } };

/** CreateTask's and UpdateTask's `days`: "a JSON-encoded object of weekday flags, keys "0"…"6" with values 1/0" (API-CATALOG §10). */
function weekdayFlags(days: number[]): string {
  const flags = ['0', '1', '2', '3', '4', '5', '6'].map((day) => `"${day}":${days.includes(Number(day)) ? 1 : 0}`);
  return `{${flags.join(',')}}`;
}

/**
 * The args as the command's documented params: CallAction's target folded into its action value; a task's weekday
 * list as its flags; ViewCampaignReports asks for JSON ("`json` (send `1` for JSON)", §5).
 */
function documentedArgs(command: string, args: Input): Input {
  if ((command === 'CreateTask' || command === 'UpdateTask') && Array.isArray(args.days)) return { ...args, days: weekdayFlags(args.days as number[]) };
  if (command === 'ViewCampaignReports') return { ...args, json: 1 };
  // "Several free lists at once: ZV sends `phones: "tzl:"` plus `tzintukLists`" (§6).
  if (command === 'RunTzintuk' && args.tzintukLists !== undefined) return { phones: 'tzl:', ...args };
  if (command !== 'CallAction') return args;
  const { target, ...rest } = args;
  const withTarget = CALL_ACTION_VALUES[String(args.action)];
  return withTarget ? { ...rest, action: withTarget(String(target)) } : rest;
}

/** The one file part of a multipart upload, and the fields that go with it; undefined for a request without a file. */
function uploadOf(command: string, args: Input): { fields: Array<[string, unknown]>; file: NonNullable<ExpectedWire['file']> } | undefined {
  if (args.base64 === undefined) return undefined;
  const bytes = Buffer.from(String(args.base64), 'base64');
  // UploadFile is a multipart POST with one file part (API-CATALOG §4); clients name it `file`. A template's voice
  // message goes to `${templateId}.wav` (§4.4, "For UploadFile / DownloadFile").
  const template = /^tpl:(\d+)$/.exec(String(args.path));
  if (command === 'UploadFile') return { fields: template ? [['path', `${template[1]}.wav`]] : [], file: { name: 'file', filename: String(args.fileName), bytes } };
  // SendFax: pdfFile=UPLOAD with a part named fileToUpload (API-CATALOG §13); the file name is this server's (none is documented).
  if (command === 'SendFax') return { fields: [['pdfFile', 'UPLOAD']], file: { name: 'fileToUpload', filename: 'fax.pdf', bytes } };
  throw new Error(`test/wire.ts: state how ${command} sends an uploaded file`);
}

/**
 * A command that replaces every stored field: SetCustomerDetails "replaces the stored details — send every field
 * (read GetSession first and merge), otherwise omitted fields may be blanked" (API-CATALOG §2). Its fields are the
 * ones its catalog section lists as params; undefined for a command that keeps what it is not sent.
 */
export function replacedFields(command: string): string[] | undefined {
  const text = DOCUMENTED.get(command)?.text ?? '';
  if (!/replaces the stored/.test(text)) return undefined;
  const params = /Params[^:]*:([\s\S]*?)\[/.exec(text)?.[1] ?? '';
  return [...params.matchAll(/`(\w+)`/g)].map((match) => match[1]);
}

/**
 * SetCustomerDetails replaces every stored field: the wire carries every field, the given ones changed and the
 * rest as `stored` holds them (the account's state before the call).
 */
function withEveryStoredField(command: string, args: Input, stored: Record<string, unknown> | undefined): Input {
  const fields = replacedFields(command);
  if (!fields) return args;
  if (!stored) throw new Error(`test/wire.ts: ${command} replaces every stored field: pass the stored values`);
  return { ...Object.fromEntries(fields.map((field) => [field, stored[field]])), ...args };
}

/** The command a call sends: a family's chosen one, or the tool's. */
export const wireCommandOf = (spec: ToolSpec, args: Input): string => (spec.selects === 'command' ? String(args[actionParamOf(spec)]) : spec.command);

/** `stored`: the account's stored fields before the call, for a command that replaces them all (replacedFields). */
export function expectedWire(spec: ToolSpec, args: Input, stored?: Record<string, unknown>): ExpectedWire {
  const family = spec.selects === 'command';
  const command = wireCommandOf(spec, args);
  const joined = JOINED[command] ?? {};
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(withEveryStoredField(command, documentedArgs(command, args), stored))) {
    if (OWN_PARAMS.has(key) || OWN_PARAMS_OF[command]?.includes(key) || (family && key === actionParamOf(spec))) continue;
    if (key in joined) {
      entries.push([key, [value].flat().join(joined[key])]);
      continue;
    }
    // UpdateExtension takes the ext.ini keys as parameters of their own (API-CATALOG §4).
    if (command === 'UpdateExtension' && key === 'extIni') entries.push(...Object.entries(value as Record<string, unknown>));
    else {
      const kind = spec.params[key] ? pathKindOf(spec.params[key] as z.ZodType) : undefined;
      if (kind === 'path') entries.push([key, canonical(value)]);
      else if (kind === 'paths') entries.push(...indexed(key, value).map(([name, item]): [string, unknown] => [name, canonical(item)]));
      else entries.push([key, value]);
    }
  }
  const upload = uploadOf(command, args);
  if (upload) return { command, params: formOf(command, [...entries, ...upload.fields]), contentType: 'multipart/form-data', file: upload.file };
  // A form, unless the command takes JSON only, or a value is an array or object (API-CATALOG §1).
  const json = /JSON body only/.test(DOCUMENTED.get(command)?.text ?? '') || entries.some(([, value]) => isStructured(value));
  if (json) return { command, params: Object.fromEntries(entries), contentType: 'application/json' };
  return { command, params: formOf(command, entries), contentType: 'application/x-www-form-urlencoded' };
}

function formOf(command: string, entries: Array<[string, unknown]>): Record<string, string> {
  const trueFalse = new Set(TRUE_FALSE[command] ?? []);
  return Object.fromEntries(
    entries.map(([key, value]) => [key, typeof value === 'boolean' ? (trueFalse.has(key) ? String(value) : value ? '1' : '0') : String(value)]),
  );
}
