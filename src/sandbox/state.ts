import type { VfsFolder } from './vfs.js';

/**
 * The one state of a simulated account: the IVR tree (files, ext.ini, reports) and the records the
 * rest of the API reads and writes. Plain data; createDemoState() builds a fresh copy.
 */
export interface AccountState {
  mainDid: string;
  /** Session tokens in use (the starting token, then one per Login). */
  sessions: string[];
  units: number;
  /** The unit ledger (GetTransactions), newest last. */
  transactions: UnitTransaction[];
  ivr: VfsFolder;
  /** Column translations of .ymgr reports per language, applied unless notLoadLang=1. */
  ymgrLanguages: Record<string, Record<string, string>>;
  /** Campaign templates, keyed by template id; `tpl:<id>` dials their entries. */
  templates: Record<string, Template>;
  /** Free tzintuk lists for `tzl:<name>`. */
  tzintukLists: Record<string, string[]>;
  campaigns: CampaignRecord[];
  sipAccounts: SipAccount[];
  nextSipAccountNumber: number;
  sipAccountLimit: number;
  secondaryDids: SecondaryDid[];
  /** Approved external caller IDs, local format. */
  approvedCallerIds: string[];
  /** The SMS sender lock (local format), '' when none. */
  smsId: string;
  smsAllowText: boolean;
  smsBalance: number;
  smsTransactions: SmsTransaction[];
  incomingSms: IncomingSms[];
  outgoingSms: OutgoingSms[];
  realtimeQueues: Record<string, RealtimeQueue>;
  callbackQueues: CallbackQueue[];
  pirsumPhoneRegistered: boolean;
}

export interface UnitTransaction {
  transactionTime: string;
  amount: number;
  description: string;
  newBalance: number;
  campaignId?: string;
}

export interface TemplateEntry {
  phone: string;
  name: string;
  moreinfo: string;
  blocked: boolean;
}

export interface Template {
  description: string;
  entries: TemplateEntry[];
}

export interface CampaignRecord {
  command: 'SendTTS' | 'CallExtensionBridging';
  campaignId: string;
  numbers: string[];
  callerId: string;
  ttsMessage?: string;
  ivrPath?: string;
  callbackUrl?: string;
  units: number;
}

export type SipTransport = 'transport-udp' | 'transport-wss';

export interface SipContext {
  expiration_time: string;
  uri: string;
  user_agent: string;
  via_addr: string;
  via_port: string;
}

export interface SipAccount {
  accountNumber: number;
  extension: number | null;
  transport: SipTransport;
  /** The special outgoing caller ID (EditCallerIdInSipAccount); '' when none. */
  specialCallerID: string;
  password: string;
  createdDate: string;
  contexts: SipContext[];
}

export interface SecondaryDid {
  id: number;
  did: string;
  usage: string;
}

export interface SmsTransaction {
  transactionTime: string;
  amount: number;
  description: string;
  newBalance: number;
  expireDate: string;
  who: string;
}

export interface IncomingSms {
  source: string;
  destination: string;
  message: string;
  receive_date: string;
}

export interface OutgoingSms {
  from: string;
  to: string;
  message: string;
  send_date: string;
  status: string;
}

export interface RealtimeQueue {
  waiting: Array<{ callId: string; callerId: string; enterTime: string }>;
  members: Array<{ agent: string; paused: boolean }>;
  /** Calls removed by QueueManagement kick, with where they were sent. */
  kicked: Array<{ callId: string; moreData?: string }>;
}

export interface CallbackCall {
  id: number;
  calling_number: string;
  status: string;
  date_time: string;
  attempts: number;
  last_attempt: string | null;
}

export interface CallbackQueue {
  id: number;
  path: string;
  queue_path: string;
  caller_id: string;
  callback_times: string;
  max_waiting_time: number;
  max_waiting_customers: number;
  open: boolean;
  calls: CallbackCall[];
}
