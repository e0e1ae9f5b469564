import { launchCampaign, planCampaign } from './campaign-start.js';
import { ApiFail, fail } from './handler.js';
import type { AccountState, ScheduledCampaign } from './state.js';

/** ScheduleCampaign's `time` (T55/35?page=3, T55/37?page=3) and the runs that fire when the clock passes it. */

export const SCHEDULE_TIME_FORMATS = ['yyyy-MM-dd-HH:mm:ss', 'yyyy-MM-dd-HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'HH:mm:ss', 'HH:mm'] as const;

const DATED = [/^(\d{4})-(\d{2})-(\d{2})-(\d{2}):(\d{2}):(\d{2})$/, /^(\d{4})-(\d{2})-(\d{2})-(\d{2}):(\d{2})()$/, /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/, /^(\d{4})-(\d{2})-(\d{2})()()()$/];
const TIME_ONLY = [/^(\d{2}):(\d{2}):(\d{2})$/, /^(\d{2}):(\d{2})()$/];

const refuseFormat = (time: string): never => fail(`time ${time} is not in an accepted format: ${SCHEDULE_TIME_FORMATS.join(', ')} (Gregorian dates, local time)`);

/** A local date-time from its parts; undefined when a part is out of range (2025-02-30, 24:00). */
function localTime(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  const date = new Date(year, month - 1, day, hour, minute, second);
  const same = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day && date.getHours() === hour && date.getMinutes() === minute && date.getSeconds() === second;
  return same ? date.getTime() : undefined;
}

/**
 * The moment `time` names. A date alone is its midnight; a time alone is today's, or tomorrow's when today's has
 * passed (the docs say neither). A moment already past is refused.
 */
export function scheduleTime(time: string, now: number): number {
  const text = time.trim();
  const dated = DATED.map((pattern) => pattern.exec(text)).find(Boolean);
  const timeOnly = TIME_ONLY.map((pattern) => pattern.exec(text)).find(Boolean);
  let at: number | undefined;
  if (dated) {
    const [year, month, day, hour, minute, second] = dated.slice(1).map((part) => Number(part || 0));
    at = localTime(year, month, day, hour, minute, second);
  } else if (timeOnly) {
    const [hour, minute, second] = timeOnly.slice(1).map((part) => Number(part || 0));
    const today = new Date(now);
    at = localTime(today.getFullYear(), today.getMonth() + 1, today.getDate(), hour, minute, second);
    if (at !== undefined && at <= now) at = new Date(at).setDate(new Date(at).getDate() + 1);
  } else refuseFormat(time);
  if (at === undefined) return fail(`time ${time} is not a real date and time`);
  if (at <= now) fail(`time ${time} has already passed`);
  return at;
}

/** Starts a scheduled run at its time: RunCampaign's checks apply then, and a refusal marks it FAILED. */
export function fireSchedule(state: AccountState, schedule: ScheduledCampaign, t: number): void {
  try {
    const campaign = launchCampaign(state, planCampaign(state, { templateId: String(schedule.templateId), ttsMode: false, withSMS: false }), t, 'schedule');
    Object.assign(schedule, { state: 'SUCCESSFUL', campaignId: campaign.campaignId });
  } catch (error) {
    if (!(error instanceof ApiFail)) throw error;
    Object.assign(schedule, { state: 'FAILED', errorMsg: error.message });
  }
}
