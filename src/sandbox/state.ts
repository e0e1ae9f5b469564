import type { PendingUpload } from './pending-uploads.js';
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
  /** The templates' message files, flat: `<id>.wav`, `<id>.tts`, `<id>-MoreInfo.wav` (FileAction's `tpl:` paths). */
  campaignFiles: VfsFolder;
  /** Chunked UploadFile parts received, by qquuid, until UploadFile?done assembles them. */
  pendingUploads: Record<string, PendingUpload>;
  /** Free tzintuk lists for `tzl:<name>`: members join and leave by phone, never through the API. */
  tzintukLists: Record<string, TzintukList>;
  campaigns: CampaignRecord[];
  sipAccounts: SipAccount[];
  nextSipAccountNumber: number;
  sipAccountLimit: number;
  secondaryDids: SecondaryDid[];
  /** Approved external caller IDs (local format), each valid for a year from its verification. */
  approvedCallerIds: ApprovedCallerId[];
  /** ValidationCallerId send requests waiting for their code, by reqId. */
  callerIdValidations: CallerIdValidation[];
  nextValidationId: number;
  /** The SMS sender lock (local format), '' when none. */
  smsId: string;
  smsAllowText: boolean;
  smsBalance: number;
  smsTransactions: SmsTransaction[];
  incomingSms: IncomingSms[];
  outgoingSms: OutgoingSms[];
  realtimeQueues: Record<string, RealtimeQueue>;
  /** Calls in progress (GetIncomingCalls), conference participants among them. */
  liveCalls: LiveCall[];
  /** Music-on-hold classes by name (undocumented commands). */
  musicOnHold: Record<string, string>;
  callbackQueues: CallbackQueue[];
  pirsumPhoneRegistered: boolean;
}

/** A line of the unit ledger, as GetTransactions documents it. */
export interface UnitTransaction {
  id: number;
  transactionTime: string;
  amount: number;
  description: string;
  who: string;
  newBalance: number;
  expireDate: string | null;
  campaignId: string | null;
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
  command: 'SendTTS' | 'CallExtensionBridging' | 'RunTzintuk' | 'CreateBridgeCall' | 'SendFax';
  campaignId: string;
  numbers: string[];
  /** The caller ID shown; for a RAND tzintuk, the random number that rang. */
  callerId: string;
  ttsMessage?: string;
  ivrPath?: string;
  callbackUrl?: string;
  /** CreateBridgeCall: the numbers each answered call is connected to. */
  bridgePhones?: string[];
  /** SendFax: the document sent and where the delivery result goes. */
  fax?: { source: 'url' | 'ivr' | 'upload'; fileName: string; bytes?: number; deliveryUrl?: string };
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

/** A row of GetSmsOutLog, keys as the API spells them. */
export interface OutgoingSms {
  CallerId: string;
  To: string;
  Message: string;
  /** SMS units this message drew. */
  Billing: number;
  RunBy: string;
  Time: string;
  /** SMPP status: null before a report arrives, DELIVRD, ESME_ROK... */
  DeliveryReport: string | null;
}

export interface TzintukMember {
  phone: string;
  name: string;
  blocked: boolean;
}

/** A join/leave line of getLogList, keys as the API spells them (Date dd/MM/yyyy). */
export interface TzintukEvent {
  Folder: string;
  CustomerDID: string;
  Phone: string;
  Date: string;
  Time: string;
  TypeOperation: string;
  PhoneAction: string;
}

export interface TzintukList {
  members: TzintukMember[];
  events: TzintukEvent[];
}

export interface ApprovedCallerId {
  callerId: string;
  /** YYYY-MM-DD HH:mm:ss */
  expiryDate: string;
}

export interface CallerIdValidation {
  reqId: number;
  callerId: string;
  validType: 'SMS' | 'CALL';
  code: string;
  /** Wrong codes entered so far; the request is dropped at the limit. */
  failures: number;
}

export interface QueueWaiting {
  callId: string;
  callerId: string;
  /** Epoch ms: Wait counts from here. */
  enteredAt: number;
}

export interface QueueMember {
  agent: string;
  paused: boolean;
  status: string;
  callsTaken: number;
  /** Epoch ms of the agent's last call, null when none. */
  lastCallAt: number | null;
  penalty: string;
}

/** The queue's counters (GetQueueRealTime queueData, except Calls: the callers waiting now). */
export interface QueueCounters {
  Abandoned: number;
  Completed: number;
  TalkTime: number;
  Holdtime: number;
  Max: number;
  Strategy: string;
}

export interface RealtimeQueue {
  counters: QueueCounters;
  waiting: QueueWaiting[];
  members: QueueMember[];
  /** Calls removed by QueueManagement kick, with where they were sent. */
  kicked: Array<{ callId: string; moreData?: string }>;
}

export interface ConferenceSeat {
  mute: boolean;
  hand: boolean;
  admin: boolean;
  /** Data on the participant (CallAction path:add / path:remove), e.g. survey = digits pressed. */
  data: Record<string, string>;
}

export interface LiveCall {
  id: string;
  /** The number dialled. */
  did: string;
  callerIdNum: string;
  /** Epoch ms: duration counts from here. */
  startedAt: number;
  /** "מועבר" when transferred from another system, else null. */
  transferFrom: string | null;
  /** The extension the call is in now, e.g. /1/10. */
  path: string;
  /** Set when the call sits in a conference room. */
  conference?: ConferenceSeat;
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
