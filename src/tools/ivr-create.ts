import { posix } from 'node:path';
import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import type { FilePart } from '../client/kinds.js';
import { tool, type Input, type TransferContext } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { toolsetHere } from '../call/policy.js';
import { fileName, ivrPath, ROOT } from '../call/ivr-path.js';
import { multiline } from '../call/sendable.js';
import { filePart, uploadFile, UPLOAD_FIELD } from '../call/transfers.js';
import { moduleInfo } from '../ivr/settings-data.js';
import { buildTree, renderTree } from '../ivr/tree.js';
import { ttsWarning } from '../ivr/tts.js';
import { settingsWarnings } from './ivr-guards.js';
import { fileExists, ivrReader, modelPath } from './ivr-reader.js';
import { json, readText } from './text-change.js';

/**
 * create_extension: a new extension in one step (UpdateExtension creates the folder and its ext.ini, documented),
 * its greeting (a .tts text by UploadTextFile, or audio by UploadFile), a menu's digit branches the same way; then
 * everything is read back. Text is written only into a folder that reads back as existing: UploadTextFile into a
 * missing one answers OK and creates nothing (EXT-INI §5, guardrail 1).
 */

/** ext.ini keys travel as UpdateExtension parameters: letters, digits, `_ . -`, and never a name the call itself uses. */
const EXT_INI_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const RESERVED_KEYS = new Set(['token', 'path', 'action', 'repeat']);
/** Keys with a parameter of their own here. */
const OWN_PARAMS = new Set(['type', 'api_link']);
const API_ADD = /^api_add_\d+$/;

const MAX_GREETING_CHARS = 5000;

/** The file a new extension's greeting is: a menu's prompt, a playfile's first message, else the entry message (§1.3). */
export const greetingName = (type: string) => (type === 'menu' ? 'M1000' : type === 'playfile' ? '000' : 'M0000');

// Key names are checked by createProblems (EXT_INI_KEY), so the schema need not repeat their rule on every turn.
const typeName = z.string().max(64);
const keys = z.record(z.string(), z.union([z.string().max(1000), z.number()]));
const text = multiline(z.string().max(MAX_GREETING_CHARS));
const TYPE = /^[a-z0-9_]{1,64}$/;

interface NewExtension {
  path: string;
  type: string;
  settings: Record<string, string>;
  greeting?: string;
}

const stringValues = (record: unknown) => Object.fromEntries(Object.entries((record ?? {}) as Record<string, string | number>).map(([key, value]) => [key, String(value)]));

function keyProblems(field: string, record: unknown): string[] {
  return Object.keys((record ?? {}) as Record<string, unknown>).flatMap((key) => {
    if (!EXT_INI_KEY.test(key)) return [`${field}.${key}: an ext.ini key is letters, digits, _ . - (no =, spaces or line breaks)`];
    if (RESERVED_KEYS.has(key)) return [`${field}.${key}: not an ext.ini key (it names a parameter of the call)`];
    if (OWN_PARAMS.has(key) || API_ADD.test(key)) return [`${field}.${key}: give it as ${API_ADD.test(key) ? 'api_add' : key}`];
    return [];
  });
}

function createProblems(input: Input): string[] {
  const api = input.type === 'api';
  const sources = ['greeting', 'localFile', 'base64'].filter((name) => input[name] !== undefined);
  const branches = Object.entries((input.branches ?? {}) as Record<string, { extIni?: unknown }>);
  return [
    ...(input.path === ROOT ? ['path: the root exists already; give a new extension, e.g. 5 or 1/5'] : []),
    ...[['type', input.type] as const, ...branches.map(([digit, branch]) => [`branches.${digit}.type`, (branch as { type?: unknown }).type] as const)]
      .filter(([, type]) => !TYPE.test(String(type)))
      .map(([field]) => `${field}: a module type in lower case letters, digits and _, e.g. menu`),
    ...(sources.length > 1 ? [`${sources.join(', ')}: give one greeting`] : []),
    ...(input.base64 !== undefined && input.fileName === undefined ? ['fileName: required with base64'] : []),
    ...(input.fileName !== undefined && input.base64 === undefined ? ['fileName: only with base64'] : []),
    ...(api && input.api_link === undefined ? ['api_link: required for type api (without it callers hear M1609 and leave)'] : []),
    ...(!api && (input.api_link !== undefined || input.api_add !== undefined) ? ['api_link, api_add: only for type api'] : []),
    ...(branches.length && input.type !== 'menu' ? ['branches: only a menu has digit branches'] : []),
    ...((input.api_add ?? []) as string[]).flatMap((pair, index) => (/^[^=\s]+=/.test(pair) ? [] : [`api_add.${index}: a name=value pair, e.g. school=12`])),
    ...keyProblems('extIni', input.extIni),
    ...branches.flatMap(([digit, branch]) => keyProblems(`branches.${digit}.extIni`, branch.extIni)),
  ];
}

