import { expandPhoneString } from '../../dials.js';
import { fail, type Area, type Params } from '../../handler.js';
import { formatDateTime, isPresent, optFlag, optInt, optString, requireChoice, requireInt, requireString } from '../../params.js';
import { assertApprovedCaller, isApprovedSmsSender } from '../../phones.js';
import { TASK_TYPES, type AccountState, type ScheduledTask, type TaskSchedule, type TaskType } from '../../state.js';
import { MAX_ACTIVE_TASKS, nextRunAfter } from '../../tasks.js';
import { findFolder, pathSegments } from '../../vfs.js';

/** GetTasks, GetTasksData, GetTasksLogs, CreateTask, UpdateTask, DeleteTask (API-CATALOG §10; the id is `TaskId`). */

/** The sandbox's bound on tasks kept (active or not); GetTasks lists 100 by default. */
const MAX_TASKS = 100;
const SCHEDULE_RULES = { minute: { min: 0, max: 59 }, hour: { min: 0, max: 23 }, day: { min: 1, max: 31 }, month: { min: 1, max: 12 }, year: { min: 2000, max: 2100 } };
const WEEKDAYS = ['0', '1', '2', '3', '4', '5', '6'];
const DAYS_RULE = 'days must be a JSON-encoded object of weekday flags, keys "0" (Sunday) to "6", values 1 or 0, like {"0":1,"1":0,"2":0,"3":0,"4":0,"5":0,"6":0}';

const bit = (value: boolean) => (value ? 1 : 0);
const flagOr = (params: Params, name: string, fallback: boolean) => (optFlag(params, name) ?? bit(fallback)) === 1;

/** `days` (a JSON-encoded string) => the weekdays selected; null (any day) when absent or with ifAnyDay=1. */
function daysOfWeek(params: Params, fallback: number[] | null): number[] | null {
  if (optFlag(params, 'ifAnyDay') === 1) return null;
  const text = optString(params, 'days');
  if (text === undefined) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(DAYS_RULE);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail(DAYS_RULE);
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.some(([key, value]) => !WEEKDAYS.includes(key) || ![0, 1, '0', '1'].includes(value as number | string))) return fail(DAYS_RULE);
  const days = entries.filter(([, value]) => Number(value) === 1).map(([key]) => Number(key)).sort();
  return days.length ? days : fail('days selects no weekday: the task would never run (send ifAnyDay=1 for every day)');
}

function scheduleOf(params: Params, base: TaskSchedule): TaskSchedule {
  const field = (name: keyof typeof SCHEDULE_RULES) => (isPresent(params, name) ? requireInt(params, name, SCHEDULE_RULES[name]) : base[name]);
  return { minute: field('minute'), hour: field('hour'), day: field('day'), month: field('month'), year: field('year'), daysOfWeek: daysOfWeek(params, base.daysOfWeek) };
}

/** Each task type's own fields, checked now so a run does not fail on a typo. */
function actionData(state: AccountState, type: TaskType, params: Params): ScheduledTask['actionData'] {
  if (type === 'SendSMS') {
    const callerId = requireString(params, 'callerId').trim();
    if (!isApprovedSmsSender(state, callerId)) fail(`callerId ${callerId} is not an approved SMS sender`);
    const smsList = requireString(params, 'smsList').trim();
    expandPhoneString(state, smsList);
    return { callerId, smsList, smsMessage: requireString(params, 'smsMessage') };
  }
  if (type === 'RunTzintuk') {
    const callerId = requireString(params, 'callerId').trim();
    assertApprovedCaller(state, callerId);
    const typeList = requireChoice(params, 'typeList', ['tzl', 'tpl'] as const);
    const toList = requireString(params, 'toList').trim();
    expandPhoneString(state, `${typeList}:${toList}`);
    return { callerId, toList, typeList };
  }
  const folder = requireString(params, 'folder').trim();
  const target = requireString(params, 'target').trim();
  for (const [name, path] of [['folder', folder], ['target', target]]) if (!findFolder(state.ivr, pathSegments(path, name))) fail(`${name} ${path} not found`);
  const moveFileType = requireChoice(params, 'moveFileType', ['maxFile', 'minFile'] as const);
  return { folder, target, moveFileType, blockMoveIfNewFileInMinutes: optInt(params, 'blockMoveIfNewFileInMinutes', { min: 0 }) ?? 0 };
}

function assertActiveRoom(state: AccountState, except?: ScheduledTask): void {
  const active = state.tasks.filter((task) => task.active && task !== except).length;
  if (active >= MAX_ACTIVE_TASKS) fail(`at most ${MAX_ACTIVE_TASKS} active tasks per customer: ${active} are active; deactivate or delete one first`);
}

