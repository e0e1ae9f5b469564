import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Answer, type Input, type Transfer } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { ISRAEL_TIME_ZONE, WEEKDAYS } from '../call/israel-time.js';
import { campaignQuote, RUN_CODES } from './campaign-runs.js';
import { runsOfSeries, SERIES, seriesOf, waitingRun, weeklyTimes } from './schedule-series.js';
import { templateId } from './templates.js';

/** ScheduleCampaign's documented `time` formats (Gregorian only). */
const TIME_FORMATS = ['yyyy-MM-dd-HH:mm:ss', 'yyyy-MM-dd-HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'HH:mm:ss', 'HH:mm'];
const TIME_PATTERN = /^(?:\d{4}-\d{2}-\d{2}(?:[- ]\d{2}:\d{2}(?::\d{2})?)?|\d{2}:\d{2}(?::\d{2})?)$/;
const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;
// "yyyy-MM-dd HH:mm" (a space, no seconds) is not among them.
const validTime = (value: string) => TIME_PATTERN.test(value) && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(value);

const ISRAEL = `Israel time (${ISRAEL_TIME_ZONE})`;
const FOLLOW_RUNS = 'campaign_reports GetScheduledCampaigns (type PENDING) lists the runs; once one fires, its campaignId there goes to get_campaign_status; delete_scheduled_campaign (schedId, or series for a weekly series) cancels';

const runTimes = (input: Input) => (input.weekday === undefined ? [String(input.time)] : weeklyTimes(input.weekday as (typeof WEEKDAYS)[number], String(input.time), Number(input.weeks ?? 1), Date.now()));

/** One run's quote (RunCampaign's estimate), times the runs of a series. */
async function seriesQuote(ctx: ToolContext, input: Input, signal?: AbortSignal) {
  const { cost } = await campaignQuote(ctx, input, signal);
  const times = runTimes(input);
  if (times.length === 1) return { cost, note: `At ${times[0]}, ${ISRAEL}.` };
  const runs = times.length;
  return {
    cost: { ...cost, items: cost.items === undefined ? undefined : cost.items * runs, total: cost.total === undefined ? undefined : Math.round(cost.total * runs * 100) / 100, note: `${runs} runs × ${cost.total ?? '?'} units each; ${cost.note ?? ''}` },
    note: `${runs} runs, ${ISRAEL}: ${times.join(', ')}.`,
  };
}

/**
 * A series goes as one ScheduleCampaign per run, in order; a run refused (or lost on the way) stops it there, and
 * nothing is sent twice: the runs scheduled stay, the rest are named.
 */
const scheduleRuns: Transfer = async ({ ctx, signal }, wire) => {
  if (!Array.isArray(wire.time)) return undefined;
  const scheduled: Answer[] = [];
  const times = wire.time as string[];
  for (const [index, time] of times.entries()) {
    try {
      const { answer } = await ctx.session.call('ScheduleCampaign', { templateId: wire.templateId, time }, { signal });
      scheduled.push({ schedId: answer.schedId, schedTime: answer.schedTime ?? time, estimatedPrice: answer.estimatedPrice });
    } catch (error) {
      if (index === 0) throw error;
      const code = error instanceof YemotError ? `${error.code}${error.outcomeUnknown ? ', outcome unknown' : ''}` : 'INTERNAL';
      return { kind: 'json', answer: { scheduled, notScheduled: times.slice(index), stoppedBy: `${code}: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
  return { kind: 'json', answer: { scheduled } };
};

/** Cancels the runs one by one; a refusal stops it there, and the runs left are named. */
const cancelRuns: Transfer = async ({ ctx, signal }, wire) => {
  if (!Array.isArray(wire.schedId)) return undefined;
  const cancelled: unknown[] = [];
  for (const [index, schedId] of (wire.schedId as unknown[]).entries()) {
    try {
      await ctx.session.call('DeleteScheduledCampaign', { schedId }, { signal });
      cancelled.push(schedId);
    } catch (error) {
      if (index === 0) throw error;
      return { kind: 'json', answer: { cancelled, notCancelled: (wire.schedId as unknown[]).slice(index), stoppedBy: error instanceof Error ? error.message : String(error) } };
    }
  }
  return { kind: 'json', answer: { cancelled } };
};

export const campaignScheduleTools = [
  tool({
    name: 'schedule_campaign',
    title: 'Schedule a campaign',
    command: 'ScheduleCampaign',
    toolset: 'campaign_admin',
    effect: 'spend',
    summary: `Run a template's campaign at a time, or weekly (weekday, weeks); each run spends when it fires. ${ISRAEL}.`,
    keywords: ['תזמון', 'לתזמן', 'מתוזמן', 'קמפיין', 'later', 'tonight', 'tomorrow', 'תזמן', 'בשעה', 'ביום', 'at a time', 'כל שבוע', 'קבוע', 'weekly', 'every week', 'recurring'],
    params: {
      templateId,
      time: z
        .string()
        .min(5)
        .max(19)
        .refine(validTime, { message: `must be one of the documented formats: ${TIME_FORMATS.join(', ')}` })
        .describe('yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or HH:mm (other documented forms too)'),
      weekday: z.enum(WEEKDAYS).optional().describe('Weekly on this day, at time HH:mm'),
      weeks: z.number().int().min(1).max(52).optional().describe('Weekly runs; default 1'),
    },
    check: (input) => [
      ...(input.weeks !== undefined && input.weekday === undefined ? ['weeks: only with weekday'] : []),
      ...(input.weekday !== undefined && !TIME_OF_DAY.test(String(input.time)) ? ['time: with weekday, the time of day: HH:mm or HH:mm:ss'] : []),
    ],
    local: ['weekday', 'weeks'],
    // A series goes as its run times (scheduleRuns sends one request each).
    prepare: async (_ctx, input) => (input.weekday === undefined ? input : { ...input, time: runTimes(input) }),
    transfer: scheduleRuns,
    output: { schedId: z.unknown(), schedTime: z.unknown(), estimatedPrice: z.number(), customerUnits: z.number(), entriesCount: z.unknown() },
    derive: (result, input) => (input.weekday === undefined ? result : { series: `${String(input.templateId)}-${String(input.weekday)}-${String(input.time).slice(0, 5)}`, ...result }),
    outcome: (answer) =>
      answer.notScheduled
        ? { warning: `Only ${(answer.scheduled as unknown[]).length} run(s) were scheduled, then one was not (stoppedBy): the runs in notScheduled were not sent. Times are ${ISRAEL}. ${FOLLOW_RUNS}.` }
        : { note: `Times are ${ISRAEL}. ${FOLLOW_RUNS}.` },
    confirm: (input) =>
      input.weekday === undefined
        ? `ScheduleCampaign will run template ${String(input.templateId)} at ${String(input.time)} (${ISRAEL}); it spends when it fires.`
        : `ScheduleCampaign will run template ${String(input.templateId)} every ${String(input.weekday)} at ${String(input.time)} (${ISRAEL}), ${String(input.weeks ?? 1)} time(s); each run spends when it fires.`,
    quote: seriesQuote,
    codes: RUN_CODES,
    verifyWith: 'campaign_reports',
    examples: [{ templateId: 1, time: '2030-01-01 09:00:00' }, { templateId: 1, time: '18:30' }],
  }),
  tool({
    name: 'delete_scheduled_campaign',
    title: 'Cancel a scheduled campaign',
    command: 'DeleteScheduledCampaign',
    toolset: 'campaign_admin',
    effect: 'delete',
    summary: 'Cancel a scheduled run (schedId) or a weekly series (series); campaign_reports GetScheduledCampaigns lists both.',
    keywords: ['בטל', 'ביטול', 'בטל תזמון', 'מתוזמן', 'cancel', 'unschedule', 'cancel schedule'],
    params: {
      schedId: z.number().int().min(1).optional().describe('One run'),
      series: z.string().refine((value) => SERIES.test(value), { message: 'must be a series id, e.g. 3-sun-09:00' }).optional().describe('e.g. 3-sun-09:00'),
    },
    check: (input) => (input.schedId === undefined === (input.series === undefined) ? ['schedId, series: give exactly one of them'] : []),
    local: ['series'],
    // A series goes as the schedIds of its waiting runs (cancelRuns sends one request each).
    prepare: async (ctx, input) => (input.series === undefined ? input : { schedId: (await runsOfSeries(ctx, String(input.series))).map((run) => run.schedId) }),
    transfer: cancelRuns,
    quote: async (ctx, input, signal) => {
      if (input.series === undefined) {
        // The run's number says nothing to the person: its template and time do (an agent cancelled runs by number alone).
        const run = await waitingRun(ctx, Number(input.schedId), signal);
        if (!run) return { note: `Run ${String(input.schedId)} is not among the waiting runs (GetScheduledCampaigns PENDING): it may have run or been cancelled already.` };
        const template = `template ${String(run.templateId)}${run.templateDescription ? ` (${String(run.templateDescription)})` : ''}`;
        return { note: `Run ${String(input.schedId)}: ${template} at ${String(run.startTime)} (${ISRAEL})${seriesOf(run) ? `, of weekly series ${seriesOf(run)}` : ''}.` };
      }
      const runs = await runsOfSeries(ctx, String(input.series), signal);
      return { note: `${runs.length} waiting run(s) of series ${String(input.series)}: ${runs.map((run) => String(run.startTime)).join(', ')} (${ISRAEL}).` };
    },
    output: {},
    outcome: (answer) => (answer.notCancelled ? { warning: 'Some runs were not cancelled (notCancelled, stoppedBy): check campaign_reports GetScheduledCampaigns.' } : undefined),
    confirm: (input) => (input.series === undefined ? `DeleteScheduledCampaign will cancel scheduled run ${String(input.schedId)}.` : `DeleteScheduledCampaign will cancel every waiting run of weekly series ${String(input.series)}.`),
    verifyWith: 'campaign_reports',
    examples: [{ schedId: 1 }],
  }),
];
