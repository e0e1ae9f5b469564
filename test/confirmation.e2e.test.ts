import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionOf, mayNeedYes, type Input, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { CONFIRMED } from './confirmed-examples.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 24: nothing spent, deleted or undone for good without the person. A client without forms (no
 * elicitation capability) gets CONFIRMATION_REQUIRED with a preview and a single-use token; the call runs once
 * when the same arguments come back with the token.
 */

let harness: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
  harness = undefined;
});

/** An undo needs a change to take back: change_extension makes one, confirmed as the person would. */
async function withChange(h: Harness, spec: ToolSpec, args: Input): Promise<Input> {
  if (spec.name !== 'undo_change') return args;
  const change = { path: '2', set: { playfile_end_goto: '/' } };
  const asked = await h.call('change_extension', change);
  const done = await h.call('change_extension', { ...change, confirm: asked.json.confirm });
  expect(done.json.changeId, done.text).toEqual(expect.any(String));
  return { ...args, id: done.json.changeId };
}

/**
 * Requests that carry out the call: its command, and of MFASession (one command, many actions) only the call's own
 * action, not the two-factor probe or the reads its question makes.
 */
const carriedOut = (h: Harness, from: number, command: string, action?: string) =>
  h.since(from).filter((request) => request.command === command && (command !== 'MFASession' ? true : request.params.action === action));

const noForms = () => startHarness({ sandbox: { mfa: 'hard' }, confirm: true });

describe('confirmation without forms, for every spend, delete and irreversible call of the table', () => {
  it('covers every tool whose effects include a confirmed one', () => {
    const names = CONFIRMED.map(({ spec }) => spec.name);
    expect(names).toEqual(expect.arrayContaining(['send_sms', 'send_tts', 'run_campaign', 'delete_files', 'act_on_calls', 'set_password', 'campaign_action', 'write_text_file', 'set_sip_extension', 'update_task']));
    const confirmable = TOOLS.filter(mayNeedYes).map((spec) => spec.name);
    // Issue 27: the writes that still ask first.
    expect(names).toEqual(expect.arrayContaining(['change_extension', 'undo_change', 'upload_file', 'create_extension']));
    expect(names.sort()).toEqual(confirmable.sort());
  });

  it.each(CONFIRMED.map((entry) => [entry.spec.name, entry] as const))(
    '%s: nothing before the yes, exactly one request after it, and the token works once',
    async (_name, { spec, args: example, command }) => {
      const action = actionOf(spec, example) ?? Object.keys(spec.actions ?? {})[0];
      harness = await noForms();
      const args = await withChange(harness, spec, example);
      const before = harness.sandbox.requests.length;
      const asked = await harness.call(spec.name, args);
      expect(asked.json.error, asked.text).toBe('CONFIRMATION_REQUIRED');
      expect(carriedOut(harness, before, command, action)).toHaveLength(0);
      // The first sentence is for the agent: show the person, wait for a yes, never confirm alone.
      expect(String(asked.json.message)).toMatch(/^Ask the person first: show them what follows and wait for their explicit yes\. Never confirm on their behalf\./);
      const preview = asked.json.preview as Record<string, unknown>;
      expect(String(preview.command)).toContain(command);
      const token = String(asked.json.confirm);
      expect(String(asked.json.next)).toContain(token);

      const afterAsking = harness.sandbox.requests.length;
      const confirmed = await harness.call(spec.name, { ...args, confirm: token });
      expect(String(confirmed.json.error ?? ''), confirmed.text).not.toMatch(/^CONFIRMATION_/);
      expect(carriedOut(harness, afterAsking, command, action)).toHaveLength(1);

      const afterConfirming = harness.sandbox.requests.length;
      const reused = await harness.call(spec.name, { ...args, confirm: token });
      expect(reused.json.error).toBe('CONFIRMATION_EXPIRED');
      expect(String(reused.json.message)).toContain('already used');
      expect(carriedOut(harness, afterConfirming, command, action)).toHaveLength(0);
    },
  );
});

