import { randomInt } from 'node:crypto';
import { ApiFail, fail, type Area, type CommandContext, type HandlerInfo, type Params } from '../../handler.js';
import { formatDateTime, isPresent, optInt, requireInt, requireString } from '../../params.js';
import { assertApprovedCaller } from '../../phones.js';
import type { AccountState, SipAccount, SipTransport } from '../../state.js';

const EXTENSION = { min: 200, max: 10_000 };
const ACCOUNT_NUMBER = { min: 1 };
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

const randomPassword = (length = 12) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const userName = (state: AccountState, sip: SipAccount) => `${state.mainDid}=${sip.accountNumber}`;

/** The account named by accountNumber, or the first one when it may be omitted. */
function pickAccount(state: AccountState, params: Params, required = false): SipAccount {
  const number = required ? requireInt(params, 'accountNumber') : optInt(params, 'accountNumber');
  if (number === undefined) return state.sipAccounts[0] ?? fail('there are no SIP accounts in this system');
  return state.sipAccounts.find((sip) => sip.accountNumber === number) ?? fail(`accountNumber ${number} not found`);
}

function assertExtensionFree(state: AccountState, extension: number, except?: SipAccount): void {
  if (state.sipAccounts.some((sip) => sip !== except && sip.extension === extension)) fail(`extNumber ${extension} is already in use`);
}

/** A SIP-only handler (every command of this area is one). */
const sipOnly = (handle: HandlerInfo['handle'], rules: HandlerInfo['rules'] = { accountNumber: ACCOUNT_NUMBER }): HandlerInfo => ({ sipOnly: true, rules, handle });

const setTransport = (transport: SipTransport) => sipOnly(({ params, state }: CommandContext) => ((pickAccount(state, params).transport = transport), {}));

export const sip: Area = {
  CreateSipAccount: sipOnly(
    ({ params, state }) => {
      const extension = optInt(params, 'extNumber');
      if (extension !== undefined) assertExtensionFree(state, extension);
      if (state.sipAccounts.length >= state.sipAccountLimit) fail(`SIP account limit reached (${state.sipAccountLimit})`);
      const sip: SipAccount = {
        accountNumber: state.nextSipAccountNumber++,
        extension: extension ?? null,
        transport: 'transport-udp',
        specialCallerID: '',
        password: randomPassword(),
        createdDate: formatDateTime(),
        contexts: [],
      };
      state.sipAccounts.push(sip);
      return { accountID: userName(state, sip), accountNumber: sip.accountNumber, PASS: sip.password };
    },
    { extNumber: EXTENSION },
  ),
  GetSipAccountsInCustomer: sipOnly(({ state }) => ({
    accounts: state.sipAccounts.map((sip) => ({
      id: userName(state, sip),
      accountNumber: sip.accountNumber,
      customerExtension: sip.extension,
      transport: sip.transport,
      callerid: state.mainDid,
      specialCallerID: sip.specialCallerID,
      password: sip.password,
      created_date: sip.createdDate,
    })),
    accountLimit: state.sipAccountLimit,
  })),
  SipToWss: setTransport('transport-wss'),
  SipToUdp: setTransport('transport-udp'),
  EditCallerIdInSipAccount: sipOnly(({ params, state }) => {
    const sip = pickAccount(state, params, true);
    const callerId = requireString(params, 'callerId').trim();
    assertApprovedCaller(state, callerId);
    sip.specialCallerID = callerId;
    return {};
  }),
  // accountNumber may be an array here, so it is checked item by item rather than by a rule.
  DeleteSipAccount: sipOnly(({ params, state }) => {
    if (!isPresent(params, 'accountNumber')) fail('accountNumber is required');
    const items = Array.isArray(params.accountNumber) ? params.accountNumber : [params.accountNumber];
    if (items.length === 0) fail('accountNumber is required');
    const numbers = items.map((item) => optInt({ accountNumber: item }, 'accountNumber', ACCOUNT_NUMBER) ?? fail('accountNumber is invalid'));
    const before = state.sipAccounts.length;
    state.sipAccounts = state.sipAccounts.filter((sip) => !numbers.includes(sip.accountNumber));
    return { affected_rows: before - state.sipAccounts.length };
  }, {}),
  SipExtensionManagement: sipOnly(
    ({ params, state }) => {
      const action = params.SipExtensionManagement;
      if (action !== 'Get' && action !== 'Set') throw new ApiFail({ responseStatus: 'Exception', message: 'bad action', file: 'SipExtensionManagement.ym', Line: '18:13' });
      const sip = pickAccount(state, params);
      if (action === 'Set') {
        const extension = optInt(params, 'extNumber');
        if (extension !== undefined) assertExtensionFree(state, extension, sip);
        sip.extension = extension ?? null;
      }
      return { extNumber: sip.extension };
    },
    { accountNumber: ACCOUNT_NUMBER, extNumber: EXTENSION },
  ),
  SipGetContexts: sipOnly(({ params, state }) => ({ contexts: pickAccount(state, params).contexts.map((context) => ({ ...context })) })),
  GetSipAccountsRegisteredStatus: sipOnly(({ state }) => ({
    accounts: state.sipAccounts.map((sip) => ({ userName: userName(state, sip), createdDate: sip.createdDate, registered: sip.contexts.length > 0 })),
  })),
};
