import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../src/sandbox/index.js';
import { startSandbox, type Fault, type Sandbox } from '../src/sandbox/index.js';
import { actionOf, commandOf, effectOf, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { startHarness, type CallOutcome, type Harness } from './harness.js';
import { readyExample } from './made-values.js';

/**
 * Faults through a real MCP client. How each fault maps to its error code is the client's job and is tested
 * once there (test/client.test.ts). Here: how the tools layer presents each code (once, on one write and one
 * read), and per tool only what varies: its command, its verifyWith hint, exactly one request for a write.
 */

const quiet = () => undefined;

const WRITES = TOOLS.filter((spec) => spec.effect !== 'read');
/** The two-factor flow works only before (hard) verification: tools with such an action run on a session that has not passed. */
const needsFreshSession = (spec: ToolSpec) => Object.values(spec.actions ?? {}).some((action) => action.unavailableAfter);
const ON_HARD_SESSION = WRITES.filter((spec) => !needsFreshSession(spec));
const ON_FRESH_SESSION = WRITES.filter(needsFreshSession);
const SIP_WRITES = WRITES.filter((spec) => spec.toolset === 'sip');
const byName = (name: string) => TOOLS.find((spec) => spec.name === name)!;

/** The read that must work right after a fault: gated on a passed session, or the ungated state read. */
const READ_AFTER = { hard: 'get_approved_caller_ids', 'not-passed': 'mfa_status' } as const;
/** Short enough that the timeout case costs a fraction of a second; long enough that a busy machine still answers every other call in time. */
const TIMEOUT_MS = 400;

interface FaultCase {
  name: string;
  fault: Fault;
  code: string;
  /** The request may have reached Yemot: the result must say the outcome is unknown. */
  ambiguous: boolean;
}

const NO_SIP_MESSAGE = 'שרת זה אינו תומך במערכת SIP';

const FAULTS: FaultCase[] = [
  { name: 'timeout', fault: { kind: 'timeout' }, code: 'TIMEOUT', ambiguous: true },
  { name: 'connection reset mid-body', fault: { kind: 'reset' }, code: 'NETWORK', ambiguous: true },
  { name: 'HTTP 500 with an HTML page', fault: { kind: 'http', status: 500, body: '<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>', contentType: 'text/html' }, code: 'HTTP_ERROR', ambiguous: true },
  { name: 'HTTP 502', fault: { kind: 'http', status: 502 }, code: 'HTTP_ERROR', ambiguous: true },
  { name: 'invalid JSON', fault: { kind: 'raw', body: '{"responseStatus":"OK","CampaignId":' }, code: 'BAD_RESPONSE', ambiguous: true },
  { name: 'empty body', fault: { kind: 'raw', body: '' }, code: 'BAD_RESPONSE', ambiguous: true },
  { name: 'ERROR answer', fault: { kind: 'answer', answer: { responseStatus: 'ERROR', message: 'something is wrong with the input' } }, code: 'API_ERROR', ambiguous: false },
  { name: 'Exception with file and Line', fault: { kind: 'answer', answer: { responseStatus: 'Exception', message: 'bad action', file: 'Command.ym', Line: '18:13' } }, code: 'API_ERROR', ambiguous: false },
  { name: 'EXCEPTION', fault: { kind: 'answer', answer: { responseStatus: 'EXCEPTION', message: 'NullPointerException' } }, code: 'API_ERROR', ambiguous: false },
  { name: 'FORBIDDEN', fault: { kind: 'answer', answer: { responseStatus: 'FORBIDDEN', message: 'you are not allowed to do this' } }, code: 'API_ERROR', ambiguous: false },
  // Only the two documented expiry answers count as an expiry: this one is a refusal, sent once.
  { name: 'ERROR that mentions session expiry', fault: { kind: 'answer', answer: { responseStatus: 'ERROR', message: 'list not sent: session is expired' } }, code: 'API_ERROR', ambiguous: false },
  { name: 'FORBIDDEN MFA_REQUIRED', fault: { kind: 'answer', answer: { responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' } }, code: 'MFA_REQUIRED', ambiguous: false },
  {
    name: 'session expired (fixed token)',
    fault: { kind: 'answer', answer: { responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' } },
    code: 'SESSION_EXPIRED',
    ambiguous: false,
  },
  { name: 'no-SIP server answer', fault: { kind: 'answer', answer: { responseStatus: 'ERROR', message: NO_SIP_MESSAGE, yAfastVersion: 'any' } }, code: 'NOT_SUPPORTED', ambiguous: false },
];
/** The fault every write tool meets once: fast (no timer) and ambiguous (the request may have landed). */
const PER_TOOL_FAULT = FAULTS.find((fault) => fault.name === 'connection reset mid-body')!;
/** The write the per-fault cases run on: it names a read to check with. */
const FAULT_SUBJECT = byName('set_sip_to_wss');

/** The tool's first example that writes (a tool that writes may also have read actions or commands). */
const writeExample = (spec: ToolSpec) => spec.examples.find((example) => effectOf(spec, actionOf(spec, example)) !== 'read') ?? spec.examples[0];
/** The command that example sends: the tool's own, or the one a command family selects. */
const commandOfExample = (spec: ToolSpec) => commandOf(spec, actionOf(spec, writeExample(spec)));

/** Requests for the command of the tool's write example, without the isPass probes the server sends before gated calls. */
function ownRequests(requests: RecordedRequest[], spec: ToolSpec): RecordedRequest[] {
  return requests.filter((request) => request.command === commandOfExample(spec) && !(request.params.action === 'isPass' && spec.name !== 'mfa_status'));
}

function expectUnknownOutcome(result: CallOutcome, spec: ToolSpec) {
  expect(result.json.outcomeUnknown, result.text).toBe(true);
  const next = String(result.json.next);
  expect(next).toMatch(/outcome is unknown/i);
  expect(next).toMatch(/not repeated|do not repeat/i);
  // It names how to check: the read tool that shows the effect (the action's own, where it has one), or the Yemot website.
  const action = spec.actions?.[actionOf(spec, writeExample(spec)) ?? ''] as { verifyWith?: string } | undefined;
  const verifyWith = action?.verifyWith ?? spec.verifyWith;
  if (verifyWith) expect(next).toContain(verifyWith);
  else expect(next).toMatch(/Yemot website/);
}

function expectKnownOutcome(result: CallOutcome) {
  expect(result.json.outcomeUnknown, result.text).toBeUndefined();
}

const harnesses = {} as Record<'hard' | 'not-passed', Harness>;
beforeAll(async () => {
  harnesses.hard = await startHarness({ sandbox: { mfa: 'hard', log: quiet }, timeoutMs: TIMEOUT_MS });
  harnesses['not-passed'] = await startHarness({ sandbox: { mfa: 'not-passed', log: quiet }, timeoutMs: TIMEOUT_MS });
});
afterAll(async () => {
  await Promise.all(Object.values(harnesses).map((harness) => harness.close()));
});

/** One write meets one fault: the right code, one request, the outcome said plainly, and a server that serves the next call. */
async function writeCase(mode: 'hard' | 'not-passed', spec: ToolSpec, faultCase: FaultCase) {
  const harness = harnesses[mode];
  // Makes the session's two-factor state known, so the injected fault meets the tool's own request.
  const primed = await harness.call('mfa_status');
  expect(primed.isError, primed.text).toBe(false);
  const args = await readyExample(harness, spec, writeExample(spec), 'local');
  const before = harness.sandbox.requests.length;
  harness.sandbox.injectFault(faultCase.fault, { command: commandOfExample(spec), times: 1 });
  const result = await harness.call(spec.name, args);
  expect(result.isError, result.text).toBe(true);
  expect(result.json.error, result.text).toBe(faultCase.code);
  expect(result.json.command).toBe(commandOfExample(spec));
  expect(result.structured).toBeUndefined();
  expect(ownRequests(harness.since(before), spec)).toHaveLength(1);
  if (faultCase.ambiguous) expectUnknownOutcome(result, spec);
  else expectKnownOutcome(result);
  // The fault was consumed; the server answers the next call, and nothing of the failed call is replayed.
  const afterFault = harness.sandbox.requests.length;
  const read = await harness.call(READ_AFTER[mode]);
  expect(read.isError, read.text).toBe(false);
  expect(ownRequests(harness.since(afterFault), spec)).toHaveLength(0);
}

describe.each(FAULTS.map((fault) => [fault.name, fault] as const))('fault: %s', (_name, faultCase) => {
  it(`a write (${FAULT_SUBJECT.name}) is ${faultCase.code}, sent once, its outcome ${faultCase.ambiguous ? 'unknown' : 'known'}`, () => writeCase('hard', FAULT_SUBJECT, faultCase));

  it('a read sees at most two requests, and recovers when the fault happened once', async () => {
    const harness = harnesses.hard;
    await harness.call('mfa_status');
    const transient = faultCase.code === 'NETWORK' || (faultCase.fault.kind === 'http' && faultCase.fault.status >= 500);

    let before = harness.sandbox.requests.length;
    harness.sandbox.injectFault(faultCase.fault, { command: 'GetApprovedCallerIDs', times: 1 });
    const once = await harness.call('get_approved_caller_ids');
    const onceRequests = harness.since(before).filter((request) => request.command === 'GetApprovedCallerIDs');
    expect(onceRequests.length).toBeLessThanOrEqual(2);
    if (transient) {
      expect(once.isError, once.text).toBe(false);
      expect(onceRequests).toHaveLength(2);
    } else {
      expect(once.json.error, once.text).toBe(faultCase.code);
      expect(onceRequests).toHaveLength(1);
      // A read changes nothing: an unknown outcome is never claimed for it.
      expect(once.json.outcomeUnknown).toBeUndefined();
    }

    harness.sandbox.clearFaults();
    before = harness.sandbox.requests.length;
    harness.sandbox.injectFault(faultCase.fault, { command: 'GetApprovedCallerIDs', times: 2 });
    const twice = await harness.call('get_approved_caller_ids');
    expect(twice.json.error, twice.text).toBe(faultCase.code);
    expect(twice.json.outcomeUnknown).toBeUndefined();
    expect(harness.since(before).filter((request) => request.command === 'GetApprovedCallerIDs')).toHaveLength(transient ? 2 : 1);
    harness.sandbox.clearFaults();

    const after = await harness.call('get_approved_caller_ids');
    expect(after.isError, after.text).toBe(false);
  });
});

describe(`every write tool, once: ${PER_TOOL_FAULT.name}`, () => {
  it.each(ON_HARD_SESSION.map((spec) => [spec.name, spec] as const))('%s', (_tool, spec) => writeCase('hard', spec, PER_TOOL_FAULT));
  it.each(ON_FRESH_SESSION.map((spec) => [spec.name, spec] as const))('%s (session not passed yet)', (_tool, spec) => writeCase('not-passed', spec, PER_TOOL_FAULT));

  it('covers every tool that writes, deletes or spends, the two-factor flow on a fresh session', () => {
    expect([...ON_HARD_SESSION, ...ON_FRESH_SESSION].map((spec) => spec.name).sort()).toEqual(WRITES.map((spec) => spec.name).sort());
    // Stated, not derived: the three steps of the flow, and no write outside the mfa toolset.
    expect(ON_FRESH_SESSION.map((spec) => spec.name).sort()).toEqual(['mfa_send_code', 'mfa_try', 'mfa_verify_code']);
    expect(WRITES.map((spec) => spec.name)).toEqual(expect.arrayContaining(['send_tts', 'bridge_calls_to_extension', 'delete_sip_account', 'manage_queue']));
    expect(SIP_WRITES.length).toBeGreaterThan(0);
  });
});

describe('fault: a server without SIP (sip:false simulator)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard', sip: false, log: quiet } });
  });
  afterAll(() => harness.close());

  it.each(SIP_WRITES.map((spec) => [spec.name, spec] as const))('%s is NOT_SUPPORTED, sent once, outcome known', async (_tool, spec) => {
    await harness.call('mfa_status');
    const before = harness.sandbox.requests.length;
    const result = await harness.call(spec.name, writeExample(spec));
    expect(result.isError, result.text).toBe(true);
    expect(result.json.error, result.text).toBe('NOT_SUPPORTED');
    expect(String(result.json.next)).toMatch(/SIP/);
    expectKnownOutcome(result);
    expect(ownRequests(harness.since(before), spec)).toHaveLength(1);
    const read = await harness.call('get_approved_caller_ids');
    expect(read.isError, read.text).toBe(false);
  });

  it('a SIP read is NOT_SUPPORTED too, and is not retried', async () => {
    const before = harness.sandbox.requests.length;
    const result = await harness.call('list_sip_accounts');
    expect(result.json.error).toBe('NOT_SUPPORTED');
    expect(harness.since(before).filter((request) => request.command === 'GetSipAccountsInCustomer')).toHaveLength(1);
  });
});

