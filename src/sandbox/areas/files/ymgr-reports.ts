import { fail, RawReply, type Area } from '../../handler.js';
import { optFlag, optString, requireChoice, requireString } from '../../params.js';
import type { AccountState } from '../../state.js';
import { fileText, findFile, ivr2Path, own, pathSegments } from '../../vfs.js';

type Row = Record<string, string>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A .ymgr report: one record a line, `key#value` fields joined by `%`. */
export function parseYmgr(text: string): Row[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => Object.fromEntries(line.split('%').filter((field) => field.includes('#')).map((field) => [field.slice(0, field.indexOf('#')), field.slice(field.indexOf('#') + 1)])));
}

function translated(state: AccountState, rows: Row[], language: string, raw: boolean): { columns: string[]; rows: Row[] } {
  const names = raw ? {} : (own(state.ymgrLanguages, language) ?? state.ymgrLanguages.HE ?? {});
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const label = (key: string) => own(names, key) ?? key;
  return { columns: keys.map(label), rows: rows.map((row) => Object.fromEntries(keys.filter((key) => key in row).map((key) => [label(key), row[key]]))) };
}

function html(title: string, language: string, columns: string[], cells: string[][]): RawReply {
  const rtl = language === 'HE' ? ' dir="rtl"' : '';
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = cells.map((line) => `<tr>${line.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return new RawReply(
    'text/html; charset=utf-8',
    `<!DOCTYPE html>\n<html lang="${language.toLowerCase()}"${rtl}><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body><table border="1">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></body></html>\n`,
  );
}

export const reports: Area = {
  RenderYMGRFile: {
    handle({ params, state }) {
      const wath = requireString(params, 'wath');
      const convertType = requireChoice(params, 'convertType', ['html', 'csv', 'json'] as const);
      const raw = optFlag(params, 'notLoadLang') === 1;
      // The docs give the language as [A-Z] letters, default HE; no length.
      const language = optString(params, 'renderLanguage')?.trim() ?? 'HE';
      if (!/^[A-Z]+$/.test(language)) fail('renderLanguage must be capital letters A-Z, e.g. HE');
      const segments = pathSegments(wath, 'wath');
      if (!/\.ymgr$/i.test(segments.at(-1) ?? '')) fail('wath must name a .ymgr file');
      const file = findFile(state.ivr, segments) ?? fail('file not found');
      const table = translated(state, parseYmgr(fileText(file)), language, raw);
      if (convertType === 'json') return { yALogsVersion: '2.4-sandbox', data: table.rows };
      const cells = table.rows.map((row) => table.columns.map((column) => row[column] ?? ''));
      if (convertType === 'html') return html(segments.at(-1) ?? ivr2Path(segments), language, table.columns, cells);
      const lines = [table.columns, ...cells].map((line) => line.map(csvField).join(','));
      return new RawReply('text/csv; charset=utf-8', `${lines.join('\r\n')}\r\n`);
    },
  },
};
