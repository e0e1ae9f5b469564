/**
 * The toolsets, as data: what each holds, whether it is registered by default, and the context budget
 * (tokens of its tools/list entries, o200k) the surface test holds it to. `mfa` is always registered.
 */
export const TOOLSET_TABLE = {
  campaigns: { summary: 'Templates and phone lists, running and watching campaigns, their reports, one-off TTS calls', default: true, budget: 1_510 },
  files: { summary: 'The IVR: its tree and dry-run calls, settings lookup, changes with diff and undo, new extensions, text and audio files, uploads, downloads, .ymgr reports', default: true, budget: 2_740 },
  sms: { summary: 'Send SMS, the sent and received logs', default: true, budget: 400 },
  tzintuk: { summary: 'Tzintuk (a short ring, free to free lists) and the free tzintuk lists', default: true, budget: 660 },
  account: { summary: 'Profile, units and their ledger, SMS-unit transactions', default: true, budget: 420 },
  mfa: { summary: 'The two-factor flow every session needs (always registered)', default: true, budget: 590 },
  campaign_admin: { summary: 'New templates and edits, campaign control, schedules, calls into an extension', default: false, budget: 2_170 },
  files_admin: { summary: 'Copy, move, rename, delete IVR files', default: false, budget: 380 },
  account_admin: { summary: 'Profile edits, unit transfers, Pirsum Phone', default: false, budget: 620 },
  caller_ids: { summary: 'Approved caller IDs and secondary numbers', default: false, budget: 600 },
  queues: { summary: 'Live queues and callback queues', default: false, budget: 780 },
  tasks: { summary: 'Scheduled SMS, tzintuk and file moves', default: false, budget: 1_200 },
  calls: { summary: 'Live calls, click-to-call, fax', default: false, budget: 970 },
  security: { summary: 'Sessions, login history, admin password', default: false, budget: 410 },
  sip: { summary: 'SIP accounts', default: false, budget: 1_100 },
  mfa_admin: { summary: 'Two-factor methods, remember-me, trusted IPs', default: false, budget: 950 },
} as const satisfies Record<string, { summary: string; default: boolean; budget: number }>;

export type Toolset = keyof typeof TOOLSET_TABLE;
export const TOOLSETS = Object.keys(TOOLSET_TABLE) as Toolset[];
/** Registered unless the operator names others. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = TOOLSETS.filter((name) => TOOLSET_TABLE[name].default);
