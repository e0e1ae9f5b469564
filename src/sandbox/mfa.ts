/**
 * The two-factor (MFASession) state machine of the sandbox: per-session pass state, methods,
 * codes, send cooldowns, remember-me tokens and trusted IPs, as the vendor documents them.
 * Everything lives in memory; the clock is injectable so tests can move time.
 */
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { formatDateTime } from './params.js';

export interface MfaOptions {
  /** State of every new session token. */
  initial: 'not-passed' | 'passed' | 'hard';
  /** Where sent codes are announced (the sandbox prints them to stderr). */
  log: (line: string) => void;
  /** Also put a sent code in the send answer (sandboxCode), for hosts that show no stderr; default false. */
  codesInAnswers?: boolean;
  /** validMFA/validMethod attempts per sent code before OVERTRY; default 3. */
  maxCodeTries?: number;
  /** Failed `try` calls (account-wide) before the account is blocked; default 5. */
  tryLimit?: number;
  /** Base cooldown between sends per session; default 30 (doubles with every further send). */
  sendCooldownSeconds?: number;
  /** Clock, default Date.now. */
  now?: () => number;
}

type Answer = Record<string, unknown>;
type Params = Record<string, unknown>;
type SendType = 'CALL' | 'SMS' | 'EMAIL';
type Channel = 'login' | 'method';

interface Method {
  /** The per-request ID of getMFAMethods (kept stable here). */
  id: number;
  /** The fixed MFA_METHOD_ID. */
  methodId: number;
  kind: 'PHONE' | 'EMAIL';
  status: 'ACTIVE' | 'PENDING';
  nike: string;
  note: string;
  sendTypes: SendType[];
  value: string;
  expiredDate: string;
  lastUsed: string | null;
}

interface PendingCode {
  code: string;
  tries: number;
  /** Tries exhausted: the code no longer validates; a new send is needed. */
  over: boolean;
  /** getMFAMethods ID (login code) or MFA_METHOD_ID (method code). */
  target: number;
}

interface Cooldown {
  sends: number;
  nextAt: number;
}

interface Session {
  isPass: boolean;
  isPassInThisSession: boolean;
  passReason: string;
  loginCode?: PendingCode;
  methodCode?: PendingCode;
  cooldowns: Record<Channel, Cooldown>;
}

interface TrustToken {
  id: number;
  trust_key_type: 'YM_CALL2ALL_WEBSITE' | 'CUSTOMER_IP';
  create_by: string;
  create_date: string;
  update_by: string | null;
  update_date: string | null;
  last_use: string | null;
  trust_note: string;
}

const DAY = 86_400_000;
const DEFAULT_IP = '127.0.0.1';
const MAX_METHODS = 20;
const MAX_TRUST_IPS = 50;
const SEND_TYPES: readonly SendType[] = ['CALL', 'SMS', 'EMAIL'];
const LANGS = ['HE', 'EN'];
const BEFORE_PASS = 'the this action allow only BEFORE pass';
/** Invented: the vendor's wording for these refusals is not known. */
const BEFORE_HARD = 'the this action allow only BEFORE valid in this session';
const HARD_AUTH_REQUIRED = 'HARD_AUTH_REQUIRED';
const BLOCKED = 'the account is blocked from passing MFA: too many failed try attempts';
const OVERTRY_MESSAGE = 'validMFA not allow. over trys attempt';
const SENT = 'the code send. please valid the code';
export const SANDBOX_NOTE = 'Sandbox only: the real API never returns the code; read it from your phone/email';

const ok = (extra: Answer = {}): Answer => ({ responseStatus: 'OK', ...extra });
const error = (message: string): Answer => ({ responseStatus: 'ERROR', message });
const missing = (name: string): Answer => error(`${name} is required`);

/** A parameter as a trimmed string; undefined when absent or empty. */
function text(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return undefined;
}

function flag(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value === 'string') return ['1', 'true', 'on', 'yes'].includes(value.trim().toLowerCase());
  return false;
}

/**
 * 'YYYY-MM-DD HH:mm:ss' in the account's wall time, as every other date of the simulated account (the docs give no
 * zone for the two-factor dates; a simulator in UTC here showed an agent a last use two hours before its session).
 */
