import { fail, type Area } from '../../handler.js';
import { isPresent, optString, requireChoice, requireInt, requireString } from '../../params.js';
import type { AccountState, QueueMember, RealtimeQueue } from '../../state.js';
import { own, pathSegments } from '../../vfs.js';

export const QUEUE_JSON_ONLY = 'QueueManagement accepts only POST with a JSON body';

/** The live queue at queuePath (GetQueueRealTime and QueueManagement take the same form). */
function findQueue(state: AccountState, queuePath: string): RealtimeQueue {
  return own(state.realtimeQueues, `/${pathSegments(queuePath, 'queuePath').join('/')}`) ?? fail(`queue not found: ${queuePath}`);
}

const pad = (n: number) => String(n).padStart(2, '0');
const secondsSince = (epochMs: number) => Math.max(0, Math.floor((Date.now() - epochMs) / 1000));

/** How long ago, in words (the vendor's exact wording is not documented). */
function ago(seconds: number): string {
  const [count, unit] = seconds < 60 ? [seconds, 'second'] : seconds < 3600 ? [Math.floor(seconds / 60), 'minute'] : [Math.floor(seconds / 3600), 'hour'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/** MM/dd/yyyy, hh:mm:ss AM: the documented form of LastCall. */
function usDateTime(epochMs: number): string {
  const date = new Date(epochMs);
  const hours = date.getHours() % 12 || 12;
  return `${pad(date.getMonth() + 1)}/${pad(date.getDate())}/${date.getFullYear()}, ${pad(hours)}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${date.getHours() < 12 ? 'AM' : 'PM'}`;
}

const memberRow = (member: QueueMember) => ({
  agent: member.agent,
  Status: member.status,
  CallsTaken: member.callsTaken,
  LastCallUnitTime: member.lastCallAt === null ? '0' : String(Math.floor(member.lastCallAt / 1000)),
  LastCall: member.lastCallAt === null ? null : usDateTime(member.lastCallAt),
  LastCallAgo: member.lastCallAt === null ? null : ago(secondsSince(member.lastCallAt)),
  Paused: member.paused,
  Penalty: member.penalty,
});

export const queues: Area = {
  GetQueueRealTime: {
    handle({ params, state }) {
      const { counters, waiting, members } = findQueue(state, requireString(params, 'queuePath'));
      const { Abandoned, Completed, TalkTime, Holdtime, Max, Strategy } = counters;
      return {
        queueData: { Abandoned, Calls: waiting.length, Completed, TalkTime, Holdtime, Max, Strategy },
        members: members.map(memberRow),
        entries: waiting.map((call, index) => {
          const wait = secondsSince(call.enteredAt);
          return { phone: call.callerId, Wait: wait, WaitAgo: ago(wait), Position: index + 1, CallId: call.callId };
        }),
      };
    },
  },
  QueueManagement: {
    handle({ params, state, method, contentType }) {
      if (method !== 'POST' || contentType !== 'application/json') fail(QUEUE_JSON_ONLY);
      const queuePath = requireString(params, 'queuePath');
      const action = requireChoice(params, 'action', ['kick', 'pause', 'unpause'] as const);
      const queue = findQueue(state, queuePath);
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
