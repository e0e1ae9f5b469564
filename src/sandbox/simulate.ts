import { billCampaign, isLive, nextCallEvent, progressCampaign } from './campaign-progress.js';
import { fireSchedule } from './schedule.js';
import type { AccountState } from './state.js';
import { runTask } from './tasks.js';

/**
 * Brings the account up to simulated time `now`, event by event: scheduled campaigns fire, tasks run, calls
 * change phase. Runs before every command and on Sandbox.advance(), so nothing needs real waiting.
 */

/** A bound on the events handled in one catch-up (each moves at least one call, run or task); the rest waits for the next. */
const MAX_EVENTS = 200_000;

function nextEvent(state: AccountState): number | undefined {
  const times = [
    ...state.scheduledCampaigns.filter((schedule) => schedule.state === 'PENDING').map((schedule) => schedule.startAt),
    ...state.tasks.flatMap((task) => (task.active && task.nextRunAt !== null ? [task.nextRunAt] : [])),
    ...state.templateCampaigns.filter(isLive).flatMap((campaign) => nextCallEvent(campaign) ?? []),
  ];
  return times.length ? Math.min(...times) : undefined;
}

export function simulate(state: AccountState, now: number): void {
  for (let events = 0; events < MAX_EVENTS; events += 1) {
    const t = nextEvent(state);
    if (t === undefined || t > now) break;
    for (const schedule of state.scheduledCampaigns) if (schedule.state === 'PENDING' && schedule.startAt <= t) fireSchedule(state, schedule, t);
    for (const task of state.tasks) if (task.active && task.nextRunAt !== null && task.nextRunAt <= t) runTask(state, task, t, now);
    for (const campaign of state.templateCampaigns) if (isLive(campaign)) progressCampaign(state, campaign, t);
  }
  for (const campaign of state.templateCampaigns) billCampaign(state, campaign, now);
}
