/**
 * The toolsets, as data: what each holds, whether it is registered by default, and the context budget
 * (tokens of its tools/list entries, o200k) the surface test holds it to. `mfa` is always registered.
 */
export const TOOLSET_TABLE = {
  campaigns: { summary: 'Templates and phone lists, campaigns (run, watch, act, schedule, reports), one-off TTS calls and bridging', default: true, budget: 6_300 },
  files: { summary: 'The IVR: folders, ext.ini, text and audio files, uploads, downloads, .ymgr reports', default: true, budget: 2_900 },
  sms: { summary: 'Send SMS, the sent and received logs, SMS-unit transactions', default: true, budget: 1_400 },
  tzintuk: { summary: 'Tzintuk (a short ring, free to free lists) and the free tzintuk lists', default: true, budget: 1_400 },
  caller_ids: { summary: 'Approved caller IDs and secondary numbers', default: true, budget: 950 },
  queues: { summary: 'Live queues and callback queues', default: true, budget: 1_350 },
  account: { summary: 'Profile, units and their ledger, transfers, incoming minutes, Pirsum Phone registration', default: true, budget: 1_300 },
  mfa: { summary: 'The two-factor flow every session needs (always registered)', default: true, budget: 1_300 },
  tasks: { summary: 'Scheduled tasks: SMS, tzintuk or file moves on a timetable', default: false, budget: 1_900 },
  calls: { summary: 'Live calls (list, move, hang up, conference control), click-to-call bridges, fax', default: false, budget: 2_200 },
  security: { summary: 'Sessions (list, kill) and the login history, the admin password', default: false, budget: 1_400 },
  sip: { summary: 'SIP accounts: create, transport, caller ID, extension, registration, delete', default: false, budget: 2_200 },
  mfa_admin: { summary: 'Two-factor methods, remember-me tokens and trusted IPs (need a code verified in this session)', default: false, budget: 1_700 },
} as const satisfies Record<string, { summary: string; default: boolean; budget: number }>;

export type Toolset = keyof typeof TOOLSET_TABLE;
export const TOOLSETS = Object.keys(TOOLSET_TABLE) as Toolset[];
/** Registered unless the operator names others. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = TOOLSETS.filter((name) => TOOLSET_TABLE[name].default);
