import { z } from 'zod';
import { tool, type Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { nameEach } from './name-each.js';
import { ivrPath } from '../call/ivr-path.js';

const queuePath = z.string().min(1).max(300).describe('Queue extension, e.g. /5');

/**
 * The callers a kick removes, as the person knows them: number, seconds waited, place in line. A call id no longer
 * waiting is named, so the person is not asked about someone who already left. A failed read says so and decides nothing.
 */
async function kickNote(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<{ note: string }> {
  const where = input.moreData ? '' : ' Without moreData the docs do not say where they go (they may be hung up).';
  const named = await nameEach(ctx, { command: 'GetQueueRealTime', params: { queuePath: input.queuePath } }, input.callIds as string[], {
    rows: (answer) => answer.entries,
    idOf: (entry) => String(entry.CallId),
    said: (id, entry) => `${id}: ${String(entry.phone)}, waiting ${String(entry.Wait)} s, position ${String(entry.Position)}`,
    gone: (id) => `${id}: not waiting now`,
    unread: 'The queue could not be read to name the callers.',
  }, signal);
  return { note: `${named}${where}` };
}

export const queueTools = [
  tool({
    name: 'get_queue_realtime',
    title: 'Live queue',
    command: 'GetQueueRealTime',
    toolset: 'queues',
    effect: 'read',
    summary: 'Live state of a queue: totals, agents (agent, Paused) and waiting callers (CallId, phone, Wait) for manage_queue.',
    keywords: ['תור', 'ממתינים', 'נציגים', 'waiting', 'agents'],
    params: { queuePath },
    output: {
      queueData: z.looseObject({ Calls: z.unknown(), Completed: z.unknown(), Abandoned: z.unknown(), Holdtime: z.unknown(), Strategy: z.unknown() }),
      members: z.array(z.looseObject({ agent: z.unknown(), Status: z.unknown(), Paused: z.unknown(), CallsTaken: z.unknown() })),
      entries: z.array(z.looseObject({ CallId: z.unknown(), phone: z.unknown(), Wait: z.unknown(), Position: z.unknown() })),
    },
    examples: [{ queuePath: '/5' }],
  }),
  tool({
    name: 'manage_queue',
    title: 'Act on a queue',
    command: 'QueueManagement',
    toolset: 'queues',
    effect: 'delete',
    summary: 'Act on a live queue: kick waiting calls out (optionally to an extension), or pause/unpause an agent; get_queue_realtime lists the CallId and agent values.',
    keywords: ['תור', 'נציג', 'הוצא', 'remove caller'],
    request: 'json',
    actions: {
      kick: { effect: 'delete', needs: ['callIds'], uses: ['moreData'] },
      pause: { effect: 'write', needs: ['agent'] },
      unpause: { effect: 'write', needs: ['agent'] },
    },
    params: {
      queuePath: queuePath,
      callIds: z.array(z.string().min(1).max(100)).min(1).max(500).optional().describe('kick: CallId of waiting callers (get_queue_realtime entries)'),
      moreData: z.string().max(300).optional().describe('kick: where to send them, e.g. GOTO:/1'),
      agent: z.string().min(1).max(100).optional().describe('pause/unpause: agent (get_queue_realtime members)'),
    },
    output: { status: z.record(z.string(), z.unknown()) },
    outcome: (answer) => {
      const status = answer.status && typeof answer.status === 'object' ? Object.entries(answer.status) : [];
      const failed = status.filter(([, result]) => result !== 'OK');
      if (!failed.length) return undefined;
      if (failed.length === status.length) {
        return { failure: 'NOTHING_DONE', message: `no call was acted on (${failed.length} refused, see status)`, next: 'The calls may have left the queue: check the waiting call ids (GetQueueRealTime, or the Yemot website) before trying again.' };
      }
      return { warning: `${failed.length} of ${status.length} call(s) were not acted on (see status).` };
    },
    confirm: (input) =>
      input.action === 'kick'
        ? `QueueManagement kick will remove ${(input.callIds as unknown[] | undefined)?.length ?? 0} waiting call(s) from queue ${String(input.queuePath)}${input.moreData ? ` and send them to ${String(input.moreData)}` : ''}.`
        : `QueueManagement ${String(input.action)} agent ${String(input.agent)} in ${String(input.queuePath)}.`,
    quote: (ctx, input, signal) => (input.action === 'kick' ? kickNote(ctx, input, signal) : Promise.resolve({})),
    examples: [
      { action: 'pause', queuePath: '/5', agent: 'agent1' },
      { action: 'unpause', queuePath: '/5', agent: 'agent1' },
      { action: 'kick', queuePath: '/5', callIds: ['call-a', 'nope'], moreData: 'GOTO:/1' },
    ],
  }),
  tool({
    name: 'list_queue_callbacks',
    title: 'Callback queues',
    command: 'QueueCallBack',
    toolset: 'queues',
    effect: 'read',
    summary: 'List the callback queues (getQueues) or the calls waiting for a callback in one queue (getList).',
    keywords: ['שיחה חוזרת', 'חזרה', 'callback'],
    actions: { getQueues: {}, getList: { needs: ['id'] } },
    params: { id: z.number().int().min(1).optional().describe('getList: queue id') },
    output: { callbackList: z.unknown() },
    examples: [
      { action: 'getQueues' },
      { action: 'getList', id: 110 },
    ],
  }),
  tool({
    name: 'remove_queue_callback',
    title: 'Remove a waiting callback',
    keywords: ['הסר', 'הסרה', 'שיחות חוזרות', 'remove', 'callback'],
    command: 'QueueCallBack',
    toolset: 'queues',
    effect: 'delete',
    summary: 'Remove one waiting call from a callback queue (removeNumber); list_queue_callbacks getList shows the ids.',
    actions: { removeNumber: { needs: ['id'] } },
    params: { id: z.number().int().min(1).describe('Waiting call id, from list_queue_callbacks getList') },
    output: { callbackList: z.unknown() },
    confirm: (input) => `QueueCallBack removeNumber will remove waiting call ${String(input.id)} from its callback queue.`,
    verifyWith: 'list_queue_callbacks',
    examples: [{ id: 84299 }],
  }),
  tool({
    name: 'music_on_hold',
    title: 'Music on hold',
    command: 'GetMusicOnHoldByPath',
    selects: 'command',
    toolset: 'queues',
    effect: 'delete',
    summary:
      'Music-on-hold classes (undocumented by the vendor: verify on a test system): find, create from a folder of audio, or delete one.',
    keywords: ['מוזיקה', 'המתנה', 'מנגינה', 'hold music'],
    actions: {
      GetMusicOnHoldByPath: { effect: 'read', needs: ['path'] },
      CreateMusicOnHolds: { effect: 'write', needs: ['name', 'folderPath'] },
      DeleteMusicOnHolds: { effect: 'delete', needs: ['name'] },
    },
    params: {
      path: ivrPath('Folder').optional(),
      name: z.string().min(1).max(80).optional().describe('Class name, as ext.ini settings refer to it'),
      folderPath: ivrPath('Folder holding the audio').optional(),
    },
    output: { data: z.unknown(), status: z.unknown() },
    confirm: (input) => `DeleteMusicOnHolds will remove the music-on-hold class ${String(input.name)}.`,
    verifyWith: 'music_on_hold',
    examples: [
      { command: 'GetMusicOnHoldByPath', path: '5' },
      { command: 'CreateMusicOnHolds', name: 'sales', folderPath: '5/music' },
      { command: 'DeleteMusicOnHolds', name: 'sales' },
    ],
  }),
];
