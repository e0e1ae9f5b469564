import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { ivrPath } from '../call/ivr-path.js';
import { callerId, zeroOrOne } from '../call/params.js';
import { multiline } from '../call/sendable.js';

/** Server-side tasks that repeat on a timetable. At most 10 active per customer (documented). */

const TaskId = z.number().int().min(1).describe('Task id (id from read_tasks GetTasks; the API spells it TaskId)');
const when = {
  minute: z.number().int().min(0).max(59).optional().describe('Minute'),
  hour: z.number().int().min(0).max(23).optional().describe('Hour'),
  day: z.number().int().min(1).max(31).optional().describe('Day of month'),
  month: z.number().int().min(1).max(12).optional().describe('Month'),
  year: z.number().int().min(2020).max(2100).optional().describe('Year'),
  days: z.array(z.number().int().min(0).max(6)).max(7).optional().describe('Weekdays, 0 = Sunday'),
  ifAnyDay: zeroOrOne('Any of the days').optional(),
  checkIsKodesh: zeroOrOne('Skip Shabbat, holidays').optional(),
  mailInEnd: zeroOrOne('Email on success').optional(),
  mailInError: zeroOrOne('Email on failure').optional(),
  active: zeroOrOne('Active').optional(),
  description: z.string().max(200).optional().describe('Name'),
};

// `days` travels as a JSON-encoded string of weekday flags, {"0":1,...,"6":0} (documented).
const encodeDays = async (_ctx: unknown, input: Input): Promise<Input> =>
  Array.isArray(input.days) ? { ...input, days: JSON.stringify(Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((day) => [String(day), (input.days as number[]).includes(day) ? 1 : 0]))) } : input;

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const two = (value: unknown) => String(value).padStart(2, '0');

/** A task's timetable in words, for the person's question: a field left out is "any" (API-CATALOG §10, inference). */
function timetable(input: Input): string {
  const at = `at ${input.hour === undefined ? 'every hour' : two(input.hour)}:${input.minute === undefined ? 'every minute' : two(input.minute)}`;
  const days = Array.isArray(input.days) && input.days.length ? ` on ${(input.days as number[]).map((day) => WEEKDAY_NAMES[day]).join(', ')}` : '';
  const date = input.year !== undefined || input.month !== undefined || input.day !== undefined ? ` on ${input.day ?? 'any day'}/${input.month ?? 'any month'}/${input.year ?? 'any year'}` : '';
  const repeats = input.year !== undefined && input.month !== undefined && input.day !== undefined ? 'once' : days || date ? 'each time the timetable matches' : 'every day';
  const kodesh = input.checkIsKodesh === 1 ? ', not on Shabbat and holidays' : '';
  return `Runs ${at}${days}${date} (Israel time), ${repeats}${kodesh}${input.active === 0 ? '; created inactive' : ''}.`;
}

/**
 * The question for a task that spends each time it runs: its timetable, and for SendSMS the list and the unit it
 * draws on (an agent's owner approved a recurring SMS seeing only "spends units" and the call-unit balance).
 */
async function taskQuote(_ctx: unknown, input: Input) {
  const list = input.taskType === 'SendSMS' ? ` To the list ${String(input.smsList)} (the docs do not say of which kind).` : input.taskType === 'RunTzintuk' ? ` Rings the ${String(input.typeList)} list ${String(input.toList)}.` : '';
  return { note: `${timetable(input)}${list}`, ...(input.taskType === 'SendSMS' && { cost: { unit: 'SMS units' as const, note: 'per run: one SMS per number on the list (the rate is not documented)' } }) };
}

/** Documented: at most 10 active tasks per customer. Counted first, so an eleventh is refused with nothing created. */
const MAX_ACTIVE_TASKS = 10;

async function refuseEleventhTask(ctx: ToolContext, input: Input): Promise<Input> {
  if (input.active !== 0) {
    const { answer } = await ctx.session.call('GetTasks', { limit: 1000 }, { retry: true });
    const active = (Array.isArray(answer.tasks) ? (answer.tasks as Array<Record<string, unknown>>) : []).filter((task) => Number(task.active) === 1).length;
    if (active >= MAX_ACTIVE_TASKS) {
      throw new YemotError('LIMIT_REACHED', `create_task: ${active} tasks are active; Yemot allows at most ${MAX_ACTIVE_TASKS}`, {
        command: 'CreateTask',
        details: { activeTasks: active, maxActiveTasks: MAX_ACTIVE_TASKS },
        hint: 'Nothing was created. Turn one off (update_task active 0) or delete one (delete_task), or create this one with active 0.',
      });
    }
  }
  return encodeDays(ctx, input);
}