function findTask(state: AccountState, params: Params): ScheduledTask {
  if (!isPresent(params, 'TaskId')) fail('TaskId is required (capital T and I)');
  const id = requireInt(params, 'TaskId', { min: 1 });
  return state.tasks.find((task) => task.id === id) ?? fail(`TaskId ${id} not found`);
}

const orAny = (value: number | null) => value ?? '*';

function summary(task: ScheduledTask) {
  const last = task.logs.at(-1);
  return {
    id: task.id,
    description: task.description,
    type: task.type,
    createTs: task.createTs,
    status: last ? (last.succeeded ? 'SUCCESS' : 'ERROR') : 'NEW',
    active: bit(task.active),
    sendMailInEnd: bit(task.sendMailInEnd),
    sendMailInError: bit(task.sendMailInError),
    nextRun: task.nextRunAt === null ? null : formatDateTime(new Date(task.nextRunAt)),
  };
}

function scheduleFields(task: ScheduledTask) {
  const { minute, hour, year, day, month, daysOfWeek } = task.schedule;
  return { minute: orAny(minute), hour: orAny(hour), year: orAny(year), day: orAny(day), month: orAny(month), days_of_week: (daysOfWeek ?? WEEKDAYS.map(Number)).join(','), action_data: JSON.stringify(task.actionData) };
}

const reschedule = (task: ScheduledTask, now: number) => (task.nextRunAt = task.active ? nextRunAfter(task.schedule, now) : null);

export const tasks: Area = {
  GetTasks: {
    rules: { limit: { min: 1 } },
    handle: ({ params, state }) => ({ tasks: state.tasks.slice(0, optInt(params, 'limit') ?? 100).map(summary) }),
  },
  GetTasksData: {
    handle({ params, state }) {
      const task = findTask(state, params);
      return { ...summary(task), createBy: 'API', updateTs: task.updateTs, lastRun: task.lastRun, ...scheduleFields(task), check_is_kodesh: bit(task.checkIsKodesh) };
    },
  },
  GetTasksLogs: {
    handle: ({ params, state }) => ({ logs: [...findTask(state, params).logs].reverse() }),
  },
  CreateTask: {
    handle({ params, state, now }) {
      const type = requireChoice(params, 'taskType', TASK_TYPES);
      const active = flagOr(params, 'active', true);
      const schedule = scheduleOf(params, { minute: null, hour: null, day: null, month: null, year: null, daysOfWeek: null });
      const data = actionData(state, type, params);
      if (state.tasks.length >= MAX_TASKS) fail(`the sandbox keeps at most ${MAX_TASKS} tasks; delete one first`);
      if (active) assertActiveRoom(state);
      const created = formatDateTime(new Date(now));
      const task: ScheduledTask = {
        id: state.nextTaskId++,
        description: optString(params, 'description') ?? '',
        type,
        actionData: data,
        schedule,
        active,
        checkIsKodesh: flagOr(params, 'checkIsKodesh', false),
        sendMailInEnd: flagOr(params, 'mailInEnd', false),
        sendMailInError: flagOr(params, 'mailInError', false),
        createTs: created,
        updateTs: created,
        lastRun: null,
        nextRunAt: null,
        logs: [],
      };
      reschedule(task, now);
      state.tasks.push(task);
      const { minute, hour, year, day, month, days_of_week, action_data } = scheduleFields(task);
      const ActionData = { minute, hour, year, day, month, days_of_week, action_data, description: task.description, active: bit(active), sendMailInEnd: bit(task.sendMailInEnd), sendMailInError: bit(task.sendMailInError), checkIsKodesh: bit(task.checkIsKodesh) };
      return { jobId: task.id, ActionData };
    },
  },
  UpdateTask: {
    handle({ params, state, now }) {
      const task = findTask(state, params);
      const active = flagOr(params, 'active', task.active);
      const schedule = scheduleOf(params, task.schedule);
      if (active && !task.active) assertActiveRoom(state, task);
      Object.assign(task, {
        active,
        schedule,
        description: optString(params, 'description') ?? task.description,
        checkIsKodesh: flagOr(params, 'checkIsKodesh', task.checkIsKodesh),
        sendMailInEnd: flagOr(params, 'mailInEnd', task.sendMailInEnd),
        sendMailInError: flagOr(params, 'mailInError', task.sendMailInError),
        updateTs: formatDateTime(new Date(now)),
      });
      reschedule(task, now);
      return {};
    },
  },
  DeleteTask: {
    handle({ params, state }) {
      const task = findTask(state, params);
      state.tasks = state.tasks.filter((candidate) => candidate !== task);
      return {};
    },
  },
};
