import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Answer, type Input, type Outcome, type TransferContext } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { campaignUploadPath, fileName, ivrPath, ROOT } from '../call/ivr-path.js';
import { indexedList, zeroOrOne } from '../call/params.js';
import { checkSaveTo, filePart, UPLOAD_FIELD } from '../call/transfers.js';
import { multiline } from '../call/sendable.js';
import { crowded } from './ivr-guards.js';
import { keepDeleted } from './keep-deleted.js';
import { fileExists } from './ivr-reader.js';
import { uploadNote } from './upload-note.js';
import { keptUpload } from './upload-kept.js';
import { CHANGE_OUTPUT, json, quoteChange } from './text-change.js';
import { textWrite, textWriteCheck, writeTextFile } from './text-write.js';
import { callLogPage, CALL_LOG_PARAMS, callLogParams, callLogWire, checkCallLog } from './call-log.js';

const MAX_TEXT_CHARS = 1_000_000;
const MAX_FILES_PER_ACTION = 100;

const fileEntry = z.looseObject({ name: z.string(), what: z.string() });

function fileReports(answer: Answer): Outcome | undefined {
  const reports = Array.isArray(answer.reports) ? (answer.reports as Array<{ success?: unknown }>) : [];
  const failed = reports.filter((report) => ![true, 'true', 1, '1'].includes(report.success as never));
  if (reports.length && failed.length === reports.length) {
    return { failure: 'NOTHING_DONE', message: 'no file was acted on (see reports)', next: 'Check the paths with read_ivr (GetIVR2Dir), then call again.' };
  }
  return failed.length ? { warning: `${failed.length} of ${reports.length} file(s) were not acted on (see reports).` } : undefined;
}

const whatList = indexedList(ivrPath('File', { file: true }), 'File path, e.g. ivr2:/1/000.wav or tpl:12 (a campaign message)', MAX_FILES_PER_ACTION);
const listed = (what: unknown) => (Array.isArray(what) ? what.join(', ') : String(what));