export const taskTools = [
  tool({
    name: 'read_tasks',
    title: 'Scheduled tasks',
    command: 'GetTasks',
    selects: 'command',
    toolset: 'tasks',
    effect: 'read',
    summary: 'Scheduled tasks: the list (GetTasks), one task\'s full definition (GetTasksData), its run history (GetTasksLogs).',
    keywords: ['משימות', 'משימה', 'מתוזמן', 'scheduled'],
    actions: { GetTasks: { uses: ['limit'] }, GetTasksData: { needs: ['TaskId'] }, GetTasksLogs: { needs: ['TaskId'] } },
    params: { limit: z.number().int().min(1).max(1000).optional().describe('Default 100'), TaskId: TaskId.optional() },
    output: {
      tasks: z.array(z.looseObject({ id: z.unknown(), description: z.unknown(), type: z.unknown(), active: z.unknown(), nextRun: z.unknown() })),
      logs: z.array(z.looseObject({ succeeded: z.unknown(), error_message: z.unknown(), ts: z.unknown() })),
    },
    narrowWith: 'limit',
    examples: [{ command: 'GetTasks' }, { command: 'GetTasksData', TaskId: 1 }, { command: 'GetTasksLogs', TaskId: 1 }],
  }),
  tool({
    name: 'create_task',
    title: 'Create a scheduled task',
    keywords: ['כל בוקר', 'כל יום', 'כל שבוע', 'בוקר', 'קבוע', 'משימה', 'every', 'daily', 'weekly', 'morning', 'recurring'],
    command: 'CreateTask',
    toolset: 'tasks',
    effect: 'spend',
    summary:
      "A task on a timetable; each SendSMS or RunTzintuk run spends. At most 10 active.",
    actionParam: 'taskType',
    actions: {
      SendSMS: { needs: ['callerId', 'smsList', 'smsMessage'] },
      RunTzintuk: { needs: ['callerId', 'toList', 'typeList'] },
      MoveOnFile: { effect: 'write', needs: ['folder', 'target', 'moveFileType'], uses: ['blockMoveIfNewFileInMinutes'] },
    },
    params: {
      ...when,
      callerId: callerId('Caller ID').optional(),
      smsList: z.string().min(1).max(200).optional().describe('SendSMS: list'),
      smsMessage: multiline(z.string().min(1).max(1000).describe('SendSMS: text')).optional(),
      toList: z.string().min(1).max(200).optional().describe('RunTzintuk: list'),
      typeList: z.enum(['tzl', 'tpl']).optional().describe('RunTzintuk: list kind'),
      folder: ivrPath('MoveOnFile: from').optional(),
      target: ivrPath('MoveOnFile: to').optional(),
      moveFileType: z.enum(['maxFile', 'minFile']).optional().describe('MoveOnFile: which file'),
      blockMoveIfNewFileInMinutes: z.number().int().min(0).max(100_000).optional().describe('MoveOnFile: skip if newer, minutes'),
    },
    prepare: refuseEleventhTask,
    output: { jobId: z.unknown() },
    confirm: (input) => `CreateTask will create a ${String(input.taskType)} task that spends units each time it runs.`,
    quote: taskQuote,
    verifyWith: 'read_tasks',
    examples: [
      { taskType: 'SendSMS', description: 'Weekly reminder', callerId: '0770000000', smsList: 'parents', smsMessage: 'תזכורת', hour: 9, minute: 0, days: [0], active: 1 },
      { taskType: 'RunTzintuk', callerId: '0770000000', toList: 'members', typeList: 'tzl', hour: 20, minute: 30 },
      { taskType: 'MoveOnFile', folder: '1/10', target: '2', moveFileType: 'maxFile', hour: 6, minute: 0, checkIsKodesh: 1 },
    ],
  }),
  tool({
    name: 'update_task',
    title: 'Change a task',
    command: 'UpdateTask',
    toolset: 'tasks',
    effect: 'write',
    escalate: { to: 'spend', when: (input) => input.active === 1, why: 'active: 1 restarts a task that may send SMS or ring' },
    summary: 'Change a task: turn it on or off, its description, timetable or mails.',
    keywords: ['משימה', 'הפעל', 'כבה', 'enable', 'disable'],
    params: { TaskId, ...when },
    prepare: encodeDays,
    output: {},
    verifyWith: 'read_tasks',
    examples: [{ TaskId: 1, active: 0 }, { TaskId: 1, hour: 10, days: [1, 3] }, { TaskId: 1, active: 1 }],
  }),
  tool({
    name: 'delete_task',
    title: 'Delete a task',
    command: 'DeleteTask',
    toolset: 'tasks',
    effect: 'delete',
    summary: 'Delete a scheduled task.',
    keywords: ['משימה', 'מחק'],
    params: { TaskId },
    output: {},
    confirm: (input) => `DeleteTask will delete task ${String(input.TaskId)}.`,
    // The number says nothing to the person: its name, kind and next run do.
    quote: async (ctx, input, signal) => {
      try {
        const { answer } = await ctx.session.call('GetTasksData', { TaskId: input.TaskId }, { retry: true, signal });
        const task = (answer.task ?? answer) as Record<string, unknown>;
        return { note: `Task ${String(input.TaskId)}: "${String(task.description ?? '')}", ${String(task.type ?? task.taskType ?? 'a task')}, next run ${String(task.nextRun ?? 'not set')}.` };
      } catch {
        return { note: `Task ${String(input.TaskId)} could not be read: check it with read_tasks GetTasksData before saying yes.` };
      }
    },
    verifyWith: 'read_tasks',
    examples: [{ TaskId: 1 }],
  }),
];
