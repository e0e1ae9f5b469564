import { findFolder, own, pathSegments, uniqueIdOf, type DemoAccount, type IvrFile, type YmgrRow } from './account.js';
import { fail, optFlag, optString, requireChoice, requireString, TextReply, type CommandContext, type CommandResult } from './commands-params.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function translatedRows(account: DemoAccount, rows: YmgrRow[], language: string, raw: boolean): { columns: string[]; rows: YmgrRow[] } {
  const names = raw ? {} : (own(account.ymgrLanguages, language) ?? account.ymgrLanguages.HE ?? {});
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const label = (key: string) => own(names, key) ?? key;
  return {
    columns: keys.map(label),
    rows: rows.map((row) => Object.fromEntries(keys.filter((key) => key in row).map((key) => [label(key), row[key]]))),
  };
}

export function renderYmgrFile({ params, account }: CommandContext): CommandResult {
  const wath = requireString(params, 'wath');
  const convertType = requireChoice(params, 'convertType', ['html', 'csv', 'json'] as const);
  const raw = optFlag(params, 'notLoadLang') === 1;
  const language = optString(params, 'renderLanguage')?.trim() ?? 'HE';
  if (!/^[A-Z]+$/.test(language)) fail('renderLanguage must be capital letters A-Z, e.g. HE');
  const segments = pathSegments(wath);
  const file = `ivr2:/${segments.join('/')}`;
  if (!/\.ymgr$/i.test(file)) fail('wath must name a .ymgr file');
  const rows = own(account.ymgrFiles, file);
  if (!rows) return fail('file not found');
  const table = translatedRows(account, rows, language, raw);
  if (convertType === 'json') return { yALogsVersion: '2.4-sandbox', data: table.rows };
  const cells = table.rows.map((row) => table.columns.map((column) => row[column] ?? ''));
  if (convertType === 'csv') {
    const lines = [table.columns, ...cells].map((line) => line.map(csvField).join(','));
    return new TextReply('text/csv; charset=utf-8', `${lines.join('\r\n')}\r\n`);
  }
  const rtl = language === 'HE' ? ' dir="rtl"' : '';
  const head = table.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = cells.map((line) => `<tr>${line.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const title = escapeHtml(segments.at(-1) ?? file);
  return new TextReply(
    'text/html; charset=utf-8',
    `<!DOCTYPE html>\n<html lang="${language.toLowerCase()}"${rtl}><head><meta charset="utf-8"><title>${title}</title></head>\n<body><table border="1">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></body></html>\n`,
  );
}

export function checkIfFolderExists({ params, account }: CommandContext): CommandResult {
  const segments = pathSegments(requireString(params, 'path'));
  return { folderExists: findFolder(account.ivr, segments) !== undefined, path: `ivr/${segments.join('/')}` };
}

const CONTENT_FILE = /^\d+\.(wav|mp3|ogg|gsm|tts)$/i;

function fileInfo(account: DemoAccount, segments: string[], file: IvrFile | undefined): Record<string, unknown> {
  if (!file) return { exists: false };
  const what = `ivr2:/${[...segments, file.name].join('/')}`;
  const seconds = file.seconds ?? 0;
  return {
    exists: true,
    name: file.name,
    uniqueId: uniqueIdOf(what),
    what,
    fileType: 'audio',
    size: file.size,
    mtime: file.mtime,
    duration: Math.round((seconds / 60) * 100) / 100,
    durationStr: `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`,
    customerDid: account.mainDid,
    meta: JSON.stringify({ source: file.source }),
    date: file.date,
    source: file.source,
    phone: file.phone,
    ip: file.ip,
  };
}

export function getIvr2DirStats({ params, account }: CommandContext): CommandResult {
  const path = requireString(params, 'path');
  const segments = pathSegments(path);
  const folder = findFolder(account.ivr, segments);
  if (!folder) return fail(`path not found: ${path}`);
  const content = folder.files.filter((file) => file.seconds !== undefined && CONTENT_FILE.test(file.name)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  return {
    type: folder.type,
    thisPath: `/${segments.join('/')}`,
    parentPath: segments.length ? `/${segments.slice(0, -1).join('/')}` : null,
    dirsCount: Object.keys(folder.dirs).length,
    filesCount: folder.files.length,
    contentFilesCount: content.length,
    minFile: fileInfo(account, segments, content[0]),
    maxFile: fileInfo(account, segments, content.at(-1)),
  };
}
