import { z } from 'zod';
import { tool } from './command.js';

export const queueTools = [
  tool({
    name: 'manage_queue',
    command: 'QueueManagement',
    toolset: 'queues',
    effect: 'delete',
    summary: 'Act on a live queue: kick waiting calls out (optionally to an extension), or pause/unpause an agent.',
    request: 'json',
    actions: {
      kick: { effect: 'delete', needs: ['callIds'], uses: ['moreData'] },
      pause: { effect: 'write', needs: ['agent'] },
      unpause: { effect: 'write', needs: ['agent'] },
    },
    params: {
      queuePath: z.string().min(1).max(300).describe('Queue, as named in GetQueueRealTime, e.g. /5'),
      callIds: z.array(z.string().min(1).max(100)).min(1).max(500).optional().describe('kick: call ids of waiting callers'),
      moreData: z.string().max(300).optional().describe('kick: where to send them, e.g. GOTO:/1'),
      agent: z.string().min(1).max(100).optional().describe('pause/unpause: agent name'),
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
    examples: [
      { action: 'pause', queuePath: '/5', agent: 'agent1' },
      { action: 'unpause', queuePath: '/5', agent: 'agent1' },
      { action: 'kick', queuePath: '/5', callIds: ['call-a', 'nope'], moreData: 'GOTO:/1' },
    ],
  }),
  tool({
    name: 'list_queue_callbacks',
    command: 'QueueCallBack',
    toolset: 'queues',
    effect: 'read',
    summary: 'List the callback queues (getQueues) or the calls waiting for a callback in one queue (getList).',
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
    command: 'QueueCallBack',
    toolset: 'queues',
    effect: 'delete',
    summary: 'Remove one waiting call from a callback queue (removeNumber).',
    actions: { removeNumber: { needs: ['id'] } },
    params: { id: z.number().int().min(1).describe('Waiting call id, from list_queue_callbacks getList') },
    output: { callbackList: z.unknown() },
    confirm: (input) => `QueueCallBack removeNumber will remove waiting call ${String(input.id)} from its callback queue.`,
    verifyWith: 'list_queue_callbacks',
    examples: [{ id: 84299 }],
  }),
];