describe('fault: connection refused', () => {
  const TOKEN = 'refused-session-token';
  let port: number;
  let harness: Harness;
  let idle: Sandbox;

  beforeAll(async () => {
    // A port that was just free: nothing listens there until the recovery check below.
    const probe = await startSandbox({ log: quiet });
    port = Number(new URL(probe.url).port);
    await probe.close();
    idle = await startSandbox({ log: quiet });
    harness = await startHarness({ use: idle, credentials: { token: TOKEN }, apiUrl: `http://127.0.0.1:${port}/ym/api/` });
  });
  afterAll(async () => {
    await harness.close();
    await idle.close();
  });

  /** The state probe cannot reach the API either: set the state the tool needs, as the server would have learnt it. */
  function knownState(spec: ToolSpec) {
    const mfa = harness.app.ctx.mfa;
    if (needsFreshSession(spec)) mfa.record(TOKEN, { isPass: false, isPassInThisSession: false, isAvailable: true });
    else mfa.verified(TOKEN);
  }

  // The client maps a refused connection (test/client.test.ts); here one write on each kind of session.
  it.each([FAULT_SUBJECT, ...ON_FRESH_SESSION.slice(0, 1)].map((spec) => [spec.name, spec] as const))('%s is NETWORK, never sent, and says nothing was done', async (_tool, spec) => {
    knownState(spec);
    const started = Date.now();
    const result = await harness.call(spec.name, writeExample(spec));
    expect(result.isError, result.text).toBe(true);
    expect(result.json.error, result.text).toBe('NETWORK');
    expect(result.json.command).toBe(commandOfExample(spec));
    expect(String(result.json.message)).toMatch(/could not reach/);
    // A refused connection never carried the request: the outcome is known (nothing happened).
    expectKnownOutcome(result);
    // The server still answers the next call, at once.
    const next = await harness.call('mfa_status');
    expect(next.isError).toBe(true);
    expect(next.json.error).toBe('NETWORK');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sent nothing anywhere, and serves normally once the API is back on that port', async () => {
    expect(idle.requests).toHaveLength(0);
    const back = await startSandbox({ port, token: TOKEN, mfa: 'hard', log: quiet });
    try {
      harness.app.ctx.mfa.verified(TOKEN);
      const read = await harness.call('get_approved_caller_ids');
      expect(read.isError, read.text).toBe(false);
      // Nothing queued during the outage is replayed: only the read reached the API.
      expect(back.requests.map((request) => request.command)).toEqual(['GetApprovedCallerIDs']);
    } finally {
      await back.close();
    }
  });
});

