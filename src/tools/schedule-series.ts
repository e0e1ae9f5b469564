import { YemotError } from '../client/errors.js';
import type { ToolContext } from '../call/context.js';
import { addDays, israelInstant, israelWall, wallText, WEEKDAYS, weekdayOf, type Weekday } from '../call/israel-time.js';

/**
 * "Every Sunday at 9:00 for the next N weeks". Yemot's tasks recur by weekday but run only SendSMS, RunTzintuk and
 * MoveOnFile (API-CATALOG §10), never a campaign, so a series is N ScheduleCampaign runs. It is kept nowhere but in
 * Yemot: its id, `<templateId>-<weekday>-<HH:mm>`, is read off the runs GetScheduledCampaigns lists, so a series
 * shows and cancels the same from any server and after any restart, whoever scheduled its runs.
 */
export const SERIES = /^\d+-(?:sun|mon|tue|wed|thu|fri|sat)-(?:[01]\d|2[0-3]):[0-5]\d$/;

/** The series a scheduled run belongs to: its template, the weekday of its date and its time of day. */
export function seriesOf(row: Record<string, unknown>): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ -](\d{2}:\d{2})/.exec(String(row.startTime ?? ''));
  if (!match || !/^\d+$/.test(String(row.templateId))) return undefined;
  const weekday = weekdayOf({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  return `${String(row.templateId)}-${WEEKDAYS[weekday]}-${match[4]}`;
}

const rowsOf = (answer: Record<string, unknown>) => (Array.isArray(answer.scheduledCampaigns) ? (answer.scheduledCampaigns as Array<Record<string, unknown>>) : []);

/** Waiting runs by series: each series of two runs or more, once (a lone run is a run). */
export function seriesList(answer: Record<string, unknown>): Array<Record<string, unknown>> {
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const row of rowsOf(answer)) {
    const series = seriesOf(row);
    if (series) groups.set(series, [...(groups.get(series) ?? []), row]);
  }
  return [...groups]
    .filter(([, runs]) => runs.length > 1)
    .map(([series, runs]) => ({ series, runs: runs.length, first: runs[0].startTime, last: runs.at(-1)!.startTime, schedIds: runs.map((run) => run.schedId) }));
}

/** The next `weeks` runs on `weekday` at `time` (HH:mm or HH:mm:ss, Israel time), the first after `now`, as Yemot writes times. */
export function weeklyTimes(weekday: Weekday, time: string, weeks: number, now: number): string[] {
  const [hour, minute, second = 0] = time.split(':').map(Number);
  const today = israelWall(now);
  let first = addDays({ ...today, hour, minute, second }, (WEEKDAYS.indexOf(weekday) - today.weekday + 7) % 7);
  if (israelInstant(first) <= now) first = addDays(first, 7);
  return Array.from({ length: weeks }, (_, week) => wallText(addDays(first, week * 7)));
}

/** Waiting runs read at most: the sandbox keeps 100 pending, and a series has at most 52. */
const MAX_PENDING_READ = 1000;

/** Every waiting run, oldest first. */
async function waitingRuns(ctx: ToolContext, signal?: AbortSignal): Promise<Array<Record<string, unknown>>> {
  const { answer } = await ctx.session.call('GetScheduledCampaigns', { type: 'PENDING', order: 'asc', limit: MAX_PENDING_READ }, { retry: true, signal });
  return rowsOf(answer);
}

/** The waiting runs of a series, oldest first; refused when it has none. */
export async function runsOfSeries(ctx: ToolContext, series: string, signal?: AbortSignal): Promise<Array<Record<string, unknown>>> {
  const runs = (await waitingRuns(ctx, signal)).filter((row) => seriesOf(row) === series);
  if (runs.length) return runs;
  throw new YemotError('NOT_FOUND', `series: no waiting run of series ${series}`, {
    command: 'DeleteScheduledCampaign',
    hint: 'Nothing was cancelled. campaign_reports GetScheduledCampaigns type PENDING lists the series and their runs.',
  });
}

/** One waiting run as the person knows it: its template and its time; undefined when it is not waiting. */
export async function waitingRun(ctx: ToolContext, schedId: number, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
  return (await waitingRuns(ctx, signal)).find((row) => Number(row.schedId) === schedId);
}
