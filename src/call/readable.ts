import { israelInstant, israelIso, realWall, type WallTime } from './israel-time.js';

/**
 * The vendor's dates as an agent cannot misread them. The API writes `yyyy-MM-dd HH:mm:ss` in most answers, but
 * `dd/MM/yyyy HH:mm` in a folder listing (GetIVR2Dir `mtime`, `date`), `dd/MM/yyyy` in tzintuk and .ymgr logs, and
 * `MM/dd/yyyy, hh:mm:ss AM` in GetQueueRealTime (API-CATALOG §1, §4, §6, §11): 01/06 is January or June by field.
 * Every date field named here gets `<field>Iso` beside it (ISO 8601, Israel time with its offset; a date alone stays
 * a date), and an expiry its flag: one table for every tool, by the vendor's field names.
 */
interface DateField {
  /** How a slashed date of this field is ordered (default day first). */
  slash?: 'dmy' | 'mdy';
  /** The time of day is a field of its own (.ymgr logs: Date and Time). */
  time?: string;
  /** The flag set beside it: true once this moment (a date alone: its whole day), plus `afterMinutes`, is past. */
  expired?: string;
  afterMinutes?: number;
}

const DATE_FIELDS: Record<string, DateField> = {
  // Units, caller IDs, two-factor methods: expiries (GetCustomerData, GetSession, GetTransactions, MFASession).
  expireDate: { expired: 'expired' },
  expiryDate: { expired: 'expired' },
  unitsExpireDate: { expired: 'unitsExpired' },
  smsUnitsExpireDate: { expired: 'smsUnitsExpired' },
  EXPIRED_DATE: { expired: 'expired' },
  expiration_time: { expired: 'expired' },
  // A session dies after 30 minutes without a call (API-CATALOG §1, AF post/460).
  lastRequest: { expired: 'expired', afterMinutes: 30 },
  // Files (GetIVR2Dir, GetFile): day first.
  mtime: {},
  date: {},
  // Logs: .ymgr rows, tzintuk join/leave events; the queue's last call is month first.
  Date: { time: 'Time' },
  EnterDate: { time: 'EnterTime' },
  ExitDate: { time: 'ExitTime' },
  LastCall: { slash: 'mdy' },
  // Everything else the API stamps.
  transactionTime: {},
  startTime: {},
  createTime: {},
  schedTime: {},
  receive_date: {},
  Time: {},
  created_date: {},
  createdDate: {},
  create_date: {},
  update_date: {},
  last_use: {},
  LAST_USED: {},
  actionTimestamp: {},
  createTs: {},
  updateTs: {},
  lastRun: {},
  nextRun: {},
  ts: {},
  fromDate: {},
  toDate: {},
};

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T-](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP]M))?)?$/i;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

interface Reading {
  wall: WallTime;
  dateOnly: boolean;
}

/** A vendor date (and the time beside it, where it is a field of its own); undefined when it is not a real one. */
export function readDate(value: string, slash: 'dmy' | 'mdy' = 'dmy', time?: string): Reading | undefined {
  const text = value.trim();
  const iso = ISO_LIKE.exec(text);
  const slashed = iso ? undefined : SLASHED.exec(text);
  if (!iso && !slashed) return undefined;
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]].map(Number) : slash === 'mdy' ? [slashed![3], slashed![1], slashed![2]].map(Number) : [slashed![3], slashed![2], slashed![1]].map(Number);
  const clock = iso ? [iso[4], iso[5], iso[6]] : [slashed![4], slashed![5], slashed![6]];
  const separate = clock[0] === undefined && time !== undefined ? TIME.exec(time.trim()) : null;
  const [hourText, minute, second] = separate ? [separate[1], separate[2], separate[3]] : clock;
  let hour = Number(hourText ?? 0);
  const meridiem = slashed?.[7]?.toUpperCase();
  if (meridiem) hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  const wall = { year, month, day, hour, minute: Number(minute ?? 0), second: Number(second ?? 0) };
  return realWall(wall) ? { wall, dateOnly: hourText === undefined } : undefined;
}

const isoOf = ({ wall, dateOnly }: Reading) => (dateOnly ? israelIso(wall).slice(0, 10) : israelIso(wall));

/** The moment a reading stops being current: a date alone lasts to the end of its day. */
const endOf = ({ wall, dateOnly }: Reading) => israelInstant(dateOnly ? { ...wall, hour: 23, minute: 59, second: 59 } : wall);

/** `mm:ss` or `hh:mm:ss` (GetIVR2Dir's durationStr) in seconds: `duration` beside it is in minutes. */
function secondsOf(text: string): number | undefined {
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(text.trim());
  return match ? Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

function readableObject(object: Record<string, unknown>, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    out[key] = readableValue(value, now);
    const field = Object.hasOwn(DATE_FIELDS, key) ? DATE_FIELDS[key] : undefined;
    if (field && typeof value === 'string') {
      const time = field.time && typeof object[field.time] === 'string' ? (object[field.time] as string) : undefined;
      const reading = readDate(value, field.slash, time);
      if (reading) {
        out[`${key}Iso`] = isoOf(reading);
        if (field.expired) out[field.expired] = endOf(reading) + (field.afterMinutes ?? 0) * 60_000 < now;
      }
    }
    if (key === 'durationStr' && typeof value === 'string') {
      const seconds = secondsOf(value);
      if (seconds !== undefined) out.durationSeconds = seconds;
    }
  }
  return out;
}

function readableValue(value: unknown, now: number): unknown {
  if (Array.isArray(value)) return value.map((item) => readableValue(item, now));
  if (value && typeof value === 'object') return readableObject(value as Record<string, unknown>, now);
  return value;
}

/** The result with ISO dates, expiry flags and durations in seconds beside the vendor's own fields. */
export function readable(result: Record<string, unknown>, now = Date.now()): Record<string, unknown> {
  return readableObject(result, now);
}
