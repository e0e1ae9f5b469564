import { fail } from './handler.js';

/**
 * RunCampaign `phones` and CampaignAction `value`: `:`-joined numbers, or an object keyed by phone whose values
 * are `{name, moreinfo, text, blocked (true/false)}` (AF post/481), in a JSON body or as a JSON-encoded string.
 */
export interface PhoneItem {
  phone: string;
  name: string;
  moreinfo: string;
  text: string;
  blocked: boolean;
}

const textOf = (value: unknown, field: string): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return fail(`${field} is invalid: name, moreinfo and text are strings`);
};

function fromObject(object: Record<string, unknown>, field: string): PhoneItem[] {
  return Object.entries(object).map(([phone, details]) => {
    if (details === null || typeof details !== 'object' || Array.isArray(details)) fail(`${field}.${phone} must be an object like {"name": "", "moreinfo": "", "text": "", "blocked": false}`);
    const entry = details as Record<string, unknown>;
    if (entry.blocked !== undefined && typeof entry.blocked !== 'boolean') fail(`${field}.${phone}.blocked must be true or false`);
    return { phone: phone.trim(), name: textOf(entry.name, field), moreinfo: textOf(entry.moreinfo, field), text: textOf(entry.text, field), blocked: entry.blocked === true };
  });
}

export function phoneItems(raw: unknown, field: string): PhoneItem[] {
  if (typeof raw === 'string' && raw.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return fail(`${field} is not valid JSON: send numbers joined with : or an object keyed by phone`);
    }
    return phoneItems(parsed, field);
  }
  if (typeof raw === 'string' || typeof raw === 'number') {
    return String(raw)
      .split(':')
      .map((phone) => phone.trim())
      .filter((phone) => phone !== '')
      .map((phone) => ({ phone, name: '', moreinfo: '', text: '', blocked: false }));
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return fromObject(raw as Record<string, unknown>, field);
  return fail(`${field} is invalid: numbers joined with : or an object keyed by phone`);
}
