import { fail, type Area } from '../../handler.js';
import { requireString } from '../../params.js';
import type { AccountState, LiveCall } from '../../state.js';
import { findFolder, pathSegments } from '../../vfs.js';

const seconds = (since: number) => Math.max(0, Math.floor((Date.now() - since) / 1000));

/** A call as GetIncomingCalls (and CallAction's answer) shows it. */
const callRow = (call: LiveCall) => ({ did: call.did, callerIdNum: call.callerIdNum, duration: seconds(call.startedAt), transferFrom: call.transferFrom, id: call.id, path: call.path });

/** confCalls: main number => conference extension => its participants. */
function conferenceRows(calls: LiveCall[]) {
  const rooms: Record<string, Record<string, unknown[]>> = {};
  for (const call of calls) {
    if (!call.conference) continue;
    const { mute, hand, admin, data } = call.conference;
    ((rooms[call.did] ??= {})[call.path] ??= []).push({ id: call.id, callerIdNum: call.callerIdNum, mute, hand, admin, data: { ...data } });
  }
  return rooms;
}

/** An IVR extension a call can be sent to; refused when it does not exist. */
function extensionPath(state: AccountState, path: string, field: string): string {
  const segments = pathSegments(path, field);
  if (!findFolder(state.ivr, segments)) fail(`${field}: extension not found: ${path}`);
  return `/${segments.join('/')}`;
}

type Act = (call: LiveCall) => 'ended' | 'changed' | 'skipped';

/** The IVR's languages (EXT-INI `language=`). */
const LANGUAGES = new Set(['he', 'de', 'en', 'ar', 'es', 'de1', 'fr', 'ru', 'am', 'wap']);

/** The documented actions: move or hang up any call; the rest act on conference participants only. */
function actionOf(state: AccountState, action: string): Act {
  const seat = (change: (seat: NonNullable<LiveCall['conference']>) => void): Act => (call) => (call.conference ? (change(call.conference), 'changed') : 'skipped');
  const goAsap = /^set:GOasap=(.+)$/.exec(action)?.[1];
  if (goAsap === 'hangup') return () => 'ended';
  if (goAsap !== undefined) {
    const path = extensionPath(state, goAsap, 'action set:GOasap');
    return (call) => ((call.path = path), delete call.conference, 'changed');
  }
  // The language change the API forum's index lists; its value is one client's (ZV): set:Clanguage=<code>.
  const language = /^set:Clanguage=(.*)$/.exec(action)?.[1];
  if (language !== undefined) {
    if (!LANGUAGES.has(language)) fail(`action set:Clanguage takes a language code: ${[...LANGUAGES].join(', ')}`);
    return (call) => ((call.language = language), 'changed');
  }
  const newGoto = /^set:ConfbridgeNewGoto=(.+)$/.exec(action)?.[1];
  if (newGoto !== undefined) {
    const path = extensionPath(state, newGoto, 'action set:ConfbridgeNewGoto');
    return (call) => (call.conference ? ((call.path = path), delete call.conference, 'changed') : 'skipped');
  }
  const added = /^path:add:([^=]+)=(.*)$/.exec(action);
  if (added) return seat((seat) => void (seat.data[added[1]] = added[2]));
  const removed = /^path:remove:(.+)$/.exec(action)?.[1];
  if (removed !== undefined) return seat((seat) => void (seat.data = Object.fromEntries(Object.entries(seat.data).filter(([key]) => !key.startsWith(removed)))));
  switch (action) {
    case 'kick':
      return (call) => (call.conference ? 'ended' : 'skipped');
    case 'mute':
    case 'unmute':
      return seat((seat) => void (seat.mute = action === 'mute'));
    case 'raisehand':
    case 'lowerhand':
      return seat((seat) => void (seat.hand = action === 'raisehand'));
    default:
      return fail(
        'action must be set:GOasap=<path>, set:GOasap=hangup, set:Clanguage=<code>, kick, mute, unmute, raisehand, lowerhand, set:ConfbridgeNewGoto=<path>, path:add:<key>=<value> or path:remove:<prefix>',
      );
  }
}

export const liveCalls: Area = {
  GetIncomingCalls: {
    handle({ state }) {
      const conferences = conferenceRows(state.liveCalls);
      return { callsCount: state.liveCalls.length, calls: state.liveCalls.map(callRow), ...(Object.keys(conferences).length > 0 && { confCalls: conferences }) };
    },
  },
  CallAction: {
    handle({ params, state }) {
      const ids = [...new Set(requireString(params, 'ids').split(':').map((id) => id.trim()).filter((id) => id !== ''))];
      if (ids.length === 0) fail('ids is required');
      const action = requireString(params, 'action').trim();
      const act = actionOf(state, action);
      // The answer lists the calls acted on; an id that is not live (or not in a conference, for conference actions) is left out.
      const calls: ReturnType<typeof callRow>[] = [];
      for (const id of ids) {
        const call = state.liveCalls.find((candidate) => candidate.id === id);
        const outcome = call ? act(call) : 'skipped';
        if (outcome === 'skipped') continue;
        calls.push(callRow(call!));
        if (outcome === 'ended') state.liveCalls = state.liveCalls.filter((candidate) => candidate !== call);
      }
      return { calls, action, callsCount: calls.length };
    },
  },
};
