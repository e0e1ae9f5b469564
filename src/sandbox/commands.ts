import {
  getApprovedCallerIds,
  getCustomerSmsTransactions,
  getIncomingSms,
  isCallerIdApproved,
  NO_SIP_ANSWER,
  pirsumPhoneManagement,
  setSecondaryDidUsage,
} from './commands-account.js';
import { callExtensionBridging, sendTts } from './commands-campaigns.js';
import { checkIfFolderExists, getIvr2DirStats, renderYmgrFile } from './commands-files.js';
import { ApiFail, TextReply, type CommandContext, type Handler } from './commands-params.js';
import { queueCallBack, queueManagement } from './commands-queues.js';
import {
  createSipAccount,
  deleteSipAccount,
  editCallerIdInSipAccount,
  getSipAccountsInCustomer,
  getSipAccountsRegisteredStatus,
  sipExtensionManagement,
  sipGetContexts,
  sipToUdp,
  sipToWss,
} from './commands-sip.js';

export type { CommandContext } from './commands-params.js';

export const API_VERSION = '6.7.30-sandbox';

/** The commands that exist only on SIP servers. */
export const SIP_COMMANDS: ReadonlySet<string> = new Set([
  'CreateSipAccount',
  'GetSipAccountsInCustomer',
  'SipToWss',
  'SipToUdp',
  'EditCallerIdInSipAccount',
  'DeleteSipAccount',
  'SipExtensionManagement',
  'SipGetContexts',
  'GetSipAccountsRegisteredStatus',
]);

/** One handler per documented command (MFASession and Login are routed by the server). */
const COMMANDS: Record<string, Handler> = {
  SendTTS: sendTts,
  RenderYMGRFile: renderYmgrFile,
  GetCustomerSmsTransactions: getCustomerSmsTransactions,
  CheckIfFolderExists: checkIfFolderExists,
  CreateSipAccount: createSipAccount,
  GetSipAccountsInCustomer: getSipAccountsInCustomer,
  SipToWss: sipToWss,
  SipToUdp: sipToUdp,
  EditCallerIdInSipAccount: editCallerIdInSipAccount,
  DeleteSipAccount: deleteSipAccount,
  SipExtensionManagement: sipExtensionManagement,
  SetSecondaryDidUsageDescription: setSecondaryDidUsage,
  GetIVR2DirStats: getIvr2DirStats,
  QueueManagement: queueManagement,
  PirsumPhoneManagement: pirsumPhoneManagement,
  CallExtensionBridging: callExtensionBridging,
  SipGetContexts: sipGetContexts,
  GetSipAccountsRegisteredStatus: getSipAccountsRegisteredStatus,
  GetApprovedCallerIDs: getApprovedCallerIds,
  IsCallerIDApproved: isCallerIdApproved,
  QueueCallBack: queueCallBack,
  GetIncomingSms: getIncomingSms,
};

export function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

export type Outcome = { kind: 'json'; answer: Record<string, unknown> } | { kind: 'text'; contentType: string; body: string };

/** responseStatus first, then yAfastVersion (unless the answer brings its own), then the rest. */
export function withVersion(answer: Record<string, unknown>): Record<string, unknown> {
  return { responseStatus: answer.responseStatus, yAfastVersion: API_VERSION, ...answer };
}

/** Runs a known command; API errors become their answers, bugs become an Exception answer. */
export function runCommand(name: string, ctx: CommandContext, log: (line: string) => void): Outcome {
  if (SIP_COMMANDS.has(name) && !ctx.sip) return { kind: 'json', answer: { ...NO_SIP_ANSWER } };
  try {
    const result = COMMANDS[name](ctx);
    if (result instanceof TextReply) return { kind: 'text', contentType: result.contentType, body: result.body };
    return { kind: 'json', answer: withVersion({ responseStatus: 'OK', ...result }) };
  } catch (error) {
    if (error instanceof ApiFail) return { kind: 'json', answer: withVersion(error.answer) };
    log(`internal error in ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return { kind: 'json', answer: withVersion({ responseStatus: 'Exception', message: 'internal sandbox error', file: `${name}.ym`, Line: '0:0' }) };
  }
}
