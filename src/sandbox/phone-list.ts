import { fail } from './handler.js';
import { LOCAL_PHONE } from './phones.js';
import { MAX_TEMPLATE_ENTRIES } from './templates.js';
import type { Template } from './state.js';

/** UploadPhoneList: rows of `phone, name columns…, moreinfo columns…` merged into a template's list (AF post/480). */

export const UPDATE_TYPES = ['UPDATE', 'NEW', 'REMOVE'] as const;
export type UpdateType = (typeof UPDATE_TYPES)[number];

/** The documented prefixes for 7-digit numbers. */
export const DEFAULT_PREFIXES = ['02', '03', '04', '08', '09', '077', '072', '073'] as const;

export interface PhoneListOptions {
  delimiter: string;
  nameColumns: number;
  defaultPrefix?: string;
  updateType: UpdateType;
  blocked: boolean;
}

interface Row {
  phone: string;
  name: string;
  moreinfo: string;
  rowNumber: number;
}

interface Rejected {
  phone: string;
  name: string;
  moreinfo: string;
  blocked: boolean;
  errorState: 'DUPLICATE' | 'INVALID';
  originalRowNumber: number;
}

/** Text with control characters other than tab and line breaks is not a phone list: the documented `bad_format`. */
const BINARY = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;

/** 050-123 4567, +972501234567, 972501234567 and (with defaultPrefix) 7 digits, as a local number; '' when none. */
function localPhone(raw: string, defaultPrefix: string | undefined): string {
  let digits = raw.replace(/[\s\-().]/g, '');
  if (/^\+?972\d+$/.test(digits)) digits = `0${digits.replace(/^\+?972/, '')}`;
  if (defaultPrefix && /^\d{7}$/.test(digits)) digits = defaultPrefix + digits;
  return LOCAL_PHONE.test(digits) ? digits : '';
}

function parseRows(data: string, options: PhoneListOptions): Row[] {
  if (BINARY.test(data)) fail('bad_format');
  const rows = data.split(/\r?\n/).flatMap((line, index) => {
    if (line.trim() === '') return [];
    const [phone = '', ...rest] = line.split(options.delimiter).map((cell) => cell.trim());
    const name = rest.slice(0, options.nameColumns).filter(Boolean).join(' ');
    const moreinfo = rest.slice(options.nameColumns).filter(Boolean).join(' ');
    return [{ phone, name, moreinfo, rowNumber: index + 1 }];
  });
  if (rows.length === 0) fail('bad_format');
  return rows;
}

export function importPhoneList(template: Template, data: string, options: PhoneListOptions) {
  const rows = parseRows(data, options);
  const rejectedRecords: Rejected[] = [];
  const accepted: Row[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const phone = localPhone(row.phone, options.defaultPrefix);
    const errorState = phone === '' ? 'INVALID' : seen.has(phone) ? 'DUPLICATE' : undefined;
    if (errorState) rejectedRecords.push({ phone: row.phone, name: row.name, moreinfo: row.moreinfo, blocked: options.blocked, errorState, originalRowNumber: row.rowNumber });
    else (seen.add(phone), accepted.push({ ...row, phone }));
  }
  let totalInserted = 0;
  let totalUpdated = 0;
  let totalRemoved = 0;
  if (options.updateType === 'REMOVE') {
    const before = template.entries.length;
    template.entries = template.entries.filter((entry) => !seen.has(entry.phone));
    totalRemoved = before - template.entries.length;
  } else {
    const kept = options.updateType === 'NEW' ? [] : template.entries;
    totalRemoved = template.entries.length - kept.length;
    const byPhone = new Map(kept.map((entry) => [entry.phone, entry]));
    const added = accepted.filter((row) => !byPhone.has(row.phone)).length;
    if (kept.length + added > MAX_TEMPLATE_ENTRIES) fail(`data: a template holds at most ${MAX_TEMPLATE_ENTRIES} entries; this import would make ${kept.length + added}`);
    for (const row of accepted) {
      const existing = byPhone.get(row.phone);
      if (existing) {
        Object.assign(existing, { name: row.name, moreinfo: row.moreinfo, blocked: options.blocked });
        totalUpdated += 1;
      } else {
        kept.push({ rowid: template.nextRowId++, phone: row.phone, name: row.name, moreinfo: row.moreinfo, blocked: options.blocked });
        totalInserted += 1;
      }
    }
    template.entries = kept;
  }
  return { totalParsed: rows.length, rejectedRecords, totalInserted, totalUpdated, totalRemoved };
}
