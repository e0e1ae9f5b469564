import { z } from 'zod';
import type { Input } from '../call/command.js';
import { readDate } from '../call/readable.js';
import { wallDate } from '../call/israel-time.js';

/**
 * A call log (.ymgr: LogIncoming, LogFolderEnterExit-YYYY-MM, …) narrowed and paged by this server: RenderYMGRFile
 * takes no filter (API forum), so the rows it answers are cut here. The raw columns (notLoadLang 1) name a row's day
 * (`Date`, or `EnterDate` in the enter/exit log, dd/MM/yyyy in the vendor's logs) and its extension (`Folder`).
 */
// Rules as refinements: they stay out of the JSON Schema every turn pays for; the descriptions say them.
const day = z.string().refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value), { message: 'must be yyyy-MM-dd' });

export const callLogParams = {
  from: day.optional().describe('First day, yyyy-MM-dd'),
  to: day.optional().describe('Last day'),
  extension: z.string().min(1).max(300).refine((value) => !value.includes(':'), { message: 'must be an extension path such as 3 or 1/2' }).optional().describe('Only it and below, e.g. 3'),
  limit: z.number().int().min(1).max(5000).optional().describe('Rows, newest first'),
  offset: z.number().int().min(0).optional().describe('Rows to skip'),
};
export const CALL_LOG_PARAMS = Object.keys(callLogParams);

const FILTERS = ['from', 'to', 'extension'];
const bare = (path: string) => path.trim().replace(/^ivr2?:?/i, '').replace(/^\/+|\/+$/g, '');

const filtered = (input: Input) => FILTERS.some((key) => input[key] !== undefined);

/**
 * JSON rows come with the raw columns (notLoadLang 1) unless 0 is given: the filters read them, and rows of one file keep
 * the same keys and their ISO dates whether filtered or not (two agents met Hebrew keys unfiltered, English filtered).
 */
export const callLogWire = async (_ctx: unknown, input: Input): Promise<Input> => (input.convertType === 'json' && input.notLoadLang === undefined ? { ...input, notLoadLang: 1 } : input);

export function checkCallLog(input: Input): string[] {
  const given = CALL_LOG_PARAMS.filter((key) => input[key] !== undefined);
  if (!given.length) return [];
  return [
    ...(input.convertType !== 'json' ? [`${given.join(', ')}: only with convertType json`] : []),
    ...(filtered(input) && input.notLoadLang === 0 ? ['notLoadLang: from, to and extension read the raw columns (Date, Folder): leave it out or give 1'] : []),
    ...(typeof input.from === 'string' && typeof input.to === 'string' && input.from > input.to ? ['from: must not be after to'] : []),
  ];
}

/** The day of a row, yyyy-MM-dd, from its raw date column. */
function dayOf(row: Record<string, unknown>): string | undefined {
  const value = row.Date ?? row.EnterDate;
  const reading = typeof value === 'string' ? readDate(value) : undefined;
  return reading && wallDate(reading.wall);
}

function wanted(row: Record<string, unknown>, input: Input): boolean {
  const date = FILTERS.slice(0, 2).some((key) => input[key] !== undefined) ? dayOf(row) : undefined;
  if (input.from !== undefined && !(date && date >= String(input.from))) return false;
  if (input.to !== undefined && !(date && date <= String(input.to))) return false;
  if (input.extension === undefined) return true;
  const folder = bare(String(row.Folder ?? ''));
  const extension = bare(String(input.extension));
  return folder === extension || folder.startsWith(`${extension}/`);
}

/** The rows the call asked for, newest first, with how many matched and where the next page starts. */
export function callLogPage(result: Record<string, unknown>, input: Input): Record<string, unknown> {
  // Every json render, filtered or not, reads newest first with its total (an agent met the file's order without them).
  if (!Array.isArray(result.data)) return result;
  const rows = (result.data as Array<Record<string, unknown>>).filter((row) => row && typeof row === 'object' && wanted(row, input)).reverse();
  const offset = Number(input.offset ?? 0);
  const page = input.limit === undefined ? rows.slice(offset) : rows.slice(offset, offset + Number(input.limit));
  const next = offset + page.length;
  return { ...result, data: page, total: rows.length, ...(next < rows.length && { nextOffset: next }) };
}