export function formatDate(ms: number): string {
  return formatDateTime(new Date(ms));
}

/** Parses 'YYYY-MM-DD HH:mm:ss' in the same wall time; undefined when malformed or not a real date. */
export function parseDate(value: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match) return undefined;
  const ms = new Date(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]).getTime();
  return formatDate(ms) === value ? ms : undefined;
}

/** Masks a method's destination like the vendor: a few characters, then bullets that do not reflect the length. */
export function maskValue(kind: 'PHONE' | 'EMAIL', value: string): string {
  if (kind === 'EMAIL') {
    const at = value.lastIndexOf('@');
    if (at < 0) return `${value.slice(0, 2)}•••`;
    const local = value.slice(0, at);
    const domain = value.slice(at + 1);
    const dot = domain.indexOf('.');
    const tail = dot >= 0 ? domain.slice(dot) : '';
    return `${local.slice(0, Math.min(2, Math.max(1, local.length - 1)))}•••@•••${tail}`;
  }
  if (value.length <= 7) return `${value.slice(0, 2)}•••`;
  return `${value.slice(0, 5)}•••${value.slice(-2)}`;
}

/** Normalises a phone of Israel (+972) or USA/Canada (+1); undefined otherwise. */
export function normalizePhone(raw: string): string | undefined {
  let phone = raw.replace(/[\s\-().]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  else if (/^0\d/.test(phone)) phone = `+972${phone.slice(1)}`;
  else if (/^(972|1)\d/.test(phone)) phone = `+${phone}`;
  if (/^\+972[1-9]\d{7,8}$/.test(phone)) return phone;
  if (/^\+1[2-9]\d{2}[2-9]\d{6}$/.test(phone)) return phone;
  return undefined;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export class MfaAccount {
  private readonly initial: MfaOptions['initial'];
  private readonly log: (line: string) => void;
  private readonly codesInAnswers: boolean;
  private readonly maxCodeTries: number;
  private readonly tryLimit: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  private sessions = new Map<string, Session>();
  private methods: Method[] = [];
  private trustTokens: TrustToken[] = [];
  private trustIps: string[] = [];
  private failedTries = 0;
  private nextId = 1;
  private nextMethodId = 6598;
  private nextTrustTokenId = 1;
  private last: string | undefined;

  constructor(options: MfaOptions) {
    this.initial = options.initial;
    this.log = options.log;
    this.codesInAnswers = options.codesInAnswers ?? false;
    this.maxCodeTries = Math.max(1, options.maxCodeTries ?? 3);
    this.tryLimit = Math.max(1, options.tryLimit ?? 5);
    this.cooldownMs = Math.max(0, options.sendCooldownSeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
    this.reset();
  }

  /** Back to the demo account: fresh sessions, the three demo methods, one website trust token, no trusted IP. */
  reset(): void {
    const now = this.now();
    this.sessions = new Map();
    this.failedTries = 0;
    this.last = undefined;
    this.nextId = 1;
    this.nextMethodId = 6598;
    this.nextTrustTokenId = 1;
    this.methods = [];
    this.addDemoMethod('PHONE', 'ACTIVE', 'CREATE_PHONE', '', '+972501234567', formatDate(now - 3 * DAY));
    this.addDemoMethod('EMAIL', 'ACTIVE', 'RESET_MAIL', '', 'owner@example.co.il', formatDate(now - 10 * DAY));
    this.addDemoMethod('PHONE', 'PENDING', 'BY_CUSTOMER', 'office phone', '+12025550143', null);
    this.trustTokens = [
      {
        id: this.nextTrustTokenId++,
        trust_key_type: 'YM_CALL2ALL_WEBSITE',
        create_by: '192.0.2.10',
        create_date: formatDate(now - 30 * DAY),
        update_by: null,
        update_date: null,
        last_use: formatDate(now - 2 * DAY),
        trust_note: 'office browser',
      },
    ];
    this.trustIps = [];
  }

  /** The answer body of command MFASession for this session token. */
  handle(token: string, params: Params): Answer {
    const session = this.session(token);
    const ip = typeof params.__ip === 'string' && params.__ip.trim() ? params.__ip.trim() : DEFAULT_IP;
    switch (params.action) {
      case 'isPass':
        return ok(this.stateOf(session));
      case 'try':
        return this.try(session, ip);
      case 'getMFAMethods':
        return ok({ ...this.stateOf(session), mfaMethods: this.listMethods(session.isPassInThisSession) });
      case 'sendMFA':
        return this.sendMFA(token, session, params);
      case 'validMFA':
        return this.validMFA(session, params, ip);
      case 'addMethod':
        return this.hard(session, () => this.addMethod(params));
      case 'reValidMethod':
        return this.hard(session, () => this.reValidMethod(token, session, params));
      case 'validMethod':
        return this.hard(session, () => this.validMethod(session, params));
      case 'deleteMethod':
        return this.hard(session, () => this.deleteMethod(params));
      case 'getMFATrustTokens':
        return this.hard(session, () => ok({ trustTokens: this.trustTokens.map((trust) => ({ ...trust })) }));
      case 'deleteTrustToken':
        return this.hard(session, () => this.deleteTrustToken(params));
      case 'getMFATrustIps':
        return this.hard(session, () => ok({ trustIps: [...this.trustIps] }));
      case 'setMFATrustIps':
        return this.hard(session, () => this.setMFATrustIps(params));
      default:
        return { responseStatus: 'Exception', message: 'bad action' };
    }
  }

  isPass(token: string): boolean {
    return this.session(token).isPass;
  }

  state(token: string): { isPass: boolean; isPassInThisSession: boolean; passReason: string; isAvailable: boolean } {
    const { isAvailable, isPass, passReason, isPassInThisSession } = this.stateOf(this.session(token));
    return { isPass, isPassInThisSession, passReason, isAvailable };
  }

  /** The person finished the vendor's browser verification page for this session. */
  completeSso(token: string): void {
    this.pass(this.session(token));
  }

  /** The most recent code sent, by sendMFA or reValidMethod. */
  lastCode(): string | undefined {
    return this.last;
  }

  /** Adds an IP to the trusted list (as setMFATrustIps would). */
  setTrustedIp(ip: string): void {
    const value = ip.trim();
    if (!this.trustIps.includes(value)) this.trustIps.push(value);
  }

  // --- sessions ---

  private session(token: string): Session {
    let session = this.sessions.get(token);
    if (!session) {
      const passed = this.initial !== 'not-passed';
      const hard = this.initial === 'hard';
      session = {
        isPass: passed,
        isPassInThisSession: hard,
        passReason: hard ? 'MFA_PASSED' : passed ? 'INIT_WHITELIST_IPS' : '',
        cooldowns: { login: { sends: 0, nextAt: 0 }, method: { sends: 0, nextAt: 0 } },
      };
      this.sessions.set(token, session);
    }
    return session;
  }

  private stateOf(session: Session): { isAvailable: boolean; isPass: boolean; passReason: string; isPassInThisSession: boolean } {
    return {
      isAvailable: this.visibleMethods().some((method) => method.status === 'ACTIVE' && method.sendTypes.length > 0),
      isPass: session.isPass,
      passReason: session.passReason,
      isPassInThisSession: session.isPassInThisSession,
    };
  }

  private pass(session: Session): void {
    session.isPass = true;
    session.isPassInThisSession = true;
    session.passReason = 'MFA_PASSED';
    session.loginCode = undefined;
  }

  private hard(session: Session, run: () => Answer): Answer {
    return session.isPassInThisSession ? run() : error(HARD_AUTH_REQUIRED);
  }

  private blocked(): boolean {
    return this.failedTries >= this.tryLimit;
  }

  // --- passing ---

  private try(session: Session, ip: string): Answer {
    if (session.isPass) return error(BEFORE_PASS);
    if (this.blocked()) return error(BLOCKED);
    if (this.trustIps.includes(ip)) {
      session.isPass = true;
      session.passReason = 'INIT_WHITELIST_IPS';
    } else {
      const trust = this.trustTokens.find((token) => token.trust_key_type === 'CUSTOMER_IP' && token.create_by === ip);
      if (trust) {
        trust.last_use = formatDate(this.now());
        session.isPass = true;
        session.passReason = 'HAVE_ACTIVE_TRUST_TOKEN';
      } else {
        this.failedTries++;
      }
    }
    return ok(this.stateOf(session));
  }

  // --- methods ---

  private addDemoMethod(kind: Method['kind'], status: Method['status'], nike: string, note: string, value: string, lastUsed: string | null): void {
    this.methods.push({
      id: this.nextId++,
      methodId: this.nextMethodId++,
      kind,
      status,
      nike,
      note,
      sendTypes: kind === 'PHONE' ? ['CALL', 'SMS'] : ['EMAIL'],
      value,
      expiredDate: formatDate(this.now() + 365 * DAY),
      lastUsed,
    });
  }

  /** Expired methods are not shown, nor usable. */
  private visibleMethods(): Method[] {
    const now = this.now();
    return this.methods.filter((method) => (parseDate(method.expiredDate) ?? Infinity) > now);
  }

  private listMethods(full: boolean): Answer[] {
    return this.visibleMethods().map((method) => ({
      ID: method.id,
      STATUS: method.status,
      MFA_METHOD_ID: method.methodId,
      NIKE: method.nike,
      NOTE: method.note,
      SEND_TYPE: [...method.sendTypes],
      VALUE: full ? method.value : maskValue(method.kind, method.value),
      EXPIRED_DATE: method.expiredDate,
      LAST_USED: method.lastUsed,
    }));
  }

  private byId(raw: string): Method | undefined {
    return this.visibleMethods().find((method) => String(method.id) === raw);
  }

  private byMethodId(raw: string): Method | undefined {
    return this.visibleMethods().find((method) => String(method.methodId) === raw);
  }

  // --- codes ---

  /** Checks mfaSendType and lang for a method; an error answer, or the send type. */
  private sendOptions(method: Method, params: Params): Answer | SendType {
    const rawType = text(params, 'mfaSendType');
    if (!rawType) return missing('mfaSendType');
    const type = rawType.toUpperCase() as SendType;
    if (!SEND_TYPES.includes(type)) return error(`mfaSendType: ${rawType} is not valid (CALL, SMS or EMAIL)`);
    if (!method.sendTypes.includes(type)) return error(`mfaSendType: ${type} is not allowed for this method (SEND_TYPE: ${method.sendTypes.join(', ')})`);
    const lang = text(params, 'lang');
    if (lang !== undefined && !LANGS.includes(lang.toUpperCase())) return error(`lang: ${lang} is not valid (HE or EN)`);
    return type;
  }

  /** The rate-limit Exception when this session's channel is cooling down; else records the send. */
  private cooldown(session: Session, channel: Channel): Answer | undefined {
    const state = session.cooldowns[channel];
    const now = this.now();
    if (now < state.nextAt) {
      const seconds = Math.max(1, Math.ceil((state.nextAt - now) / 1000));
      return { responseStatus: 'Exception', message: `exception send by customer. wait ${seconds}s`, file: 'CustomerMFA.class.ym', Line: '590:19' };
    }
    state.sends++;
    state.nextAt = now + this.cooldownMs * 2 ** (state.sends - 1);
    return undefined;
  }

  private newCode(token: string, type: SendType, suffix = ''): string {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.last = code;
    this.log(`MFA code for session …${token.slice(-4)} via ${type}: ${code}${suffix}`);
    return code;
  }

  /** The answer of a send; with codesInAnswers the code too, marked as the sandbox's alone. */
  private sent(code: string): Answer {
    return ok({ message: SENT, ...(this.codesInAnswers && { sandboxCode: code, sandboxNote: SANDBOX_NOTE }) });
  }

  /** Checks a code; the answer shape of validMFA and validMethod. */
  private check(pending: PendingCode, code: string): { valid: boolean; answer: Answer } {
    if (pending.over) {
      return { valid: false, answer: ok({ mfa_valid_status: 'OVERTRY', mfa_valid_trys: pending.tries, mfa_valid_left: 0, mfa_valid_message: OVERTRY_MESSAGE }) };
    }
    pending.tries++;
    if (code === pending.code) return { valid: true, answer: ok({ mfa_valid_status: 'VALID', mfa_valid_trys: pending.tries, mfa_valid_left: this.maxCodeTries - pending.tries }) };
    const left = this.maxCodeTries - pending.tries;
    if (left <= 0) {
      pending.over = true;
      return { valid: false, answer: ok({ mfa_valid_status: 'OVERTRY', mfa_valid_trys: pending.tries, mfa_valid_left: 0, mfa_valid_message: OVERTRY_MESSAGE }) };
    }
    return { valid: false, answer: ok({ mfa_valid_status: 'UNVALID', mfa_valid_trys: pending.tries, mfa_valid_left: left, mfa_valid_message: 'the code is not valid' }) };
  }

  private sendMFA(token: string, session: Session, params: Params): Answer {
    if (session.isPassInThisSession) return error(BEFORE_HARD);
    if (this.blocked()) return error(BLOCKED);
    const id = text(params, 'mfaId');
    if (!id) return missing('mfaId');
    const method = this.byId(id);
    if (!method) return error(`mfaId: method ${id} not found`);
    if (method.status !== 'ACTIVE') return error(`mfaId: method ${id} is ${method.status}; verify it first (reValidMethod, validMethod)`);
    const type = this.sendOptions(method, params);
    if (typeof type !== 'string') return type;
    const limited = this.cooldown(session, 'login');
    if (limited) return limited;
    session.loginCode = { code: this.newCode(token, type), tries: 0, over: false, target: method.id };
    return this.sent(session.loginCode.code);
  }

  private validMFA(session: Session, params: Params, ip: string): Answer {
    if (session.isPassInThisSession) return error(BEFORE_HARD);
    const code = text(params, 'mfaCode');
    if (!code) return missing('mfaCode');
    const pending = session.loginCode;
    if (!pending) return error('no code was sent in this session: call sendMFA first');
    const { valid, answer } = this.check(pending, code);
    if (!valid) return answer;
    const now = formatDate(this.now());
    const method = this.methods.find((candidate) => candidate.id === pending.target);
    if (method) method.lastUsed = now;
    this.pass(session);
    if (flag(params.mfaRememberMe)) this.remember(ip, text(params, 'mfaRememberNote') ?? '', now);
    return answer;
  }

  /** Creates, or refreshes, the CUSTOMER_IP remember-me token of this IP. */
  private remember(ip: string, note: string, now: string): void {
    const existing = this.trustTokens.find((token) => token.trust_key_type === 'CUSTOMER_IP' && token.create_by === ip);
    if (existing) {
      existing.update_by = ip;
      existing.update_date = now;
      if (note) existing.trust_note = note;
      return;
    }
    this.trustTokens.push({
      id: this.nextTrustTokenId++,
      trust_key_type: 'CUSTOMER_IP',
      create_by: ip,
      create_date: now,
      update_by: null,
      update_date: null,
      last_use: null,
      trust_note: note,
    });
  }

  // --- hard actions ---

  private addMethod(params: Params): Answer {
    const rawType = text(params, 'mfaNewType');
    if (!rawType) return missing('mfaNewType');
    const kind = rawType.toUpperCase();
    if (kind !== 'EMAIL' && kind !== 'PHONE') return error(`mfaNewType: ${rawType} is not valid (EMAIL or PHONE)`);
    const raw = text(params, 'mtaNewValue');
    if (!raw) return missing('mtaNewValue');
    let value: string;
    if (kind === 'PHONE') {
      const phone = normalizePhone(raw);
      if (!phone) return error(`mtaNewValue: ${raw} is not a valid phone of Israel, USA or Canada`);
      value = phone;
    } else {
      if (!EMAIL_PATTERN.test(raw)) return error(`mtaNewValue: ${raw} is not a valid email`);
      value = raw.toLowerCase();
    }
    const now = this.now();
    let expiredDate = formatDate(now + 365 * DAY);
    const rawDate = text(params, 'newExpiredDate');
    if (rawDate !== undefined) {
      const ms = parseDate(rawDate);
      if (ms === undefined) return error(`newExpiredDate: ${rawDate} is not valid (YYYY-MM-DD HH:mm:ss)`);
      if (ms <= now) return error(`newExpiredDate: ${rawDate} is in the past`);
      expiredDate = rawDate;
    }
    const visible = this.visibleMethods();
    if (visible.length >= MAX_METHODS) return error(`too many methods: at most ${MAX_METHODS}`);
    if (visible.some((method) => method.kind === kind && method.value === value)) return error(`mtaNewValue: ${raw} already exists`);
    const method: Method = {
      id: this.nextId++,
      methodId: this.nextMethodId++,
      kind,
      status: 'PENDING',
      nike: 'BY_CUSTOMER',
      note: text(params, 'mtaNewValidNote') ?? text(params, 'mfaNewValidNote') ?? '',
      sendTypes: kind === 'PHONE' ? ['CALL', 'SMS'] : ['EMAIL'],
      value,
      expiredDate,
      lastUsed: null,
    };
    this.methods.push(method);
    return ok({ methodId: method.methodId });
  }

  private reValidMethod(token: string, session: Session, params: Params): Answer {
    const id = text(params, 'mfaId');
    if (!id) return missing('mfaId');
    const method = this.byMethodId(id);
    if (!method) return error(`mfaId: method ${id} not found`);
    const type = this.sendOptions(method, params);
    if (typeof type !== 'string') return type;
    const limited = this.cooldown(session, 'method');
    if (limited) return limited;
    session.methodCode = { code: this.newCode(token, type, ` (method ${method.methodId})`), tries: 0, over: false, target: method.methodId };
    return this.sent(session.methodCode.code);
  }

  private validMethod(session: Session, params: Params): Answer {
    const id = text(params, 'mfaId');
    if (!id) return missing('mfaId');
    const code = text(params, 'mfaCode');
    if (!code) return missing('mfaCode');
    const method = this.byMethodId(id);
    if (!method) return error(`mfaId: method ${id} not found`);
    const pending = session.methodCode;
    if (!pending || pending.target !== method.methodId) return error(`no code was sent for method ${id}: call reValidMethod first`);
    const { valid, answer } = this.check(pending, code);
    if (valid) {
      method.status = 'ACTIVE';
      method.lastUsed = formatDate(this.now());
      session.methodCode = undefined;
    }
    return answer;
  }

  private deleteMethod(params: Params): Answer {
    const id = text(params, 'mfaId');
    if (!id) return missing('mfaId');
    const method = this.byMethodId(id);
    if (!method) return error(`mfaId: method ${id} not found`);
    if (method.nike !== 'BY_CUSTOMER') return error(`mfaId: method ${id} (${method.nike}) can not be deleted; only methods added BY_CUSTOMER`);
    this.methods = this.methods.filter((candidate) => candidate !== method);
    for (const session of this.sessions.values()) {
      if (session.methodCode?.target === method.methodId) session.methodCode = undefined;
      if (session.loginCode?.target === method.id) session.loginCode = undefined;
    }
    return ok();
  }

  private deleteTrustToken(params: Params): Answer {
    const id = text(params, 'trustTokenId');
    if (!id) return missing('trustTokenId');
    const index = this.trustTokens.findIndex((token) => String(token.id) === id);
    if (index < 0) return error(`trustTokenId: ${id} not found`);
    this.trustTokens.splice(index, 1);
    return ok();
  }

  private setMFATrustIps(params: Params): Answer {
    const raw = params.trustIps;
    let entries: string[];
    if (Array.isArray(raw)) entries = raw.map((entry) => String(entry));
    else if (typeof raw === 'string') entries = raw.split(/\r?\n/);
    else return missing('trustIps');
    entries = entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
    const valid: string[] = [];
    const errors: string[] = [];
    for (const entry of entries) {
      if (!isIP(entry)) errors.push(`ip: ${entry} is not valid`);
      else {
        const ip = isIP(entry) === 6 ? entry.toLowerCase() : entry;
        if (!valid.includes(ip)) valid.push(ip);
      }
    }
    if (valid.length > MAX_TRUST_IPS) return error(`trustIps: at most ${MAX_TRUST_IPS} addresses (got ${valid.length})`);
    const save = valid.length !== this.trustIps.length || valid.some((ip) => !this.trustIps.includes(ip));
    if (save) this.trustIps = valid;
    return ok({ okCount: valid.length, save, valid_new_list: [...this.trustIps], errors });
  }
}