describe('cancellation from the client', () => {
  it('aborts the HTTP request to the API when the client cancels the call', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed', log: quiet } });
    try {
      harness.sandbox.injectFault({ kind: 'timeout' }, { command: 'GetApprovedCallerIDs' });
      const controller = new AbortController();
      const call = harness.client.callTool({ name: 'get_approved_caller_ids', arguments: {} }, undefined, { signal: controller.signal });
      await expect.poll(() => harness.sandbox.inFlight()).toBe(1);
      controller.abort();
      await expect(call).rejects.toThrow();
      // The simulator never answers this request: only the server's abort can close it (the default timeout is 30 s).
      await expect.poll(() => harness.sandbox.inFlight(), { timeout: 3_000 }).toBe(0);
      harness.sandbox.clearFaults();
      expect((await harness.call('get_approved_caller_ids')).isError).toBe(false);
    } finally {
      await harness.close();
    }
  });
});

describe('a failure inside the server itself', () => {
  it('answers INTERNAL with no stack trace, logs the cause on stderr, and keeps serving', async () => {
    const spec = TOOLS.find((tool) => tool.name === 'get_approved_caller_ids')!;
    const original = spec.outcome;
    spec.outcome = () => {
      throw new Error('presenter exploded');
    };
    const harness = await startHarness({ sandbox: { mfa: 'passed', log: quiet } });
    try {
      const failed = await harness.call('get_approved_caller_ids');
      expect(failed.isError).toBe(true);
      expect(failed.json.error).toBe('INTERNAL');
      expect(failed.text).not.toMatch(/presenter exploded|\bat \w+ \(/);
      expect(harness.logLines.join('\n')).toContain('presenter exploded');
      spec.outcome = original;
      expect((await harness.call('get_approved_caller_ids')).isError).toBe(false);
    } finally {
      spec.outcome = original;
      await harness.close();
    }
  });
});
