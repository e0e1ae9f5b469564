import { describe, expect, it } from 'vitest';
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { startHarness } from './harness.js';

/** The eight actions that need a code verified in this very session, with valid arguments. */
const HARD_CALLS: Array<[string, Record<string, unknown>, string]> = [
  ['mfa_add_method', { mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il' }, 'addMethod'],
  ['mfa_verify_method', { action: 'reValidMethod', mfaId: '6601', mfaSendType: 'EMAIL' }, 'reValidMethod'],
  ['mfa_verify_method', { action: 'validMethod', mfaId: '6601', mfaCode: '123456' }, 'validMethod'],
  ['mfa_delete_method', { mfaId: '6601' }, 'deleteMethod'],
  ['mfa_list_trust', { action: 'getMFATrustTokens' }, 'getMFATrustTokens'],
  ['mfa_delete_trust_token', { trustTokenId: '1' }, 'deleteTrustToken'],
  ['mfa_list_trust', { action: 'getMFATrustIps' }, 'getMFATrustIps'],
  ['mfa_set_trust_ips', { trustIps: ['203.0.113.7'] }, 'setMFATrustIps'],
];

const commandsOf = (requests: Array<{ command: string; params: Record<string, unknown> }>) =>
  requests.map((request) => (request.command === 'MFASession' ? `MFASession:${String(request.params.action)}` : request.command));

describe('two-factor sessions', () => {
  it('refuses a normal tool on a session that has not passed, sending nothing but the state check', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'not-passed' } });
    const result = await harness.call('get_approved_caller_ids');
    expect(result.isError).toBe(true);
    expect(result.json.error).toBe('MFA_REQUIRED');
    expect(String(result.json.next)).toMatch(/mfa_try.*mfa_list_methods.*mfa_send_code.*mfa_verify_code/);
    expect(commandsOf(harness.sandbox.requests)).toEqual(['MFASession:isPass']);
    // The state is known now: a second call sends nothing at all.
    await harness.call('list_sip_accounts');
    expect(harness.sandbox.requests).toHaveLength(1);
    await harness.close();
  });

  it('refuses each of the eight hard actions without hard authentication, and never sends them', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' } });
    for (const [tool, args, action] of HARD_CALLS) {
      const result = await harness.call(tool, args);
      expect(result.isError, action).toBe(true);
      expect(result.json.error).toBe('HARD_AUTH_REQUIRED');
      expect(String(result.json.message)).toContain(action);
      expect(String(result.json.next)).toMatch(/mfa_list_methods.*mfa_send_code.*CALL\|SMS\|EMAIL.*mfa_verify_code/);
    }
    expect(commandsOf(harness.sandbox.requests)).toEqual(['MFASession:isPass']);
    await harness.close();
  });

  it('sends and verifies a code through the tools, then the refused hard action succeeds', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' } });
    expect((await harness.call('mfa_list_trust', { action: 'getMFATrustIps' })).json.error).toBe('HARD_AUTH_REQUIRED');
    const methods = await harness.call('mfa_list_methods');
    const phone = (methods.json.mfaMethods as Array<Record<string, unknown>>).find((method) => (method.SEND_TYPE as string[]).includes('SMS'))!;
    expect(String(phone.VALUE)).toContain('•');
    // Two ids per method, and a wrong one is a failed try: the answer says which tool takes which.
    expect(methods.json.ids).toBe('mfa_send_code takes ID as mfaId; mfa_verify_method takes MFA_METHOD_ID as mfaId');
    expect((await harness.call('mfa_send_code', { mfaId: Number(phone.ID), mfaSendType: 'SMS' })).isError).toBe(false);
    const code = harness.sandbox.mfa.lastCode()!;
    const verified = await harness.call('mfa_verify_code', { mfaCode: code, mfaRememberMe: true, mfaRememberNote: 'laptop' });
    expect(verified.json.mfa_valid_status).toBe('VALID');
    const before = harness.sandbox.requests.length;
    const allowed = await harness.call('mfa_list_trust', { action: 'getMFATrustIps' });
    expect(allowed.isError, allowed.text).toBe(false);
    // No restart and no fresh state check: the VALID answer updated the state at once.
    expect(commandsOf(harness.since(before))).toEqual(['MFASession:getMFATrustIps']);
    const status = await harness.call('mfa_status');
    expect(status.json).toMatchObject({ isPass: true, isPassInThisSession: true });
    const unmasked = await harness.call('mfa_list_methods');
    expect(JSON.stringify(unmasked.json.mfaMethods)).not.toContain('•');
    // After hard authentication, sending or verifying again is refused without a request.
    const after = harness.sandbox.requests.length;
    expect((await harness.call('mfa_send_code', { mfaId: 1, mfaSendType: 'SMS' })).json.error).toBe('MFA_UNAVAILABLE');
    expect((await harness.call('mfa_verify_code', { mfaCode: '123456' })).json.error).toBe('MFA_UNAVAILABLE');
    expect(harness.since(after)).toHaveLength(0);
    expect(harness.logLines.join('\n')).not.toContain(code);
    expect(JSON.stringify([verified, allowed, status])).not.toContain(code);
    await harness.close();
  });

  it('answers a wrong code as MFA_CODE_INVALID with the attempts left, then MFA_CODE_EXPIRED, keeping the vendor fields', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'not-passed' } });
    await harness.call('mfa_send_code', { mfaId: 1, mfaSendType: 'SMS' });
    const code = harness.sandbox.mfa.lastCode()!;
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await harness.call('mfa_verify_code', { mfaCode: wrong });
    expect(first.isError).toBe(true);
    expect(first.json).toMatchObject({ error: 'MFA_CODE_INVALID', command: 'MFASession', mfa_valid_status: 'UNVALID', mfa_valid_trys: 1 });
    expect(first.json.attemptsLeft).toBe(first.json.mfa_valid_left);
    expect(Number(first.json.attemptsLeft)).toBeGreaterThan(0);
    expect(String(first.json.next)).toMatch(/never loop/);
    // The state is what it was: still not passed, so a gated call is refused without being sent.
    const before = harness.sandbox.requests.length;
    expect((await harness.call('get_approved_caller_ids')).json.error).toBe('MFA_REQUIRED');
    expect(commandsOf(harness.since(before))).toEqual([]);
    let last = first;
    for (let i = 0; i < 5 && last.json.error === 'MFA_CODE_INVALID'; i++) last = await harness.call('mfa_verify_code', { mfaCode: wrong });
    expect(last.isError).toBe(true);
    expect(last.json).toMatchObject({ error: 'MFA_CODE_EXPIRED', mfa_valid_status: 'OVERTRY' });
    expect(String(last.json.next)).toMatch(/mfa_send_code/);
    // The right code is void now: a new one must be sent.
    expect((await harness.call('mfa_verify_code', { mfaCode: code })).json.error).toBe('MFA_CODE_EXPIRED');
    expect(JSON.stringify([first, last])).not.toContain(wrong);
    await harness.close();
  });

  it('reports a rate-limited send as RATE_LIMITED with the seconds, and never resends by itself', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'not-passed' } });
    await harness.call('mfa_send_code', { mfaId: 1, mfaSendType: 'SMS' });
    const before = harness.sandbox.requests.length;
    const limited = await harness.call('mfa_send_code', { mfaId: 1, mfaSendType: 'SMS' });
    expect(limited.json.error).toBe('RATE_LIMITED');
    expect(Number(limited.json.retryAfterSeconds)).toBeGreaterThan(0);
    expect(commandsOf(harness.since(before))).toEqual(['MFASession:sendMFA']);
    await harness.close();
  });

  it('never repeats try, and refuses it once the session passed', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'not-passed' } });
    const tried = await harness.call('mfa_try');
    expect(tried.json.isPass).toBe(false);
    expect(commandsOf(harness.sandbox.requests)).toEqual(['MFASession:isPass', 'MFASession:try']);
    const passed = await startHarness({ sandbox: { mfa: 'passed' } });
    const refused = await passed.call('mfa_try');
    expect(refused.json.error).toBe('MFA_UNAVAILABLE');
    expect(commandsOf(passed.sandbox.requests)).toEqual(['MFASession:isPass']);
    await Promise.all([harness.close(), passed.close()]);
  });

  it('walks a person through the whole flow inside one call when the client has form elicitation', async () => {
    const asked: ElicitRequest['params'][] = [];
    let sandboxRef: { mfa: { lastCode(): string | undefined } } | undefined;
    const harness = await startHarness({
      sandbox: { mfa: 'passed' },
      capabilities: { elicitation: { form: {} } },
      onElicit: (request): ElicitResult => {
        asked.push(request);
        const properties = (request as { requestedSchema: { properties: Record<string, { oneOf?: Array<{ const: string }> }> } }).requestedSchema.properties;
        if (properties.method) return { action: 'accept', content: { method: properties.method.oneOf!.find((option) => option.const.endsWith(':SMS'))!.const } };
        return { action: 'accept', content: { code: sandboxRef!.mfa.lastCode()! } };
      },
    });
    sandboxRef = harness.sandbox;
    const result = await harness.call('mfa_list_trust', { action: 'getMFATrustIps' });
    expect(result.isError, result.text).toBe(false);
    expect(asked).toHaveLength(2);
    expect(asked.every((request) => request.mode === undefined || request.mode === 'form')).toBe(true);
    expect(commandsOf(harness.sandbox.requests)).toEqual([
      'MFASession:isPass',
      'MFASession:getMFAMethods',
      'MFASession:sendMFA',
      'MFASession:validMFA',
      'MFASession:getMFATrustIps',
    ]);
    await harness.close();
  });

  it("refuses a form answer that breaks the form's schema: the code is never sent", async () => {
    const harness = await startHarness({
      sandbox: { mfa: 'passed' },
      capabilities: { elicitation: { form: {} } },
      onElicit: (request): ElicitResult => {
        const properties = (request as { requestedSchema: { properties: Record<string, { oneOf?: Array<{ const: string }> }> } }).requestedSchema.properties;
        if (properties.method) return { action: 'accept', content: { method: properties.method.oneOf![0].const } };
        return { action: 'accept', content: { code: 'not-a-code' } };
      },
    });
    const result = await harness.call('mfa_list_trust', { action: 'getMFATrustIps' });
    expect(result.json.error).toBe('INVALID_INPUT');
    expect(result.json.message).toMatch(/The answer to the form does not fit it: .*code.*pattern/);
    expect(commandsOf(harness.sandbox.requests)).not.toContain('MFASession:validMFA');
    await harness.close();
  });

  it('sends nothing more when the person declines the form', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' }, capabilities: { elicitation: { form: {} } }, onElicit: () => ({ action: 'decline' }) });
    const result = await harness.call('mfa_list_trust', { action: 'getMFATrustIps' });
    expect(result.json.error).toBe('DECLINED');
    expect(commandsOf(harness.sandbox.requests)).toEqual(['MFASession:isPass', 'MFASession:getMFAMethods']);
    await harness.close();
  });

  it('offers the browser verification page by a one-time local link with URL elicitation, and completes once it passes', async () => {
    let link = '';
    const harness = await startHarness({
      sandbox: { mfa: 'not-passed' },
      capabilities: { elicitation: { url: {}, form: {} } },
      onElicit: async (request) => {
        link = String((request as { url?: string }).url);
        // A GET (a chat client's link preview) only shows a page; the POST of its button uses the link up.
        const preview = await fetch(link, { redirect: 'manual' });
        expect(preview.status).toBe(200);
        expect(await preview.text()).toMatch(/<form method="post">/);
        const redirect = await fetch(link, { method: 'POST', redirect: 'manual' });
        expect(redirect.status).toBe(303);
        expect(redirect.headers.get('location')).toMatch(/\/ym\/mfa\.php\?mode=SSO&ymapitoken=/);
        // The person's browser follows the redirect to the (simulated) vendor page and presses its button.
        const page = new URL(redirect.headers.get('location')!);
        expect(await (await fetch(page)).text()).toContain('Verify this session');
        const form = new URLSearchParams({ ymapitoken: page.searchParams.get('ymapitoken')! });
        setTimeout(() => void fetch(new URL(page.pathname, page), { method: 'POST', body: form }), 100);
        return { action: 'accept' };
      },
    });
    const result = await harness.call('get_approved_caller_ids');
    expect(result.isError, result.text).toBe(false);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mfa\/[\w-]+$/);
    expect(link).not.toContain(harness.sandbox.token);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(link, { method: 'POST', redirect: 'manual' })).status).toBe(404);
    expect(harness.sandbox.requests.at(-1)?.command).toBe('GetApprovedCallerIDs');
    await harness.close();
  });

  it('logs in once more and repeats once after expiry with username and password, saying hard authentication was lost', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' }, auth: 'login' });
    await harness.call('get_approved_caller_ids');
    const token = harness.sandbox.requests.find((request) => request.command === 'GetApprovedCallerIDs')!.params.token as string;
    harness.sandbox.expireSession(token);
    const before = harness.sandbox.requests.length;
    const result = await harness.call('get_approved_caller_ids');
    expect(result.isError, result.text).toBe(false);
    expect(String(result.json.notice)).toMatch(/hard authentication.*lost/);
    expect(commandsOf(harness.since(before))).toEqual(['GetApprovedCallerIDs', 'Login', 'GetApprovedCallerIDs']);
    await harness.close();
  });

  it('reports expiry of a fixed token as SESSION_EXPIRED with what to do', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' } });
    harness.sandbox.expireSession();
    const result = await harness.call('get_approved_caller_ids');
    expect(result.json.error).toBe('SESSION_EXPIRED');
    expect(String(result.json.next)).toMatch(/YEMOT_TOKEN|YEMOT_USERNAME/);
    expect(harness.sandbox.requests.filter((request) => request.command === 'Login')).toHaveLength(0);
    await harness.close();
  });

  it('refreshes the state when the API itself answers MFA_REQUIRED', async () => {
    const harness = await startHarness({ sandbox: { mfa: 'passed' } });
    await harness.call('get_approved_caller_ids');
    harness.sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' } }, { command: 'GetApprovedCallerIDs' });
    expect((await harness.call('get_approved_caller_ids')).json.error).toBe('MFA_REQUIRED');
    const before = harness.sandbox.requests.length;
    await harness.call('get_approved_caller_ids');
    expect(commandsOf(harness.since(before))).toEqual(['MFASession:isPass', 'GetApprovedCallerIDs']);
    await harness.close();
  });
});
