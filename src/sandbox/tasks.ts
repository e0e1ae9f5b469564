import { startCampaign } from './areas/campaigns/send-tts.js';
import { smsParts } from './areas/sms/send.js';
import { expandPhoneString } from './dials.js';
import { ApiFail, fail } from './handler.js';
import { chargeSmsUnits, roundUnits } from './ledger.js';
import { campaignId, formatDateTime } from './params.js';
import { LOCAL_PHONE } from './phones.js';
import type { AccountState, ScheduledTask, TaskSchedule } from './state.js';
import { CONTENT_FILE, findFolder, nextFreeNumber, pathSegments } from './vfs.js';

/** Server-side tasks (API-CATALOG §10): when they run next, and what a run does. */

/** Documented: at most 10 active tasks per customer (f2 post/106325). */
export const MAX_ACTIVE_TASKS = 10;
/** The sandbox keeps a task's newest runs only. */
const MAX_LOGS = 500;
/** How far ahead a schedule is searched (a 29 February schedule runs within four years). */
const SEARCH_DAYS = 366 * 4 + 1;
const MINUTE = 60_000;
const TZINTUK_UNITS = 0.1;

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The first moment strictly after `after` the schedule allows (whole minutes), or null when none within four years. */
export function nextRunAfter(schedule: TaskSchedule, after: number): number | null {
  const start = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  const first = new Date(start);
  const hours = schedule.hour === null ? range(0, 23) : [schedule.hour];
  const minutes = schedule.minute === null ? range(0, 59) : [schedule.minute];
  for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
    const day = new Date(first.getFullYear(), first.getMonth(), first.getDate() + offset);
    if (schedule.year !== null && day.getFullYear() !== schedule.year) continue;
    if (schedule.month !== null && day.getMonth() + 1 !== schedule.month) continue;
    if (schedule.day !== null && day.getDate() !== schedule.day) continue;
    if (schedule.daysOfWeek !== null && !schedule.daysOfWeek.includes(day.getDay())) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const at = new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour, minute).getTime();
        if (at >= start) return at;
      }
    }
  }
  return null;
}

function sendSms(state: AccountState, task: ScheduledTask, t: number): void {
  const { callerId, smsList, smsMessage } = task.actionData as Record<string, string>;
  const numbers = expandPhoneString(state, smsList).filter((phone) => LOCAL_PHONE.test(phone));
  if (numbers.length === 0) fail(`smsList ${smsList} has no valid number`);
  const parts = smsParts(smsMessage);
  chargeSmsUnits(state, parts * numbers.length, `Task ${task.id}`, t);
  for (const To of numbers) state.outgoingSms.push({ CallerId: callerId, To, Message: smsMessage, Billing: parts, RunBy: 'Task', Time: formatDateTime(new Date(t)), DeliveryReport: 'ESME_ROK' });
}

function runTzintuk(state: AccountState, task: ScheduledTask, t: number): void {
  const { callerId, toList, typeList } = task.actionData as Record<string, string>;
  const numbers = expandPhoneString(state, `${typeList}:${toList}`).filter((phone) => LOCAL_PHONE.test(phone));
  if (numbers.length === 0) fail(`toList ${typeList}:${toList} has no number to call`);
  // Documented: a tzintuk to a free tzintuk list (tzl) costs nothing.
  const units = typeList === 'tzl' ? 0 : roundUnits(numbers.length * TZINTUK_UNITS);
  startCampaign(state, { command: 'RunTzintuk', campaignId: campaignId(2, state.mainDid), numbers, callerId, units }, t);
}

/** Moves the newest (maxFile) or oldest (minFile) message of `folder` into `target` as its next free number. */
function moveOnFile(state: AccountState, task: ScheduledTask, t: number): void {
  const { folder, target, moveFileType, blockMoveIfNewFileInMinutes } = task.actionData;
  const source = findFolder(state.ivr, pathSegments(String(folder), 'folder')) ?? fail(`folder ${folder} not found`);
  const destination = findFolder(state.ivr, pathSegments(String(target), 'target')) ?? fail(`target ${target} not found`);
  const messages = Object.keys(source.files).filter((name) => CONTENT_FILE.test(name)).sort();
  if (messages.length === 0) fail(`folder ${folder} has no file to move`);
  const block = Number(blockMoveIfNewFileInMinutes ?? 0);
  const newest = Math.max(...messages.map((name) => new Date(source.files[name].mtime.replace(' ', 'T')).getTime()));
  if (block > 0 && t - newest < block * MINUTE) fail(`not moved: a file arrived in the last ${block} minutes`);
  const name = moveFileType === 'minFile' ? messages[0] : messages.at(-1)!;
  const extension = name.slice(name.indexOf('.'));
  destination.files[`${nextFreeNumber(destination)}${extension}`] = source.files[name];
  delete source.files[name];
}

const ACTIONS = { SendSMS: sendSms, RunTzintuk: runTzintuk, MoveOnFile: moveOnFile } as const;

/** One run at t, logged; the next run is counted from `now` (runs missed while the clock jumped collapse into this one). */
export function runTask(state: AccountState, task: ScheduledTask, t: number, now: number): void {
  let error: string | null = null;
  try {
    if (task.checkIsKodesh && state.kodesh) fail('not run: Shabbat or holiday (checkIsKodesh)');
    ACTIONS[task.type](state, task, t);
  } catch (caught) {
    if (!(caught instanceof ApiFail)) throw caught;
    error = caught.message;
  }
  const ts = formatDateTime(new Date(t));
  task.logs.push({ id: (task.logs.at(-1)?.id ?? 0) + 1, succeeded: error === null, error_message: error, ts });
  if (task.logs.length > MAX_LOGS) task.logs.splice(0, task.logs.length - MAX_LOGS);
  task.lastRun = ts;
  task.nextRunAt = nextRunAfter(task.schedule, Math.max(t, now));
}
