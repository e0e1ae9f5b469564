import type { PendingUpload } from './pending-uploads.js';
import type { VfsFolder } from './vfs.js';

/**
 * The one state of a simulated account: the IVR tree (files, ext.ini, reports) and the records the
 * rest of the API reads and writes. Plain data; createDemoState() builds a fresh copy.
 */
export interface AccountState {
  mainDid: string;
  /** What Login accepts; SetPassword changes the password. */
  login: { username: string; password: string };
  /** Live sessions: the starting token, a few seeded others, then one per Login; ended ones are removed. */
  sessions: SandboxSession[];
  nextSessionId: number;
  /** Every Login attempt, successful or not, oldest first (GetLoginLog). */
  loginLog: LoginAttempt[];
  /** The details SetCustomerDetails replaces, the line's passwords among them. */
  profile: CustomerDetails;
  /** Account facts no command changes (GetSession, GetCustomerData). */
  accountInfo: { creditFile: string; systemSite: string; ivrType: string };
  units: number;
  /** The unit ledger (GetTransactions), newest last. */
  transactions: UnitTransaction[];
  /** Other simulated systems by number, TransferUnits' destinations, each with its own balance and ledger. */
  otherSystems: Record<string, UnitAccount>;
  /** Incoming minutes per day (GetIncomingSum), oldest first. */
  incomingMinutes: IncomingMinutesDay[];
  ivr: VfsFolder;
  /** Column translations of .ymgr reports per language, applied unless notLoadLang=1. */
  ymgrLanguages: Record<string, Record<string, string>>;
  /** Campaign templates, keyed by template id; `tpl:<id>` dials their entries. */
  templates: Record<string, Template>;
  nextTemplateId: number;
  /** The template RunCampaign uses without templateId and CreateTemplate copies. */
  defaultTemplateId: string;
  /** The templates' message files, flat: `<id>.wav`, `<id>.tts`, `<id>-MoreInfo.wav` (FileAction's `tpl:` paths). */
  campaignFiles: VfsFolder;
  /** Chunked UploadFile parts received, by qquuid, until UploadFile?done assembles them. */
  pendingUploads: Record<string, PendingUpload>;
  /** Free tzintuk lists for `tzl:<name>`: members join and leave by phone, never through the API. */
  tzintukLists: Record<string, TzintukList>;
  campaigns: CampaignRecord[];
  /** Campaigns run from templates (RunCampaign, ScheduleCampaign), progressing over simulated time. */
  templateCampaigns: TemplateCampaign[];
  scheduledCampaigns: ScheduledCampaign[];
  nextSchedId: number;
  tasks: ScheduledTask[];
  nextTaskId: number;
  /** Shabbat or a holiday: RunCampaign answers 104 `isKodesh is true` and checkIsKodesh tasks skip their run. */
  kodesh: boolean;
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

export interface SandboxSession {
  /** GetAllSessions' id, KillSession's SessionId. */
  id: number;
  token: string;
  remoteIP: string;
  sessionType: string;
  selectedDID: string;
  /** Simulated epoch ms. */
  createdAt: number;
  lastRequestAt: number;
  /**
   * False for the starting token: it stands for a token the operator configured (like the documented
   * `system:password` form), not a Login, so it has no idle life; Login sessions die after 30 idle minutes.
   */
  idles: boolean;
}

export interface LoginAttempt {
  remoteIP: string;
  sessionType: string;
  /** YYYY-MM-DD HH:mm:ss */
  actionTimestamp: string;
  username: string;
  successful: boolean;
}

export const CUSTOMER_DETAILS = ['name', 'email', 'organization', 'contactName', 'phones', 'invoiceName', 'invoiceAddress', 'fax', 'accessPassword', 'recordPassword'] as const;
export type CustomerDetails = Record<(typeof CUSTOMER_DETAILS)[number], string>;

/** A balance with its ledger: this system's (AccountState) or another simulated system's. */
export interface UnitAccount {
  units: number;
  transactions: UnitTransaction[];
}

export interface IncomingMinutesDay {
  /** YYYY-MM-DD */
  date: string;
  direct: number;
  transferIn: number;
  transferOut: number;
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
  rowid: number;
  phone: string;
  name: string;
  moreinfo: string;
  blocked: boolean;
}

export const INCOMING_POLICIES = ['OPEN', 'BLACKLIST', 'WHITELIST', 'BLOCKED'] as const;
export const REDIAL_POLICIES = ['NONE', 'CONGESTIONS', 'FAILED'] as const;
export const YEMOT_CONTEXTS = ['SIMPLE', 'REPEAT', 'MESSAGE', 'VOICEMAIL', 'BRIDGE', 'OTHER'] as const;
export const REMOVE_REQUESTS = ['SILENT', 'WITH_MESSAGE'] as const;

/** A template's settings as GetTemplates names them (UpdateTemplate changes them, CreateTemplate copies the default's). */
export interface TemplateSettings {
  callerId: string;
  incomingPolicy: (typeof INCOMING_POLICIES)[number];
  maxActiveChannels: number;
  /** 0 = unlimited. */
  maxBridgedChannels: number;
  /** Seconds a call rings before it counts as no answer. */
  originateTimeout: number;
  vmDetect: boolean;
  filterEnabled: boolean;
  maxDialAttempts: number;
  redialWait: number;
  redialPolicy: (typeof REDIAL_POLICIES)[number];
  yemotContext: (typeof YEMOT_CONTEXTS)[number];
  bridgeTo: string;
  playPrivateMsg: boolean;
  removeRequest: (typeof REMOVE_REQUESTS)[number];
}

export interface Template {
  description: string | null;
  entries: TemplateEntry[];
  settings: TemplateSettings;
  nextRowId: number;
}

/** GetCampaignStatus's lower-case entry statuses (the ones the simulation reaches, and the rest it may be asked for). */
export const ENTRY_STATUSES = ['pending', 'blocked', 'done', 'accepted', 'failed', 'no_answer', 'busy', 'amd', 'ringing', 'up', 'bridged', 'remove_request', 'redial', 'canceled', 'error'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface CampaignEntry {
  phone: string;
  name: string;
  moreinfo: string;
  /** ttsMode's personal text (RunCampaign phones object `text`). */
  text: string;
  entryStatus: EntryStatus;
  /** withSMS: this regular mobile got the SMS instead of the call. */
  sms: boolean;
  /** Simulated epoch ms: dialled, answered, ended; when the current phase (ringing, up) ends. */
  startedAt: number | null;
  answeredAt: number | null;
  endedAt: number | null;
  phaseEndsAt: number | null;
  price: number;
}

export type CampaignStatus = 'RUNNING' | 'PAUSED' | 'STOPPING' | 'STOPPED' | 'FINISHED';

export interface TemplateCampaign {
  campaignId: string;
  templateId: number;
  who: string;
  callerId: string;
  campaignStatus: CampaignStatus;
  startedAt: number;
  endedAt: number | null;
  ttsMode: boolean;
  withSMS: boolean;
  unitsPerMessage: number;
  /** How long an answered call lasts: the message's length. */
  messageSeconds: number;
  settings: TemplateSettings;
  smsCount: number;
  smsPrice: number;
  /** Units of finished calls, written to the ledger (billed) or not yet (unbilled). */
  billed: number;
  unbilled: number;
  entries: CampaignEntry[];
}

export type ScheduleState = 'PENDING' | 'SUCCESSFUL' | 'FAILED';

export interface ScheduledCampaign {
  schedId: number;
  templateId: number;
  /** Simulated epoch ms. */
  startAt: number;
  createTime: string;
  state: ScheduleState;
  campaignId: string | null;
  errorMsg: string | null;
  /** Entries waiting to be called when it was scheduled. */
  pending: number;
}

export const TASK_TYPES = ['SendSMS', 'RunTzintuk', 'MoveOnFile'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** When a task runs: each field a number, or null for any (cron-like). */
export interface TaskSchedule {
  minute: number | null;
  hour: number | null;
  day: number | null;
  month: number | null;
  year: number | null;
  /** Weekdays 0 (Sunday)…6 it may run on; null = any day. */
  daysOfWeek: number[] | null;
}

export interface TaskLog {
  id: number;
  succeeded: boolean;
  error_message: string | null;
  ts: string;
}

export interface ScheduledTask {
  id: number;
  description: string;
  type: TaskType;
  /** The type's own fields (callerId, smsList, smsMessage / toList, typeList / folder, target, moveFileType…). */
  actionData: Record<string, string | number>;
  schedule: TaskSchedule;
  active: boolean;
  checkIsKodesh: boolean;
  sendMailInEnd: boolean;
  sendMailInError: boolean;
  createTs: string;
  updateTs: string;
  lastRun: string | null;
  /** Simulated epoch ms of the next run; null when inactive or never again. */
  nextRunAt: number | null;
  logs: TaskLog[];
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
  /** The language its prompts play in, once CallAction changed it (set:Clanguage). */
  language?: string;
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
