/**
 * Yemot's clock is Israel's: every date the API writes or takes (a transaction, a file's mtime, ScheduleCampaign's
 * `time`) is a wall-clock time in Asia/Jerusalem, with its summer time. These helpers turn such a wall-clock time
 * into an instant and ISO 8601 with its offset, and back, by Intl's time zone data.
 */
export const ISRAEL_TIME_ZONE = 'Asia/Jerusalem';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

let format: Intl.DateTimeFormat | undefined;
/** Made on first use: a formatter of a time zone loads its data, which start-up does not need. */
const parts = () =>
  (format ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: ISRAEL_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }));

/** Israel's wall clock at an instant, with its weekday (0 Sunday). */
export function israelWall(at: number): WallTime & { weekday: number } {
  const field = Object.fromEntries(parts().formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const number = (name: string) => Number(field[name]);
  return { year: number('year'), month: number('month'), day: number('day'), hour: number('hour'), minute: number('minute'), second: number('second'), weekday: WEEKDAYS.indexOf(field.weekday.toLowerCase().slice(0, 3) as Weekday) };
}

const asUtc = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/** Minutes Israel is ahead of UTC at an instant. */
function offsetAt(at: number): number {
  return Math.round((asUtc(israelWall(at)) - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The instant of an Israel wall-clock time (in the hour skipped or repeated by a clock change, the first reading). */
export function israelInstant(wall: WallTime): number {
  const guess = asUtc(wall);
  const first = guess - offsetAt(guess) * 60_000;
  return guess - offsetAt(first) * 60_000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const wallDate = (wall: Pick<WallTime, 'year' | 'month' | 'day'>) => `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
/** `yyyy-MM-dd HH:mm:ss`, the form the API writes (and ScheduleCampaign takes). */
export const wallText = (wall: WallTime) => `${wallDate(wall)} ${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;

/** ISO 8601 with Israel's offset at that time: 2025-06-01T10:00:00+03:00. */
export function israelIso(wall: WallTime): string {
  const offset = offsetAt(israelInstant(wall));
  const sign = offset < 0 ? '-' : '+';
  return `${wallDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The weekday of a calendar date (0 Sunday), whatever the time zone: a date names its own day. */
export const weekdayOf = (wall: Pick<WallTime, 'year' | 'month' | 'day'>) => new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();

/** A calendar date `days` later (months and years roll over). */
export function addDays(wall: WallTime, days: number): WallTime {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { ...wall, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Whether the parts name a real date and time (no 31 June, no 24:00). */
export function realWall(wall: WallTime): boolean {
  const date = new Date(asUtc(wall));
  return date.getUTCFullYear() === wall.year && date.getUTCMonth() === wall.month - 1 && date.getUTCDate() === wall.day && wall.hour < 24 && wall.minute < 60 && wall.second < 60;
}
