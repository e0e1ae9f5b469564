import { own, pathSegments } from './account.js';
import { fail, isPresent, optString, requireChoice, requireInt, requireString, type CommandContext, type CommandResult } from './commands-params.js';

export const QUEUE_JSON_ONLY = 'QueueManagement accepts only POST with a JSON body';

export function queueManagement({ params, account, method, json }: CommandContext): CommandResult {
  if (method !== 'POST' || !json) fail(QUEUE_JSON_ONLY);
  const queuePath = requireString(params, 'queuePath');
  const action = requireChoice(params, 'action', ['kick', 'pause', 'unpause'] as const);
  const queue = own(account.realtimeQueues, `/${pathSegments(queuePath).join('/')}`);
  if (!queue) return fail(`queue not found: ${queuePath}`);

  if (action === 'kick') {
    if (!isPresent(params, 'callIds')) fail('callIds is required');
    const callIds = params.callIds;
    if (!Array.isArray(callIds) || callIds.length === 0) return fail('callIds must be a non-empty array');
    if (!callIds.every((id) => typeof id === 'string' || typeof id === 'number')) fail('callIds must be an array of call ids');
    const moreData = optString(params, 'moreData');
    const status: Record<string, string> = {};
    for (const id of callIds.map(String)) {
      const index = queue.waiting.findIndex((call) => call.callId === id);
      if (index < 0) {
        status[id] = 'Call not found';
        continue;
      }
      queue.waiting.splice(index, 1);
      queue.kicked.push(moreData === undefined ? { callId: id } : { callId: id, moreData });
      status[id] = 'OK';
    }
    return { status };
  }

  if (isPresent(params, 'callIds')) fail(`callIds is not allowed with ${action}`);
  const agent = requireString(params, 'agent');
  const member = queue.members.find((candidate) => candidate.agent === agent);
  if (!member) return fail(`agent not found: ${agent}`);
  member.paused = action === 'pause';
  return {};
}

export function queueCallBack({ params, account }: CommandContext): CommandResult {
  const action = requireChoice(params, 'action', ['getQueues', 'getList', 'removeNumber'] as const);
  if (action === 'getQueues') {
    return {
      callbackList: account.callbackQueues.map(({ calls, open, ...queue }) => ({ ...queue, waiting_customers: calls.length, open })),
    };
  }
  const id = requireInt(params, 'id', { min: 1 });
  if (action === 'getList') {
    const queue = account.callbackQueues.find((candidate) => candidate.id === id);
    if (!queue) return fail(`queue ${id} not found`);
    return { callbackList: queue.calls.map((call) => ({ ...call })) };
  }
  for (const queue of account.callbackQueues) {
    const index = queue.calls.findIndex((call) => call.id === id);
    if (index >= 0) {
      queue.calls.splice(index, 1);
      return { callbackList: 'OK' };
    }
  }
  return fail(`call ${id} not found`);
}