/** The extension and its branches, each with the settings it is created with. */
function extensionsOf(input: Input): NewExtension[] {
  const apiKeys = {
    ...(input.api_link !== undefined && { api_link: String(input.api_link) }),
    ...Object.fromEntries(((input.api_add ?? []) as string[]).map((pair, index) => [`api_add_${index}`, pair])),
  };
  const top = { path: String(input.path), type: String(input.type), settings: { ...stringValues(input.extIni), ...apiKeys }, greeting: input.greeting as string | undefined };
  const branches = Object.entries((input.branches ?? {}) as Record<string, { type: string; extIni?: unknown; greeting?: string }>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([digit, branch]) => ({ path: `${top.path}/${digit}`, type: branch.type, settings: stringValues(branch.extIni), greeting: branch.greeting }));
  return [top, ...branches];
}

async function folderExists(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<boolean> {
  const { answer } = await ctx.session.call('CheckIfFolderExists', { path }, { retry: true, signal });
  return answer.folderExists === true;
}

/** One extension: UpdateExtension, then (once the folder reads back) its greeting. Answers the greeting's path. */
async function create(transfer: TransferContext, extension: NewExtension, created: string[], audio?: FilePart): Promise<string | undefined> {
  const { ctx, signal } = transfer;
  await ctx.session.call('UpdateExtension', { path: extension.path, type: extension.type, ...extension.settings }, { signal });
  // An OK answer is not proof: only a folder that reads back was made (and a greeting can go nowhere else).
  if (!(await folderExists(ctx, extension.path, signal))) {
    throw new YemotError('NOTHING_DONE', `create_extension: UpdateExtension answered OK but ${extension.path} does not exist`, {
      command: 'UpdateExtension',
      hint: 'Check the account with ivr_tree before trying again.',
    });
  }
  created.push(extension.path);
  const name = greetingName(extension.type);
  if (extension.greeting === undefined && !audio) return undefined;
  if (audio) {
    const path = `${extension.path}/${name}.wav`;
    await uploadFile(transfer, { path, convertAudio: 1, [UPLOAD_FIELD]: audio });
    return path;
  }
  const what = `${extension.path}/${name}.tts`;
  await ctx.session.call('UploadTextFile', { what, contents: extension.greeting }, { signal });
  return what;
}

/** What did not read back as created: settings, and greeting files. */
async function readBack(transfer: TransferContext, extensions: NewExtension[], greetings: Array<string | undefined>): Promise<{ text: string; problems: string[] }> {
  const reader = ivrReader(transfer.ctx, { signal: transfer.signal });
  const problems: string[] = [];
  for (const [index, extension] of extensions.entries()) {
    const read = await reader.settings(modelPath(extension.path));
    if (!read) {
      problems.push(`${extension.path}: its ext.ini does not read back`);
      continue;
    }
    for (const [key, value] of Object.entries({ type: extension.type, ...extension.settings })) {
      const now = Object.hasOwn(read, key) ? read[key] : undefined;
      if (now !== value) problems.push(`${extension.path}: ${key} reads back as ${now === undefined ? 'missing' : `"${now}"`}, not "${value}"`);
    }
    const written = greetings[index];
    if (written && (await readGreeting(transfer, written)) === false) problems.push(`${written}: the greeting does not read back`);
  }
  const tree = await buildTree(reader, { root: modelPath(extensions[0].path), maxDepth: 1, maxNodes: 20, signal: transfer.signal });
  return { text: renderTree(tree), problems };
}

async function readGreeting(transfer: TransferContext, path: string): Promise<boolean> {
  if (path.endsWith('.tts')) return (await readText(transfer.ctx, path, transfer.signal)) !== undefined;
  return fileExists(transfer.ctx, path, transfer.signal);
}

/** An extension that exists already: what it is, and the digits free beside it, so the person can choose. */
async function taken(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<YemotError> {
  const model = modelPath(path);
  const parent = posix.dirname(model);
  const listing = await ivrReader(ctx, { signal }).list(parent);
  const held = listing?.folders.find((folder) => folder.name === posix.basename(model));
  const what = held?.type ? ` (type=${held.type}${held.title ? `, "${held.title}"` : ''})` : '';
  const free = listing ? ['1', '2', '3', '4', '5', '6', '7', '8', '9'].filter((digit) => !listing.folders.some((folder) => folder.name === digit)) : [];
  const beside = free.length ? `, or a free one beside it: ${free.map((digit) => (parent === ROOT ? digit : `${parent.slice(1)}/${digit}`)).join(', ')}` : '';
  return new YemotError('CONFLICT', `create_extension: ${path} exists already${what}`, {
    command: 'UpdateExtension',
    hint: `Nothing was written. Ask the person: change it with change_extension (it would stop being what it is now)${beside}.`,
  });
}

/** A failure after some extensions were made says which, so nobody creates them twice. */
function partly(error: unknown, created: string[]): unknown {
  if (!(error instanceof YemotError) || created.length === 0) return error;
  return new YemotError(error.code, `${error.message} (after creating ${created.join(', ')})`, {
    command: error.command,
    status: error.status,
    vendorMessage: error.vendorMessage,
    outcomeUnknown: error.outcomeUnknown,
    details: { ...error.details, created },
    hint: `${error.hint} ${created.join(', ')} exist already: see them with ivr_tree and change them with change_extension; do not create them again.`,
  });
}

/** Refused before anything is written (and before the person is asked): a path that is taken, or a parent that is not there. */
async function checkFree(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<void> {
  const path = String(input.path);
  const parent = posix.dirname(modelPath(path));
  if (await folderExists(ctx, path, signal)) throw await taken(ctx, path, signal);
  if (parent !== ROOT && !(await folderExists(ctx, `ivr2:${parent}`, signal))) {
    throw new YemotError('NOT_FOUND', `create_extension: path: its folder ivr2:${parent} does not exist`, { command: 'UpdateExtension', hint: 'Nothing was written. Create the parent first, or pick a path under one that exists (ivr_tree).' });
  }
}

/** What the reference says of the new settings and greetings, before they are written. */
async function warningsOf(ctx: ToolContext, extensions: NewExtension[], signal?: AbortSignal): Promise<string[]> {
  const warnings: string[] = [];
  for (const extension of extensions) {
    const after = { type: extension.type, ...extension.settings };
    const found = await settingsWarnings(ctx, modelPath(extension.path), undefined, after, Object.keys(after), signal);
    warnings.push(...found.map((warning) => `${extension.path}: ${warning}`));
    const tts = extension.greeting === undefined ? undefined : ttsWarning(extension.greeting);
    if (tts) warnings.push(`${extension.path} greeting: ${tts}`);
    if (!moduleInfo(extension.type)?.modelled) warnings.push(`${extension.path}: the reference lists no keys for type=${extension.type}; check it with lookup_setting`);
  }
  return warnings;
}

/**
 * The person's question: each extension with the ext.ini it gets and its greeting, and who reaches it. Callers meet a
 * new extension at once, and in a default install this server cannot remove one (agents found both in trials).
 */
async function createQuote(ctx: ToolContext, input: Input, signal?: AbortSignal) {
  const extensions = extensionsOf(input);
  const lines = extensions.map((extension) => {
    const ini = Object.entries({ type: extension.type, ...extension.settings }).map(([key, value]) => `${key}=${value}`).join(', ');
    const greeting = extension === extensions[0] && (input.localFile !== undefined || input.base64 !== undefined) ? `audio ${String(input.localFile ?? input.fileName)}` : extension.greeting === undefined ? '' : `TTS "${extension.greeting.length > 120 ? `${extension.greeting.slice(0, 120)}…` : extension.greeting}"`;
    return `${modelPath(extension.path)}: ${ini}${greeting ? `; greeting ${greetingName(extension.type)}: ${greeting}` : ''}`;
  });
  const model = modelPath(String(input.path));
  const parent = posix.dirname(model);
  const name = posix.basename(model);
  const parentType = (await ivrReader(ctx, { signal }).settings(parent))?.type;
  const reach = parentType === 'menu' && /^[0-9]+$/.test(name) ? `Callers reach it at once by pressing ${name} in ${parent} (a menu).` : `${parent} is ${parentType ? `type=${parentType}` : 'without a type'}: no key of it leads here until a setting does.`;
  const undo = `undo_change does not take it back; delete_files (${toolsetHere(ctx.policy, 'files_admin')}) removes its files.`;
  return { note: [...lines, reach, undo].join('\n'), warnings: await warningsOf(ctx, extensions, signal) };
}

async function createExtension(transfer: TransferContext, input: Input) {
  const { ctx, signal } = transfer;
  const extensions = extensionsOf(input);
  const top = extensions[0];
  await checkFree(ctx, input, signal);
  const warnings = await warningsOf(ctx, extensions, signal);
  const audio = input[UPLOAD_FIELD] as FilePart | undefined;
  const created: string[] = [];
  const greetings: Array<string | undefined> = [];
  try {
    for (const [index, extension] of extensions.entries()) greetings.push(await create(transfer, extension, created, index === 0 ? audio : undefined));
  } catch (error) {
    throw partly(error, created);
  }
  const { text, problems } = await readBack(transfer, extensions, greetings);
  return json({ path: top.path, created, greetings: greetings.filter(Boolean), text, verified: problems.length === 0, ...(warnings.length + problems.length && { warnings: [...problems, ...warnings] }) });
}

const WEBHOOK =
  'type api: your https webhook. Yemot sends ApiCallId, ApiPhone, ApiExtension…, api_add pairs, values collected (hangup=yes on hang-up); answer plain text, actions joined by &, e.g. id_list_message=t-Hello&go_to_folder=/1; else M1607, hang-up';

export const ivrCreateTools = [
  tool({
    name: 'create_extension',
    title: 'Create an extension',
    command: 'UpdateExtension',
    writes: ['UploadTextFile', 'UploadFile'],
    reads: ['CheckIfFolderExists', 'CheckIfFileExists', 'GetTextFile', 'GetIVR2Dir'],
    toolset: 'files',
    effect: 'write',
    summary: "Create an extension in one step: type, settings, greeting (TTS or audio), a menu's digit branches; never over one that exists; read back.",
    keywords: ['שלוחה חדשה', 'יצירת שלוחה', 'תפריט', 'תא קולי', 'new extension', 'voicemail', 'webhook'],
    params: {
      path: ivrPath('The new extension, e.g. 5 or 1/5'),
      type: typeName.describe('menu, playfile, record (voicemail), api, queue…'),
      extIni: keys.optional().describe('Other keys, e.g. {"title":"Sales"}'),
      greeting: text.optional().describe('TTS text: M1000 of a menu, 000 of a playfile, else M0000'),
      localFile: z.string().min(1).max(1000).optional().describe('Or audio in YEMOT_FILES_DIR'),
      base64: multiline(z.string().min(1).max(70_000_000).describe('Or audio, base64 (with fileName)')).optional(),
      fileName: fileName('e.g. hi.wav').optional(),
      branches: z
        .record(z.string().regex(/^[0-9]$/, 'a digit 0-9'), z.strictObject({ type: typeName, extIni: z.record(z.string(), z.string().max(1000)).optional(), greeting: text.optional() }))
        .optional()
        .describe('A menu\'s digits, e.g. {"2":{"type":"record"}}'),
      api_link: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(1000).optional().describe(WEBHOOK),
      api_add: z.array(z.string().max(500)).max(20).optional().describe('name=value pairs sent on every request (api_add_0…)'),
    },
    check: createProblems,
    local: ['localFile', 'base64', 'fileName'],
    confirmed: { why: 'callers reach a new extension at once, and undo_change cannot take it back' },
    confirm: (input) => `UpdateExtension will create ${modelPath(String(input.path))} (type=${String(input.type)})${input.branches ? ` and its branches ${Object.keys(input.branches as object).sort().join(', ')}` : ''}.`,
    precheck: async (ctx, input, signal) => {
      await checkFree(ctx, input, signal);
      if (typeof input.localFile === 'string') await filePart(ctx, 'create_extension', input);
    },
    quote: createQuote,
    // The audio is read once the call may go (after the person's yes and the two-factor gate), as upload_file does.
    prepare: async (ctx, input) => (input.localFile !== undefined || input.base64 !== undefined ? { ...input, [UPLOAD_FIELD]: await filePart(ctx, 'create_extension', input) } : input),
    transfer: createExtension,
    output: { created: z.array(z.string()), text: z.string() },
    verifyWith: 'ivr_tree',
    examples: [
      { path: '8', type: 'api', api_link: 'https://example.org/yemot', api_add: ['school=12'] },
      { path: '7', type: 'menu', extIni: { title: 'שירות' }, greeting: 'לשעות הפעילות הקישו 1, להשארת הודעה הקישו 2', branches: { '1': { type: 'playfile', greeting: 'אנחנו פתוחים בימים א עד ה' }, '2': { type: 'record' } } },
    ],
  }),
];