/** A delete names what is there: each path is a file or a folder, or the person is not asked and nothing is sent. */
async function existing(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<void> {
  const paths = [input.what].flat().map(String);
  const missing: string[] = [];
  for (const path of paths) {
    if (/^tpl:/i.test(path)) continue;
    if (await fileExists(ctx, path, signal)) continue;
    const folder = await ctx.session.call('CheckIfFolderExists', { path }, { retry: true, signal });
    if (folder.answer.folderExists !== true) missing.push(path);
  }
  if (missing.length) {
    throw new YemotError('NOT_FOUND', `what: ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`, {
      command: 'FileAction',
      hint: 'Nothing was deleted and the person was not asked. Check the path with read_ivr (GetIVR2Dir).',
    });
  }
}

/** The folder an upload lands in: the path itself with autoNumbering, else the path's folder. */
function uploadFolder(input: Input): string {
  const path = String(input.path);
  if (input.autoNumbering === true) return path;
  const cut = path.lastIndexOf('/');
  return cut <= 'ivr2:'.length ? ROOT : path.slice(0, cut);
}

/**
 * FileAction delete, after what it deletes is kept in the undo journal. A refusal keeps nothing; a file the API
 * reports not deleted has its entry dropped.
 */
async function deleteKeepingUndo({ ctx, signal }: TransferContext, wire: Input) {
  const paths = Object.keys(wire).filter((key) => /^what\d*$/.test(key)).map((key) => String(wire[key]));
  const account = await ctx.account();
  const { kept, notKept } = await keepDeleted(ctx, account, paths, signal);
  const forget = (entries: typeof kept) => Promise.all(entries.map(({ entry }) => ctx.journal.forget(account, entry.id)));
  let reply;
  try {
    reply = await ctx.session.call('FileAction', wire, { signal });
  } catch (error) {
    if (error instanceof YemotError && !error.outcomeUnknown) await forget(kept);
    throw error;
  }
  const reports = Array.isArray(reply.answer.reports) ? (reply.answer.reports as Array<{ success?: unknown }>) : [];
  // Reports follow the files in the order sent (the sandbox's; the vendor's docs show one file).
  const deleted = (path: string) => reports.length !== paths.length || [true, 'true', 1, '1'].includes(reports[paths.indexOf(path)]?.success as never);
  await forget(kept.filter(({ path }) => !deleted(path)));
  const undo = kept.filter(({ path }) => deleted(path)).map(({ path, entry }) => ({ path, changeId: entry.id }));
  return json({ ...reply.answer, undo, ...(notKept.length && { notKept }) });
}

/**
 * Which listed files are recordings, by what the API says of them: a file a caller left (its `phone`, or a `source`
 * naming a phone or a recording) or any file of an extension of type record. Uploads and TTS are not.
 */
function markRecordings(result: Record<string, unknown>): Record<string, unknown> {
  const extIni = result.extIni as Record<string, unknown> | undefined;
  const recordFolder = String(extIni?.type ?? '').toLowerCase() === 'record';
  const mark = (file: unknown) => {
    if (!file || typeof file !== 'object' || !('source' in file)) return file;
    const { phone, source } = file as Record<string, unknown>;
    return { ...file, recording: recordFolder || (typeof phone === 'string' && phone !== '') || /phone|record/i.test(String(source ?? '')) };
  };
  return { ...result, ...(Array.isArray(result.files) && { files: result.files.map(mark) }), ...(result.file !== undefined && { file: mark(result.file) }) };
}

export const fileTools = [
  tool({
    name: 'read_ivr',
    title: 'Browse IVR folders and files',
    command: 'GetIVR2Dir',
    selects: 'command',
    toolset: 'files',
    effect: 'read',
    summary:
      'An IVR folder (paged), its stats, whether a folder or file exists, a file\'s details or a text file (ext.ini, .tts, lists); duration in minutes, durationSeconds exact.',
    keywords: ['תיקייה', 'תיקיות', 'שלוחה', 'שלוחות', 'קבצים', 'folder', 'directory', 'browse'],
    actions: {
      GetIVR2Dir: { needs: ['path'], uses: ['filesFrom', 'filesLimit', 'orderBy', 'orderDir'] },
      GetIVR2DirStats: { needs: ['path'] },
      CheckIfFolderExists: { needs: ['path'] },
      CheckIfFileExists: { needs: ['path'] },
      GetFile: { needs: ['what'] },
      GetTextFile: { needs: ['what'] },
    },
    params: {
      path: ivrPath('Folder (/ the root); CheckIfFileExists: a file').optional(),
      what: ivrPath('File with its extension, e.g. 1/ext.ini', { file: true }).optional(),
      filesFrom: z.number().int().min(0).optional().describe('Offset'),
      filesLimit: z.number().int().min(1).max(1000).optional().describe('Max files'),
      orderBy: z.enum(['name', 'date', 'mtime', 'customerdid', 'uploader', 'size', 'source']).optional().describe('Default name'),
      orderDir: z.enum(['asc', 'desc']).optional().describe('Default asc'),
    },
    output: {
      dirs: z.array(fileEntry),
      files: z.array(fileEntry),
      filesCount: z.number(),
      folderExists: z.boolean(),
      fileExists: z.boolean(),
      file: fileEntry,
      contents: z.string(),
    },
    narrowWith: 'filesLimit',
    derive: markRecordings,
    examples: [
      { command: 'GetIVR2Dir', path: '1' },
      { command: 'GetIVR2Dir', path: '/', filesFrom: 0, filesLimit: 10, orderBy: 'name', orderDir: 'desc' },
      { command: 'GetIVR2DirStats', path: '/' },
      { command: 'CheckIfFolderExists', path: '1' },
      { command: 'CheckIfFileExists', path: 'ivr2:1/ext.ini' },
      { command: 'GetFile', what: 'ivr/1/000.wav' },
      { command: 'GetTextFile', what: '1/ext.ini' },
    ],
  }),
  tool({
    name: 'render_ymgr_file',
    title: 'Call logs and votes',
    command: 'RenderYMGRFile',
    toolset: 'files',
    effect: 'read',
    summary: 'Render a .ymgr report file (call logs, votes, approvals) as json rows (raw columns unless notLoadLang 0; paged; from, to, extension filter), csv or html.',
    keywords: ['הצבעה', 'הצבעות', 'תוצאות', 'סקר', 'votes', 'poll', 'survey', 'results', 'מי התקשר', 'התקשרו', 'יומן שיחות', 'שיחות נכנסות', 'אתמול', 'היום', 'who called', 'call log', 'callers', 'yesterday', 'today'],
    params: {
      wath: ivrPath('File, e.g. Log/LogIncoming.ymgr (the API spells it wath)', { file: true }),
      convertType: z.enum(['json', 'csv', 'html']).describe('json: rows; csv, html: the text'),
      notLoadLang: zeroOrOne('1 = raw, untranslated columns').optional(),
      renderLanguage: z.string().regex(/^[A-Z]{1,10}$/, 'must be capital letters, e.g. HE').optional().describe('Default HE'),
      ...callLogParams,
    },
    check: checkCallLog,
    prepare: callLogWire,
    local: CALL_LOG_PARAMS,
    answer: 'text',
    output: { data: z.array(z.unknown()), content: z.string(), contentType: z.string() },
    derive: callLogPage,
    narrowWith: 'limit',
    examples: [
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 1 },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 0, renderLanguage: 'EN' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'csv' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'html' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 1, from: '2025-06-01', to: '2025-06-02', extension: '1', limit: 2, offset: 0 },
    ],
  }),
  tool({
    name: 'write_text_file',
    title: 'Write a text file',
    command: 'UploadTextFile',
    reads: ['GetTextFile', 'CheckIfFolderExists', 'CheckIfFileExists', 'GetIVR2DirStats', 'GetIVR2Dir'],
    toolset: 'files',
    effect: 'write',
    // Callers hear a .tts at once, as they meet a settings change (an agent found the title change asked and the announcement did not).
    confirmed: { when: (input) => /\.(?:ini|tts)$/i.test(String(input.what)), why: 'callers meet a settings file (.ini) or a spoken text (.tts) at once' },
    summary:
      "Write a whole text file (.tts, list, ext.ini; tpl:ID:tts a template's SMS text, tpl:ID its voice message as text, undocumented) in an existing folder, kept for undo_change; a .ini or .tts shows its diff and asks first. ext.ini keys: change_extension.",
    keywords: ['טקסט', 'קובץ טקסט', 'הקראה', 'text'],
    params: {
      what: ivrPath('File with its extension, e.g. 1/000.tts or 1/ext.ini', { file: true }),
      contents: multiline(z.string().max(MAX_TEXT_CHARS).describe('The whole new text')),
      split: z.boolean().optional().describe('true: a long Mxxxx.tts in parts Mxxxx-1.tts…'),
    },
    check: textWriteCheck,
    confirm: (input) => `UploadTextFile will write the whole of ${String(input.what)} as the diff shows.`,
    quote: (ctx, input, signal) => quoteChange(ctx, textWrite(ctx, input, signal), signal),
    transfer: async ({ ctx, signal, seen }, input) => json(await writeTextFile(ctx, input, seen, signal)),
    output: CHANGE_OUTPUT,
    verifyWith: 'read_ivr',
    examples: [{ what: '1/000.tts', contents: 'שלום וברוכים הבאים' }, { what: 'ivr2:/2/ext.ini', contents: 'type=menu\ntitle=Main menu\n' }, { what: 'tpl:1:tts', contents: 'תזכורת: מחר אין לימודים' }],
  }),
  tool({
    name: 'copy_move_files',
    title: 'Copy, move or rename files',
    command: 'FileAction',
    toolset: 'files_admin',
    effect: 'write',
    summary: 'Copy or move IVR files (several in one call) into a folder; rename = move to folder/new-name.',
    keywords: ['העתק', 'העבר', 'שנה שם', 'קובץ', 'rename'],
    actions: { copy: {}, move: {} },
    params: { what: whatList, target: ivrPath('Destination folder, or folder/new-name to rename') },
    output: { reports: z.array(z.looseObject({ what: z.unknown(), target: z.unknown(), success: z.unknown() })), success: z.unknown() },
    outcome: fileReports,
    verifyWith: 'read_ivr',
    examples: [
      { action: 'copy', what: '1/000.wav', target: '1/20' },
      { action: 'move', what: ['1/10/000.wav', '1/10/001.wav'], target: '1/20' },
      { action: 'move', what: '1/100/003.wav', target: '1/100/010.wav' },
      { action: 'copy', what: 'tpl:1', target: '5' },
    ],
  }),
  tool({
    name: 'delete_files',
    title: 'Delete IVR files',
    command: 'FileAction',
    toolset: 'files_admin',
    effect: 'delete',
    summary: 'Delete IVR files (several in one call); text files and audio up to a size are kept for undo_change.',
    keywords: ['מחק', 'מחיקה', 'קובץ', 'קבצים', 'הקלטה', 'remove', 'הקלטות', 'ישנות', 'recordings', 'old'],
    reads: ['GetFile', 'GetTextFile', 'DownloadFile'],
    actions: { delete: {} },
    params: { what: whatList },
    output: { reports: z.array(z.looseObject({ what: z.unknown(), success: z.unknown() })), success: z.unknown(), undo: z.array(z.looseObject({ changeId: z.string() })) },
    outcome: fileReports,
    confirm: (input) => `FileAction delete will delete ${listed(input.what)}.`,
    precheck: existing,
    quote: async (ctx) => ({ note: `Text files, and audio up to ${ctx.journal.limits.entryBytes / 1024 / 1024} MB, are kept for undo_change first; folders and larger files are gone for good.` }),
    transfer: deleteKeepingUndo,
    verifyWith: 'read_ivr',
    examples: [{ what: '2/000.wav' }, { what: ['2/001.wav', '2/002.wav'] }],
  }),
  tool({
    name: 'upload_file',
    title: 'Upload a file',
    command: 'UploadFile',
    toolset: 'files',
    effect: 'write',
    summary:
      "Upload a file (a prompt, music; tpl:ID a template's voice message, with convertAudio 1) from localFile or base64, in parts when large; a named file replaces one of that name (asks first; undo_change), autoNumbering adds a new one.",
    keywords: ['העלאה', 'העלה', 'להעלות', 'הקלטה', 'ברכה', 'פתיח', 'שלוחה', 'greeting', 'recording', 'audio', 'wav', 'mp3', 'תעלה', 'קובץ שמע', 'audio file'],
    params: {
      path: ivrPath('File, e.g. 1/000.wav; autoNumbering: the folder'),
      localFile: z.string().min(1).max(1000).optional().describe('A file in YEMOT_FILES_DIR'),
      base64: multiline(z.string().min(1).max(70_000_000).describe('With fileName')).optional(),
      fileName: fileName('For base64, e.g. greeting.wav').optional(),
      convertAudio: zeroOrOne('1 = convert to telephone WAV').optional(),
      autoNumbering: z.boolean().optional().describe('true: path is a folder; the file takes the next free number'),
      tts: zeroOrOne('1 with autoNumbering for a .tts text').optional(),
    },
    check: (input) => [
      ...(input.localFile === undefined === (input.base64 === undefined) ? ['localFile, base64: give exactly one of them'] : []),
      ...(input.base64 !== undefined && input.fileName === undefined ? ['fileName: required with base64'] : []),
      ...(input.path === ROOT && input.autoNumbering !== true ? ['path: names the root folder; give a file path (e.g. 1/000.wav), or autoNumbering: true to number a file into it'] : []),
      ...(input.autoNumbering === true && campaignUploadPath(String(input.path)) ? ["autoNumbering: a template's file (tpl:) has its own name; leave autoNumbering out"] : []),
      // One pass over what may be tens of millions of characters, white space allowed anywhere, nothing copied.
      ...(typeof input.base64 === 'string' && !/^[A-Za-z0-9+/\s]*(=\s*){0,2}$/.test(input.base64) ? ['base64: not valid base64'] : []),
    ],
    local: ['localFile', 'base64', 'fileName'],
    request: { multipart: UPLOAD_FIELD },
    prepare: async (ctx, input) => ({
      ...input,
      path: campaignUploadPath(String(input.path)) ?? input.path,
      // The one boolean the API spells true/false (documented).
      ...(input.autoNumbering !== undefined && { autoNumbering: String(input.autoNumbering) }),
      [UPLOAD_FIELD]: await filePart(ctx, 'upload_file', input),
    }),
    transfer: keptUpload,
    // UploadFile replaces a file of that name: only a numbered upload (autoNumbering) is always new.
    confirmed: { when: (input) => input.autoNumbering !== true, why: 'a named file replaces what callers hear under that name' },
    confirm: (input) => `UploadFile will write ${String(input.path)}.`,
    // A local file that would be refused is refused before the preview reads the folder.
    precheck: async (ctx, input) => void (typeof input.localFile === 'string' && (await filePart(ctx, 'upload_file', input))),
    quote: async (ctx, input, signal) => ({ note: await uploadNote(ctx, String(input.path), signal) }),
    // A template's file is in no IVR folder.
    readBack: (input) => {
      if (campaignUploadPath(String(input.path))) return undefined;
      const folder = uploadFolder(input);
      return { command: 'GetIVR2DirStats', params: { path: folder }, show: 'filesCount', as: 'filesInFolder', warn: (answer) => crowded(folder, answer) };
    },
    output: { path: z.string(), size: z.number(), convertedSize: z.number(), duration: z.number(), filesInFolder: z.number(), changeId: z.string(), undo: z.string() },
    verifyWith: 'read_ivr',
    examples: [
      { path: '1/000.wav', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'greeting.wav' },
      { path: '1', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'greeting.wav', autoNumbering: true, convertAudio: 1 },
      { path: '1/M1000.wav', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'menu.wav' },
      { path: 'tpl:1', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'message.wav', convertAudio: 1 },
    ],
  }),
  tool({
    name: 'download_file',
    title: 'Download a file',
    command: 'DownloadFile',
    toolset: 'files',
    effect: 'read',
    summary:
      'Download an IVR file (a recording, a prompt) as audio or text; too big for the conversation: give saveTo.',
    keywords: ['הורד', 'הורדה', 'להוריד', 'הקלטה', 'הקלטות', 'קובץ', 'recording', 'save'],
    params: {
      path: ivrPath('File, e.g. 1/000.wav', { file: true }),
      saveTo: z.string().min(1).max(1000).optional().describe('Save it here instead (in YEMOT_FILES_DIR)'),
      overwrite: z.boolean().optional().describe('true: replace an existing saveTo file'),
    },
    check: (input) => (input.overwrite !== undefined && input.saveTo === undefined ? ['overwrite: only with saveTo'] : []),
    local: ['saveTo', 'overwrite'],
    localEffects: { saveTo: 'write' },
    prepare: (ctx, input) => checkSaveTo(ctx, 'download_file', input),
    answer: { binary: 'path' },
    output: { contentType: z.string(), size: z.number(), file: z.string(), savedTo: z.string(), notShown: z.string() },
    examples: [{ path: '1/000.wav' }],
  }),
];
