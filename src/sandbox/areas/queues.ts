import { fail, type Area } from '../handler.js';
import { isPresent, optString, requireChoice, requireInt, requireString } from '../params.js';
import { own, pathSegments } from '../vfs.js';

export const QUEUE_JSON_ONLY = 'QueueManagement accepts only POST with a JSON body';

export const queues: Area = {
  QueueManagement: {
    handle({ params, state, method, contentType }) {
      if (method !== 'POST' || contentType !== 'application/json') fail(QUEUE_JSON_ONLY);
      const queuePath = requireString(params, 'queuePath');
      const action = requireChoice(params, 'action', ['kick', 'pause', 'unpause'] as const);
      const queue = own(state.realtimeQueues, `/${pathSegments(queuePath).join('/')}`) ?? fail(`queue not found: ${queuePath}`);
      if (action !== 'kick') {
        if (isPresent(params, 'callIds')) fail(`callIds is not allowed with ${action}`);
        const agent = requireString(params, 'agent');
        const member = queue.members.find((candidate) => candidate.agent === agent) ?? fail(`agent not found: ${agent}`);
        member.paused = action === 'pause';
        return {};
      }
      if (!isPresent(params, 'callIds')) fail('callIds is required');
      const callIds = params.callIds;
      if (!Array.isArray(callIds) || callIds.length === 0) return fail('callIds must be a non-empty array');
      if (!callIds.every((id) => typeof id === 'string' || typeof id === 'number')) fail('callIds must be an array of call ids');
      const moreData = optString(params, 'moreData');
      const status: Record<string, string> = {};
      for (const id of callIds.map(String)) {
        const index = queue.waiting.findIndex((call) => call.callId === id);
        if (index >= 0) {
          queue.waiting.splice(index, 1);
          queue.kicked.push(moreData === undefined ? { callId: id } : { callId: id, moreData });
        }
        status[id] = index >= 0 ? 'OK' : 'Call not found';
      }
      return { status };
    },
  },
  QueueCallBack: {
    rules: { id: { min: 1 } },
    handle({ params, state }) {
      const action = requireChoice(params, 'action', ['getQueues', 'getList', 'removeNumber'] as const);
      if (action === 'getQueues') {
        return { callbackList: state.callbackQueues.map(({ calls, open, ...queue }) => ({ ...queue, waiting_customers: calls.length, open })) };
      }
      const id = requireInt(params, 'id');
      if (action === 'getList') {
        const queue = state.callbackQueues.find((candidate) => candidate.id === id) ?? fail(`queue ${id} not found`);
        return { callbackList: queue.calls.map((call) => ({ ...call })) };
      }
      const queue = state.callbackQueues.find((candidate) => candidate.calls.some((call) => call.id === id)) ?? fail(`call ${id} not found`);
      queue.calls = queue.calls.filter((call) => call.id !== id);
      return { callbackList: 'OK' };
    },
  },
};
