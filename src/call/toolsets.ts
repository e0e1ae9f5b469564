/**
 * The toolsets, as data: what each holds, whether it is registered by default, and the context budget
 * (tokens of its tools/list entries, o200k) the surface test holds it to. `mfa` is always registered.
 */
export const TOOLSET_TABLE = {
  campaigns: { summary: 'Templates and phone lists, running and watching campaigns, their reports, one-off TTS calls', default: true, budget: 1_900 },
  files: { summary: 'The IVR: its tree and dry-run calls, settings lookup, changes with diff and undo, new extensions, text and audio files, uploads, downloads, .ymgr reports', default: true, budget: 3_380 },
  sms: { summary: 'Send SMS, the sent and received logs', default: true, budget: 650 },
  tzintuk: { summary: 'Tzintuk (a short ring, free to free lists) and the free tzintuk lists', default: true, budget: 870 },
  account: { summary: 'Profile, units and their ledger, SMS-unit transactions', default: true, budget: 650 },
  mfa: { summary: 'The two-factor flow every session needs (always registered)', default: true, budget: 820 },
  campaign_admin: { summary: 'Template editing and deletion, campaign actions and schedules, bridging campaigns to an extension', default: false, budget: 2_550 },
  files_admin: { summary: 'Copy, move, rename and delete IVR files (deletes kept for undo)', default: false, budget: 560 },
  account_admin: { summary: 'Customer details, unit transfers, Pirsum Phone registration', default: false, budget: 670 },
  caller_ids: { summary: 'Approved caller IDs and secondary numbers', default: false, budget: 750 },
  queues: { summary: 'Live queues and callback queues', default: false, budget: 980 },
  tasks: { summary: 'Scheduled tasks: SMS, tzintuk or file moves on a timetable', default: false, budget: 1_420 },
  calls: { summary: 'Live calls (list, move, hang up, conference control), click-to-call bridges, fax', default: false, budget: 1_180 },
  security: { summary: 'Sessions (list, kill) and the login history, the admin password', default: false, budget: 570 },
  sip: { summary: 'SIP accounts: create, transport, caller ID, extension, registration, delete', default: false, budget: 1_330 },
  mfa_admin: { summary: 'Two-factor methods, remember-me tokens and trusted IPs (need a code verified in this session)', default: false, budget: 1_150 },
} as const satisfies Record<string, { summary: string; default: boolean; budget: number }>;

export type Toolset = keyof typeof TOOLSET_TABLE;
export const TOOLSETS = Object.keys(TOOLSET_TABLE) as Toolset[];
/** Registered unless the operator names others. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = TOOLSETS.filter((name) => TOOLSET_TABLE[name].default);