describe('a confirmation token', () => {
  const SMS = { message: 'תזכורת לפגישה', phones: '0501234567:0527654321' };

  it('is refused with other arguments, another tool, or a forged MAC, and nothing is sent', async () => {
    harness = await noForms();
    const token = String((await harness.call('send_sms', SMS)).json.confirm);
    const before = harness.sandbox.requests.length;
    for (const [name, args] of [
      ['send_sms', { ...SMS, message: 'הודעה אחרת', confirm: token }],
      ['send_sms', { ...SMS, phones: '0501234567', confirm: token }],
      ['send_tts', { phones: SMS.phones, ttsMessage: SMS.message, confirm: token }],
      ['send_sms', { ...SMS, confirm: `${token.slice(0, -2)}AA` }],
      ['send_sms', { ...SMS, confirm: 'not-a-token' }],
    ] as const) {
      const refused = await harness.call(name, args);
      expect(refused.json.error, `${name} ${JSON.stringify(args)}`).toBe('CONFIRMATION_MISMATCH');
    }
    expect(harness.since(before).filter((request) => request.command === 'SendSms' || request.command === 'SendTTS')).toHaveLength(0);
    // Still good for the call it was issued for.
    expect((await harness.call('send_sms', { ...SMS, confirm: token })).isError).toBe(false);
  });

  // An agent read its own token back in "KillSession done (SessionId 1, confirm c1.…)".
  it('is not repeated in the result of the call it confirmed', async () => {
    harness = await noForms();
    const asked = await harness.call('kill_sessions', { command: 'KillSession', SessionId: 1 });
    const token = String(asked.json.confirm);
    const done = await harness.call('kill_sessions', { command: 'KillSession', SessionId: 1, confirm: token });
    expect(done.isError, done.text).toBe(false);
    expect(done.text).toContain('KillSession done (SessionId 1)');
    expect(done.text).not.toContain(token);
  });

  it('expires after YEMOT_CONFIRM_TTL_SECONDS, and nothing is sent', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    harness = await startHarness({ sandbox: { mfa: 'hard' }, confirm: true, env: { YEMOT_CONFIRM_TTL_SECONDS: '60' } });
    const asked = await harness.call('send_sms', SMS);
    expect(Date.parse(String(asked.json.expiresAt)) - Date.now()).toBe(60_000);
    vi.setSystemTime(Date.now() + 61_000);
    const before = harness.sandbox.requests.length;
    const late = await harness.call('send_sms', { ...SMS, confirm: String(asked.json.confirm) });
    expect(late.json.error).toBe('CONFIRMATION_EXPIRED');
    expect(String(late.json.message)).toContain('expired');
    expect(harness.since(before).filter((request) => request.command === 'SendSms')).toHaveLength(0);
  });

  it('falls back to the token when the client declares forms but the form cannot be shown', async () => {
    harness = await startHarness({
      sandbox: { mfa: 'hard' },
      capabilities: { elicitation: { form: {} } },
      onElicit: () => {
        throw new Error('this host cannot render the form');
      },
    });
    const asked = await harness.call('send_sms', SMS);
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect((await harness.call('send_sms', { ...SMS, confirm: String(asked.json.confirm) })).isError).toBe(false);
  });

  it('with forms, the form shows the same preview, and a yes sends once', async () => {
    const messages: string[] = [];
    harness = await startHarness({
      sandbox: { mfa: 'hard' },
      capabilities: { elicitation: { form: {} } },
      onElicit: (request) => {
        messages.push(request.message);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const before = harness.sandbox.requests.length;
    expect((await harness.call('send_sms', { ...SMS, from: '0770000000' })).isError).toBe(false);
    expect(messages).toHaveLength(1);
    for (const line of ['SendSms will send 2 messages.', 'Recipients: 2 numbers (0501234567, 0527654321)', 'Sender: 0770000000', `Message: "${SMS.message}"`, 'Balance:']) {
      expect(messages[0]).toContain(line);
    }
    expect(harness.since(before).filter((request) => request.command === 'SendSms')).toHaveLength(1);
  });
});

describe('the preview comes after every check the API would make, and names the facts', () => {
  it('refuses an SMS sender that is not approved, before asking and with nothing sent', async () => {
    harness = await noForms();
    const before = harness.sandbox.requests.length;
    const refused = await harness.call('send_sms', { message: 'hi', phones: '0501234567', from: '0521111111' });
    // Read from the account, not wrong in form: not INVALID_INPUT (which promises nothing was sent at all).
    expect(refused.json.error).toBe('CONFLICT');
    expect(String(refused.json.message)).toMatch(/^send_sms|from: 0521111111 is not an approved SMS sender/);
    expect(refused.json.confirm).toBeUndefined();
    expect(harness.since(before).map((request) => request.command)).not.toContain('SendSms');
  });

  it('refuses a campaign whose template has no message, or nobody to call, before asking', async () => {
    harness = await noForms();
    const created = await harness.call('create_template', { description: 'empty' });
    const templateId = Number(created.json.templateId);
    const noMessage = await harness.call('run_campaign', { templateId, phones: '0501234567' });
    expect(noMessage.json.error).toBe('CONFLICT');
    expect(String(noMessage.json.message)).toContain('has no voice message');
    // Both ways in: audio and text.
    expect(String(noMessage.json.message)).toMatch(/upload_file to tpl:\d+.*write_text_file tpl:\d+/);
    expect(harness.sandbox.requests.map((request) => request.command)).not.toContain('RunCampaign');
  });

  it('refuses a delete of files that are not there, naming them in ivr2: form', async () => {
    harness = await noForms();
    const refused = await harness.call('delete_files', { what: ['2/000.wav', '2/no-such.wav'] });
    expect(refused.json.error).toBe('NOT_FOUND');
    expect(String(refused.json.message)).toContain('ivr2:/2/no-such.wav');
    expect(String(refused.json.message)).not.toContain('ivr2:/2/000.wav');
  });

  it('refuses a campaign the balance cannot cover (the API\'s own estimate), before asking', async () => {
    harness = await noForms();
    harness.sandbox.account.units = 2;
    const refused = await harness.call('run_campaign', { templateId: 1 });
    expect(refused.json).toMatchObject({ error: 'INSUFFICIENT_UNITS', needed: 3, balance: 2, unit: 'units' });
    expect(harness.sandbox.requests.map((request) => request.command)).not.toContain('RunCampaign');
  });

  // An agent asked about "the list tzl:staff" could not tell the person how many it rings, nor that one is skipped.
  it('reads a named list: how many numbers it rings, the first few, the blocked ones skipped, and the cost of them', async () => {
    harness = await noForms();
    const members = (await harness.call('tzintuk_lists', { action: 'getlistEnteres', TzintukimList: 'staff' })).json.enteres as Array<{ phone: string; active: boolean }>;
    const ringing = members.filter((member) => member.active).map((member) => member.phone);
    expect(ringing.length).toBeLessThan(members.length);
    const tzintuk = await harness.call('run_tzintuk', { phones: 'tzl:staff' });
    expect(tzintuk.json.preview).toMatchObject({ recipients: { list: 'tzl:staff', count: ringing.length, first: ringing, blocked: members.length - ringing.length } });
    expect(String(tzintuk.json.message)).toContain(`Recipients: the list tzl:staff, ${ringing.length} numbers (${ringing.join(', ')}); ${members.length - ringing.length} blocked, not rung`);
    const entries = (await harness.call('read_templates', { command: 'GetTemplateEntries', templateId: 1 })).json.entries as Array<{ phone: string; blocked: boolean }>;
    const called = entries.filter((entry) => !entry.blocked).length;
    const tts = await harness.call('send_tts', { phones: 'tpl:1', ttsMessage: 'שלום' });
    expect(tts.json.preview).toMatchObject({ recipients: { list: 'tpl:1', count: called }, cost: { items: called, total: called } });
    const unknown = await harness.call('send_tts', { phones: 'tpl:999', ttsMessage: 'שלום' });
    expect(unknown.json.preview).toMatchObject({ recipients: { list: 'tpl:999' } });
  });

  // An agent quoted "4 units" for a withSMS run that spent none of them (every number got an SMS instead).
  it('quotes a withSMS campaign as a ceiling: the numbers that get an SMS are not called', async () => {
    harness = await noForms();
    const plain = await harness.call('run_campaign', { templateId: 1 });
    expect((plain.json.preview as { cost: Record<string, unknown> }).cost.upTo).toBeUndefined();
    const withSms = await harness.call('run_campaign', { templateId: 1, withSMS: 1 });
    expect(withSms.json.preview).toMatchObject({ cost: { upTo: true, note: expect.stringContaining('regular mobiles get an SMS instead') } });
    expect(String(withSms.json.message)).toMatch(/Cost: .*= at most \d+ units/);
    expect(String(withSms.json.message)).toMatch(/Balance: \d+ units now, at least \d+ after/);
  });

  // An owner approved a recurring SMS seeing only "spends units each time it runs" and the call-unit balance.
  it('a task that spends says when it runs, to which list, what it sends, and in which unit; deleting one names it', async () => {
    harness = await noForms();
    const task = { taskType: 'SendSMS', description: 'שיעור', callerId: '0770000000', smsList: 'members', smsMessage: 'תזכורת: שיעור הערב', hour: 20, minute: 0, days: [4], active: 1 };
    const asked = await harness.call('create_task', task);
    expect(asked.json.preview).toMatchObject({
      message: 'תזכורת: שיעור הערב',
      notes: ['Runs at 20:00 on Thursday (Israel time), each time the timetable matches. To the list members (the docs do not say of which kind).'],
      cost: { unit: 'SMS units' },
      balance: { unit: 'SMS units' },
    });
    const once = await harness.call('create_task', { ...task, days: undefined, year: 2027, month: 1, day: 7 });
    expect((once.json.preview as { notes: string[] }).notes[0]).toMatch(/^Runs at 20:00 on 7\/1\/2027 \(Israel time\), once\./);
    const made = await harness.call('create_task', { ...task, confirm: asked.json.confirm });
    expect(made.isError, made.text).toBe(false);
    const id = Number(made.json.jobId);
    const deleting = await harness.call('delete_task', { TaskId: id });
    expect((deleting.json.preview as { notes: string[] }).notes[0]).toMatch(new RegExp(`^Task ${id}: "שיעור", SendSMS, next run \\d{4}-\\d{2}-\\d{2} 20:00:00\\.$`));
  });

  it('names the recipients, the first few numbers, the cost per number and in all, and the balance after', async () => {
    harness = await noForms();
    const phones = Array.from({ length: 8 }, (_, i) => `05012345${String(i).padStart(2, '0')}`).join(':');
    const asked = await harness.call('run_tzintuk', { phones });
    const preview = asked.json.preview as Record<string, unknown>;
    expect(preview.recipients).toEqual({ count: 8, first: phones.split(':').slice(0, 5) });
    expect(preview.cost).toMatchObject({ unit: 'units', items: 8, perItem: 0.1, total: 0.8 });
    expect(preview.balance).toEqual({ unit: 'units', now: 500, after: 499.2 });
    expect(String(asked.json.message)).toContain('Cost: 0.1 unit per number × 8 = 0.8 unit');
  });

  it('warns when the units to be spent are past their expiry date, and only then', async () => {
    const own = await noForms();
    harness = own;
    const expiry = (date: string) => own.sandbox.account.transactions.push({ ...own.sandbox.account.transactions.at(-1)!, id: 99, expireDate: date });
    expiry('2020-01-01');
    const expired = await own.call('run_tzintuk', { phones: '0501234567' });
    expect((expired.json.preview as { warnings?: string[] }).warnings).toEqual([expect.stringContaining("the account's units expired on 2020-01-01")]);
    expect(String(expired.json.message)).toContain('Warning: the account');
    expiry('2999-01-01');
    const current = await own.call('run_tzintuk', { phones: '0501234567' });
    expect((current.json.preview as { warnings?: string[] }).warnings).toBeUndefined();
  });

  // An agent replaced a list it had just made and could not tell the person whether anything would be lost.
  it('says how many phones a list holds before it is replaced or emptied', async () => {
    harness = await noForms();
    const listed = await harness.call('read_templates', { command: 'GetTemplateEntries', templateId: 1 });
    const entries = listed.json.entries as Array<{ blocked: boolean }>;
    const count = `Template 1 holds ${entries.length} phone(s) now`;
    const replacing = await harness.call('upload_phone_list', { updateType: 'NEW', templateId: 1, data: '0501234567,משה\n\n0527654321,שרה\n0531111111\n0542222222' });
    expect(replacing.json.preview).toMatchObject({ notes: [expect.stringContaining(count)] });
    // And what comes in instead: how many rows, the first numbers (an agent could not show the person the import).
    expect((replacing.json.preview as { notes: string[] }).notes[0]).toMatch(/The import has 4 row\(s\) \(0501234567, 0527654321, 0531111111, …\)\.$/);
    const emptying = await harness.call('clear_template_entries', { templateId: 1 });
    expect(emptying.json.preview).toMatchObject({ notes: [expect.stringContaining(count)] });
    const created = await harness.call('create_template', { description: 'new' });
    const fresh = await harness.call('upload_phone_list', { updateType: 'NEW', templateId: created.json.templateId, data: '0501234567' });
    expect(fresh.json.preview).toMatchObject({ notes: [`Template ${String(created.json.templateId)} holds 0 phone(s) now. The import has 1 row(s) (0501234567).`] });
  });

  // An agent asked the person about "1 waiting call(s)" and could not say whose.
  it('names the callers a queue kick removes: number, wait and place, and a call no longer waiting', async () => {
    harness = await noForms();
    const live = await harness.call('get_queue_realtime', { queuePath: '/5' });
    const [first] = live.json.entries as Array<{ CallId: string; phone: string; Wait: number; Position: number }>;
    const asked = await harness.call('manage_queue', { action: 'kick', queuePath: '/5', callIds: [first.CallId, 'gone-1'] });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect((asked.json.preview as { notes: string[] }).notes[0]).toBe(
      `${first.CallId}: ${first.phone}, waiting ${first.Wait} s, position ${first.Position}; gone-1: not waiting now. Without moreData the docs do not say where they go (they may be hung up).`,
    );
  });

  it('names the live calls a hang-up ends: caller, place and time, or that the call has ended', async () => {
    harness = await noForms();
    const [first] = (await harness.call('get_incoming_calls', {})).json.calls as Array<{ id: string; callerIdNum: string; path: string }>;
    const asked = await harness.call('act_on_calls', { action: 'set:GOasap', ids: [first.id, 'gone-9'], target: 'hangup' });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect((asked.json.preview as { notes: string[] }).notes[0]).toMatch(new RegExp(`^${first.id}: from ${first.callerIdNum} at ${first.path.replace(/\//g, '\\/')}, \\d+ s; gone-9: not a live call now\\.$`));
  });

  it('names the SIP accounts a delete removes: user name, extension, transport, caller ID, when made', async () => {
    harness = await noForms();
    const [account] = (await harness.call('list_sip_accounts', {})).json.accounts as Array<Record<string, unknown>>;
    const asked = await harness.call('delete_sip_account', { accountNumber: [Number(account.accountNumber), 99] });
    expect((asked.json.preview as { notes: string[] }).notes[0]).toBe(
      `account ${String(account.accountNumber)}: ${String(account.id)}, extension ${String(account.customerExtension)}, ${String(account.transport)}, caller ID ${String(account.specialCallerID || account.callerid)}, made ${String(account.created_date)}; account 99: not on this system.`,
    );
  });

  // An agent learned only after the spend that a send_tts campaign cannot be watched nor says who answered.
  it('says before a send_tts spend what can be followed afterwards', async () => {
    harness = await noForms();
    const plain = await harness.call('send_tts', { phones: '0501234567', ttsMessage: 'שלום' });
    expect((plain.json.preview as { notes: string[] }).notes[0]).toMatch(/report \(phone, callerId, billing\), not who answered: give callbackUrl for live events, or run a template campaign \(run_campaign\)/);
    const hooked = await harness.call('send_tts', { phones: '0501234567', ttsMessage: 'שלום', callbackUrl: 'https://example.com/hook' });
    expect((hooked.json.preview as { notes: string[] }).notes[0]).toMatch(/callbackUrl gets each call's events live\.$/);
  });

  // An agent trusted 127.0.0.1 with no question, deleted a method known to the owner only by its number, and had to
  // guess what a password change does to open sessions.
  it('asks before trusting addresses, showing the list now and after and warning of an address that is nobody\'s computer; names a method by its value; says what a password change leaves open', async () => {
    harness = await noForms();
    const trust = await harness.call('mfa_set_trust_ips', { trustIps: ['127.0.0.1', '203.0.113.7'] });
    expect(trust.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(trust.json.preview).toMatchObject({
      notes: [expect.stringMatching(/^Trusted now: .*\. After: 127\.0\.0\.1, 203\.0\.113\.7\. A trusted address passes two-factor without a code/)],
      warnings: [expect.stringContaining("127.0.0.1 is a loopback or private address: the address Yemot sees is this server's")],
    });
    const methods = (await harness.call('mfa_list_methods', {})).json.mfaMethods as Array<Record<string, unknown>>;
    const method = methods.find((candidate) => candidate.STATUS === 'PENDING') ?? methods[0];
    const deleting = await harness.call('mfa_delete_method', { mfaId: String(method.MFA_METHOD_ID) });
    expect((deleting.json.preview as { notes: string[] }).notes[0]).toContain(`Method ${String(method.MFA_METHOD_ID)}: ${String(method.NIKE)}, ${String(method.VALUE)}`);
    const password = await harness.call('set_password', { password: 'sandbox-password', newPassword: 'N3w-sandbox-password' });
    expect((password.json.preview as { notes: string[] }).notes[0]).toMatch(/^The docs do not say whether open sessions end: .*kill_sessions ends them\./);
  });

  it('names the files of a delete in full ivr2: form', async () => {
    harness = await noForms();
    const asked = await harness.call('delete_files', { what: ['2/000.wav', 'ivr2:2/001.wav'] });
    expect((asked.json.preview as { files: string[] }).files).toEqual(['ivr2:/2/000.wav', 'ivr2:/2/001.wav']);
  });
});

describe('an input that makes a call stronger', () => {
  it('update_task active: 1 is a spend: NOT_ALLOWED under YEMOT_ALLOW=read,write, while active: 0 is a write', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' }, env: { YEMOT_ALLOW: 'read,write' } });
    const before = harness.sandbox.requests.length;
    const refused = await harness.call('update_task', { TaskId: 1, active: 1 });
    expect(refused.json.error).toBe('NOT_ALLOWED');
    expect(String(refused.json.message)).toContain('spend call (active: 1 restarts a task that may send SMS or ring)');
    expect(harness.since(before).map((request) => request.command)).not.toContain('UpdateTask');
    // Turning it off is a write: it goes (the sandbox's demo has no task 1, so Yemot's refusal comes back).
    const off = await harness.call('update_task', { TaskId: 1, active: 0 });
    expect(off.json.error).toBe('API_ERROR');
    expect(harness.since(before).filter((request) => request.command === 'UpdateTask')).toHaveLength(1);
  });

  it('campaign_action setPaused 0 resumes a campaign: the person is asked; setPaused 1 is a write and is not', async () => {
    harness = await noForms();
    const started = await harness.call('run_campaign', { templateId: 1, confirm: String((await harness.call('run_campaign', { templateId: 1 })).json.confirm) });
    const campaignId = String(started.json.campaignId);
    expect((await harness.call('campaign_action', { action: 'setPaused', campaignId, value: '1' })).isError).toBe(false);
    const resume = await harness.call('campaign_action', { action: 'setPaused', campaignId, value: '0' });
    expect(resume.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(String(resume.json.message)).toContain('Why it needs a yes: value 0 resumes the campaign: calls go out again.');
  });

  it('set_sip_extension without extNumber removes the binding: the person is asked; with extNumber it is a write', async () => {
    harness = await noForms();
    expect((await harness.call('set_sip_extension', { accountNumber: 1, extNumber: 210 })).isError).toBe(false);
    expect((await harness.call('set_sip_extension', { accountNumber: 1 })).json.error).toBe('CONFIRMATION_REQUIRED');
  });
});
