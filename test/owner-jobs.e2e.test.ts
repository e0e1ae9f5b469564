import { CallToolResultSchema, type ElicitRequest, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { toneWav } from '../src/sandbox/wav.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';
import { raw } from './raw-http.js';

/**
 * Issue 29, an owner's jobs end to end through a real MCP client against the simulator: a campaign from a new list and
 * template to FINISHED by the id its start returned (and a send_tts one by any spelling of its id), a weekly schedule
 * confirmed once and cancelled as one series, a SIP account whose password only the person sees, once, dates an agent
 * cannot misread, a call log narrowed and paged, and the parameter forms the issue lists. The simulator's clock is
 * frozen and moved only by the test.
 */

const T0 = Date.UTC(2025, 5, 2, 7, 0, 0);
let clock = T0;
let sandbox: Sandbox;
let harness: Harness;

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => clock, log: () => undefined });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  clock = T0;
  sandbox.reset();
});
afterEach(() => harness?.close());

async function open(options: HarnessOptions = {}) {
  harness = await startHarness({ use: sandbox, ...options });
  return harness;
}

async function ok(name: string, args: Record<string, unknown> = {}) {
  const result = await harness.call(name, args);
  expect(result.isError, `${name}: ${result.text}`).toBe(false);
  return result.json;
}

async function refused(name: string, args: Record<string, unknown>, field: string, error = 'INVALID_INPUT') {
  const result = await harness.call(name, args);
  expect(result.isError, result.text).toBe(true);
  expect(result.json).toMatchObject({ error });
  expect(String(result.json.message)).toContain(`${field}:`);
  return result.json;
}

/** One plain request to a one-time link (no redirects followed, no cookies). */
const send = (url: string, method: 'GET' | 'POST') => raw(url, { method });

describe('a campaign from a new list and template to FINISHED, by the id its start returned', () => {
  it('creates the template and its list, gives it a TTS message and an SMS text, runs it and follows it to the end', async () => {
    await open();
    const { templateId } = await ok('create_template', { description: 'הורים' });
    await ok('upload_phone_list', { updateType: 'UPDATE', templateId, data: '0501234561,אבא\n0501234562,אמא\n0501234568,סבא' });

    // Reading the template says what it lacks before it can run.
    const bare = (await ok('read_templates', { command: 'GetTemplates', templateId })).templates as Array<Record<string, unknown>>;
    expect(bare).toHaveLength(1);
    expect(bare[0]).toMatchObject({ templateId, has: { voiceMessage: false, activePhones: 3, smsText: false } });

    // The voice message as text, in one call, to the template's own file (tpl:ID); its SMS text at tpl:ID:tts.
    await ok('write_text_file', { what: `tpl:${templateId}`, contents: 'שלום, מחר אין לימודים' });
    await ok('write_text_file', { what: `tpl:${templateId}:tts`, contents: 'מחר אין לימודים' });
    expect(sandbox.account.campaignFiles.files[`${templateId}.wav`]?.data).toBe('שלום, מחר אין לימודים');
    const ready = (await ok('read_templates', { command: 'GetTemplates', templateId })).templates as Array<Record<string, unknown>>;
    expect(ready[0]).toMatchObject({ has: { voiceMessage: true, activePhones: 3, smsText: true } });

    const run = await ok('run_campaign', { templateId });
    const campaignId = String(run.campaignId);
    expect(run.follow).toEqual({ tool: 'get_campaign_status', arguments: { campaignId, waitSeconds: 600 }, shows: expect.stringMatching(/progress/) });

    // The follow, as given: each status read moves the simulated clock a second, so the campaign ends within the wait.
    const follow = run.follow as { tool: string; arguments: Record<string, unknown> };
    const progress: Progress[] = [];
    const requests = sandbox.requests;
    requests.push = (...recorded) => {
      if (recorded.some((item) => item.command === 'GetCampaignStatus')) clock += 1_000;
      return Array.prototype.push.apply(requests, recorded);
    };
    try {
      const watched = await harness.client.callTool({ name: follow.tool, arguments: follow.arguments }, CallToolResultSchema, { onprogress: (update) => void progress.push(update) });
      expect(watched.isError, JSON.stringify(watched.content)).toBeFalsy();
      expect(watched.structuredContent).toMatchObject({ campaign: { campaignId, campaignStatus: 'FINISHED', totalEntries: 3, pendingEntries: 0, activeEntries: 0 } });
    } finally {
      delete (requests as { push?: unknown }).push;
    }
    expect(progress.at(-1)).toMatchObject({ progress: 3, total: 3 });
  });

  it('sets a template message from audio in one call (upload_file tpl:ID, sent as ID.wav)', async () => {
    await open();
    const { templateId } = await ok('create_template', { description: 'audio' });
    const before = sandbox.requests.length;
    await ok('upload_file', { path: `tpl:${templateId}`, base64: Buffer.from(toneWav(3)).toString('base64'), fileName: 'message.wav', convertAudio: 1 });
    expect(harness.since(before).find((item) => item.command === 'UploadFile')?.params.path).toBe(`${templateId}.wav`);
    const [template] = (await ok('read_templates', { command: 'GetTemplates', templateId })).templates as Array<Record<string, unknown>>;
    expect(template).toMatchObject({ messageExists: true, messageDuration: 3, has: { voiceMessage: true, activePhones: 0 } });
    await refused('upload_file', { path: `tpl:${templateId}`, base64: Buffer.from(toneWav(1)).toString('base64'), fileName: 'm.wav', autoNumbering: true }, 'autoNumbering');
  });

  it('follows a send_tts campaign by any spelling of its id, and says a ledger campaign has a report, not live progress', async () => {
    await open();
    const sent = await ok('send_tts', { phones: '0501234567:0527654321', ttsMessage: 'שלום' });
    const id = String(sent.CampaignId);
    expect(id).toMatch(/^YA-3-/);
    expect(sent.follow).toEqual({ tool: 'get_campaign_status', arguments: { campaignId: id }, shows: expect.stringMatching(/report/) });
    for (const spelling of [id, id.slice('YA-'.length), `Start-${id}`, ` ${id} `]) {
      const status = await ok('get_campaign_status', { campaignId: spelling, waitSeconds: 5 });
      expect(status).toMatchObject({ campaignId: id, CampaignData: { numbers: 2 } });
      expect(status.note).toMatch(/no live status.*ViewCampaignReports.*waitSeconds cannot watch it/);
    }
    // The report tools take it with or without YA-; ViewCampaignReports is sent it without.
    const before = sandbox.requests.length;
    await ok('campaign_reports', { command: 'ViewCampaignReports', CampaignId: id });
    expect(harness.since(before).find((item) => item.command === 'ViewCampaignReports')?.params.CampaignId).toBe(id.slice('YA-'.length));
    expect((await ok('campaign_reports', { command: 'DownloadCampaignReport', campaignId: id.slice('YA-'.length) })).content).toContain('0527654321');
    // A template campaign's id where only ledger campaigns have the report: refused by name, nothing sent.
    await refused('campaign_reports', { command: 'ViewCampaignReports', CampaignId: '0770000000-1-2025-06-01-10-00-00-000-API' }, 'CampaignId');
  });

  it('says how to follow every spend that starts a campaign', async () => {
    await open();
    expect((await ok('run_tzintuk', { phones: '0501234567' })).follow).toMatchObject({ tool: 'get_campaign_status', arguments: { campaignId: expect.stringMatching(/^YA-/) } });
    expect((await ok('bridge_calls_to_extension', { phones: '0501234567', ivrPath: '1' })).follow).toMatchObject({ tool: 'get_campaign_status' });
  });
});

describe('"every Sunday at 9:00 for the next four weeks"', () => {
  it('schedules the series with one confirmation showing the total, lists it as one series, and cancels it as one', async () => {
    const forms: string[] = [];
    await open({ capabilities: { elicitation: { form: {} } }, onElicit: (request: ElicitRequest['params']) => (forms.push(request.message), { action: 'accept', content: { confirm: true } }) });
    const scheduled = await ok('schedule_campaign', { templateId: 1, weekday: 'sun', time: '09:00', weeks: 4 });
    // One yes for four runs: the preview names them and their total (4 × the template's estimate of 3 units).
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatch(/4 runs/);
    expect(forms[0]).toMatch(/\b12\b/);
    expect(scheduled.series).toBe('1-sun-09:00');
    // The result says how to cancel the series (an agent could not find it).
    expect(String(scheduled.note)).toContain('delete_scheduled_campaign');
    expect(scheduled.note).toMatch(/Israel time \(Asia\/Jerusalem\)/);
    const runs = scheduled.scheduled as Array<Record<string, unknown>>;
    expect(runs).toHaveLength(4);
    for (const [index, run] of runs.entries()) {
      expect(String(run.schedTime)).toMatch(/ 09:00:00$/);
      expect(new Date(`${String(run.schedTime).slice(0, 10)}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(String(run.schedTimeIso)).toMatch(/^\d{4}-\d{2}-\d{2}T09:00:00\+0[23]:00$/);
      if (index) expect(Date.parse(String(run.schedTimeIso)) - Date.parse(String(runs[index - 1].schedTimeIso))).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    }
    expect(sandbox.account.scheduledCampaigns.filter((run) => run.state === 'PENDING')).toHaveLength(4);

    const listed = await ok('campaign_reports', { command: 'GetScheduledCampaigns', type: 'PENDING' });
    expect(listed.series).toEqual([{ series: '1-sun-09:00', runs: 4, first: runs[0].schedTime, last: runs[3].schedTime, schedIds: runs.map((run) => run.schedId) }]);

    // One run by its number: the question names its template and its time, not the number alone.
    await ok('delete_scheduled_campaign', { schedId: runs[3].schedId });
    expect(forms).toHaveLength(2);
    expect(forms[1]).toContain(`Run ${String(runs[3].schedId)}: template 1`);
    expect(forms[1]).toContain(`at ${String(runs[3].schedTime)} (Israel time`);
    expect(forms[1]).toContain('of weekly series 1-sun-09:00');

    const cancelled = await ok('delete_scheduled_campaign', { series: '1-sun-09:00' });
    expect(forms).toHaveLength(3);
    expect(forms[2]).toMatch(/3 waiting run\(s\) of series 1-sun-09:00/);
    expect(cancelled.cancelled).toEqual(runs.slice(0, 3).map((run) => run.schedId));
    expect(sandbox.account.scheduledCampaigns).toHaveLength(0);
    await refused('delete_scheduled_campaign', { series: '1-sun-09:00' }, 'series', 'NOT_FOUND');
  });

  it('stops a series at the first run refused, sends nothing after it and names the runs not scheduled; a one-off says its time zone', async () => {
    await open();
    // The second ScheduleCampaign is refused (the fault is queued as it arrives, before it is answered).
    let seen = 0;
    const requests = sandbox.requests;
    requests.push = (...recorded) => {
      if (recorded.some((item) => item.command === 'ScheduleCampaign') && ++seen === 2) {
        sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'general error', messageCode: 105 } }, { command: 'ScheduleCampaign' });
      }
      return Array.prototype.push.apply(requests, recorded);
    };
    let partial: Record<string, unknown>;
    try {
      partial = await ok('schedule_campaign', { templateId: 1, weekday: 'mon', time: '18:30', weeks: 3 });
    } finally {
      delete (requests as { push?: unknown }).push;
    }
    expect(seen).toBe(2);
    expect(partial.scheduled as unknown[]).toHaveLength(1);
    expect(partial.notScheduled as unknown[]).toHaveLength(2);
    expect(String(partial.stoppedBy)).toMatch(/^API_ERROR/);
    expect(partial.warning).toMatch(/Only 1 run\(s\) were scheduled/);
    expect(sandbox.account.scheduledCampaigns).toHaveLength(1);

    const once = await ok('schedule_campaign', { templateId: 1, time: '2030-01-01 09:00:00' });
    expect(once).toMatchObject({ schedTime: '2030-01-01 09:00:00', schedTimeIso: '2030-01-01T09:00:00+02:00' });
    expect(once.note).toMatch(/Israel time/);
    await refused('schedule_campaign', { templateId: 1, weekday: 'sun', time: '2030-01-01 09:00:00' }, 'time');
    await refused('schedule_campaign', { templateId: 1, time: '09:00', weeks: 2 }, 'weeks');
  });
});

describe('a new SIP account a desk phone can use', () => {
  it("answers server, port, transport and user name, and shows the password once to the person through a link, never to the agent", async () => {
    await open();
    const created = await ok('create_sip_account', { extNumber: 240 });
    const account = sandbox.account.sipAccounts.find((item) => item.extension === 240)!;
    expect(created.phoneSetup).toMatchObject({ userName: `0770000000=${account.accountNumber}`, server: 'sip.yemot.co.il', port: 5060, transport: 'UDP' });
    const { link } = created.forPerson as { link: string };
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/once\/[\w.-]+$/);
    // A loopback link opens only where the server runs: the person is told, and how the operator changes it.
    expect((created.forPerson as { note: string }).note).toContain("opens only on the computer this server runs on (over HTTP, the operator's YEMOT_PUBLIC_URL");
    const everything = [JSON.stringify(created), ...harness.logLines].join('\n');
    expect(everything).not.toContain(account.password);

    // A link preview (GET) does not use it up and shows no password; the person's button (POST) shows it, once.
    const preview = await send(link, 'GET');
    expect(preview.status).toBe(200);
    expect(preview.body).not.toContain(account.password);
    const shown = await send(link, 'POST');
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(account.password);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect((await send(link, 'POST')).status).toBe(404);
    expect((await send(link, 'GET')).status).toBe(404);
  });

  it('offers the link by URL elicitation where the client can, and then keeps it out of the result', async () => {
    const offered: string[] = [];
    await open({ capabilities: { elicitation: { url: {} } }, onElicit: (request: ElicitRequest['params']) => (offered.push(String((request as { url?: string }).url)), { action: 'accept' }) });
    const created = await ok('create_sip_account', {});
    expect(offered).toHaveLength(1);
    expect(JSON.stringify(created)).not.toContain(offered[0]);
    expect(created.forPerson).toEqual({ note: expect.stringMatching(/opened/) });
    const password = sandbox.account.sipAccounts.at(-1)!.password;
    expect((await send(offered[0], 'POST')).body).toContain(password);
  });
});

describe('data an agent reads right', () => {
  it('gives ISO dates in Israel time beside the vendor fields, seconds beside minutes, and marks recordings', async () => {
    await open();
    const ledger = (await ok('get_transactions')).transactions as Array<Record<string, unknown>>;
    expect(ledger[0]).toMatchObject({ transactionTime: '2025-05-01 10:00:00', transactionTimeIso: '2025-05-01T10:00:00+03:00', expireDate: sandbox.account.transactions[0].expireDate, expireDateIso: sandbox.account.transactions[0].expireDate });
    const folder = await ok('read_ivr', { command: 'GetIVR2Dir', path: '1/10' });
    const files = folder.files as Array<Record<string, unknown>>;
    // dd/MM/yyyy: 03/06 is the 3rd of June, not March.
    expect(files.find((file) => file.name === '002.wav')).toMatchObject({ mtime: '03/06/2025 18:20', mtimeIso: '2025-06-03T18:20:00+03:00', durationStr: '01:01', durationSeconds: 61, recording: true });
    expect(files.find((file) => file.name === '000.wav')).toMatchObject({ durationSeconds: 30, recording: false });
  });

  it('flags expired caller IDs, units and sessions', async () => {
    await open();
    sandbox.account.approvedCallerIds = [
      { callerId: '0523334444', expiryDate: '2999-03-01 10:00:00' },
      { callerId: '039998877', expiryDate: '2020-12-15 08:30:00' },
    ];
    const data = await ok('read_account', { command: 'GetCustomerData' });
    expect(data.callerIds).toEqual([
      { callerId: '0523334444', expiryDate: '2999-03-01 10:00:00', expiryDateIso: '2999-03-01T10:00:00+02:00', expired: false },
      { callerId: '039998877', expiryDate: '2020-12-15 08:30:00', expiryDateIso: '2020-12-15T08:30:00+02:00', expired: true },
    ]);
    expect(typeof data.unitsExpired).toBe('boolean');
    const sessions = (await ok('read_security', { command: 'GetAllSessions' })).data as Array<Record<string, unknown>>;
    for (const session of sessions) expect(session.expired, JSON.stringify(session)).toBe(Date.parse(String(session.lastRequestIso)) + 30 * 60_000 < Date.now());
  });

  it('narrows a call log by day and extension, newest first, and pages it', async () => {
    await open();
    const log = { wath: 'Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 1 };
    const day = await ok('render_ymgr_file', { ...log, from: '2025-06-01', to: '2025-06-01' });
    expect((day.data as Array<Record<string, unknown>>).map((row) => row.Time)).toEqual(['11:02:47', '09:14:03']);
    expect(day.total).toBe(2);
    const extension = await ok('render_ymgr_file', { ...log, extension: '1' });
    expect((extension.data as Array<Record<string, unknown>>).map((row) => row.Folder)).toEqual(['/1/10', '/1']);
    expect((extension.data as Array<Record<string, unknown>>)[0]).toMatchObject({ Date: '02/06/2025', DateIso: '2025-06-02T08:30:12+03:00' });
    const page = await ok('render_ymgr_file', { ...log, limit: 3 });
    expect(page).toMatchObject({ total: 4, nextOffset: 3 });
    const rest = await ok('render_ymgr_file', { ...log, limit: 3, offset: 3 });
    expect(rest).toMatchObject({ total: 4, data: [expect.objectContaining({ Time: '09:14:03' })] });
    expect(rest).not.toHaveProperty('nextOffset');
    // json reads the raw columns: without notLoadLang, 1 is sent; 0 with a filter is refused.
    const before = sandbox.requests.length;
    const plain = await ok('render_ymgr_file', { wath: log.wath, convertType: 'json', from: '2025-06-01', to: '2025-06-01' });
    expect(plain.total).toBe(2);
    expect(sandbox.requests.slice(before).find((request) => request.command === 'RenderYMGRFile')?.params.notLoadLang).toBe('1');
    await refused('render_ymgr_file', { wath: log.wath, convertType: 'json', notLoadLang: 0, from: '2025-06-01' }, 'notLoadLang');
    await refused('render_ymgr_file', { wath: log.wath, convertType: 'csv', limit: 2 }, 'limit');
    // Unfiltered json rows have the same raw keys and ISO dates (two agents met Hebrew keys unfiltered, English filtered).
    const unfiltered = await ok('render_ymgr_file', { wath: log.wath, convertType: 'json' });
    expect((unfiltered.data as Array<Record<string, unknown>>)[0]).toMatchObject({ Date: expect.any(String), DateIso: expect.any(String), Folder: expect.any(String) });
    // And in the same order, newest first, with its total (an agent met the file's order, and no total, without a limit).
    expect(unfiltered).toMatchObject({ total: 4, data: [expect.objectContaining({ Date: '03/06/2025' }), expect.anything(), expect.anything(), expect.objectContaining({ Time: '09:14:03' })] });
    const translated = await ok('render_ymgr_file', { wath: log.wath, convertType: 'json', notLoadLang: 0 });
    expect(Object.keys((translated.data as Array<Record<string, unknown>>)[0])).not.toContain('Folder');
    const before2 = sandbox.requests.length;
    await ok('render_ymgr_file', { wath: log.wath, convertType: 'csv' });
    expect(sandbox.requests.slice(before2).find((request) => request.command === 'RenderYMGRFile')?.params).not.toHaveProperty('notLoadLang');
  });
});

describe('the missing parameter forms', () => {
  it("RunCampaign's per-phone objects carry each person's own text (ttsMode 1)", async () => {
    await open();
    const run = await ok('run_campaign', { templateId: 1, ttsMode: 1, phones: { '+972-50-123-4561': { name: 'משה', text: 'משה, התשלום התקבל' }, '0501234562': { blocked: true } } });
    const campaign = sandbox.account.templateCampaigns.find((item) => item.campaignId === run.campaignId)!;
    expect(campaign.entries.map(({ phone, text, entryStatus }) => ({ phone, text, entryStatus }))).toEqual([
      { phone: '0501234561', text: 'משה, התשלום התקבל', entryStatus: expect.stringMatching(/ringing|pending/) },
      { phone: '0501234562', text: '', entryStatus: 'blocked' },
    ]);
    await refused('run_campaign', { templateId: 1, phones: { '0501234561': { blocked: 'yes' } } }, 'phones.0501234561.blocked');
  });

  it("CampaignAction's object value adds named phones to a running campaign; objects are for add, block and hangup only", async () => {
    await open();
    const { campaignId } = await ok('run_campaign', { templateId: 1 });
    const added = await ok('campaign_action', { action: 'add', campaignId, value: { '0507777771': { name: 'חדש', moreinfo: 'x' }, '0507777772': { blocked: true } } });
    expect(added.data).toEqual([
      { phone: '0507777771', action: 'add' },
      { phone: '0507777772', action: 'addblocked' },
    ]);
    expect(sandbox.account.templateCampaigns.at(-1)!.entries.find((entry) => entry.phone === '0507777771')).toMatchObject({ name: 'חדש', moreinfo: 'x' });
    await refused('campaign_action', { action: 'setPaused', campaignId, value: { '0507777771': {} } }, 'value');
  });

  it("RunTzintuk's tzintukLists rings several free lists at once, free", async () => {
    await open();
    const before = sandbox.requests.length;
    const rung = await ok('run_tzintuk', { tzintukLists: ['members', 'parents'] });
    expect(rung).toMatchObject({ callsCount: 5, biling: 0 });
    expect(harness.since(before).find((item) => item.command === 'RunTzintuk')?.params).toMatchObject({ phones: 'tzl:', tzintukLists: ['members', 'parents'] });
    await refused('run_tzintuk', { tzintukLists: ['members'], phones: '0501234567' }, 'phones, tzintukLists');
  });

  it("CallAction's language change, and a text sender name in check_caller_id", async () => {
    await open();
    await ok('act_on_calls', { action: 'set:Clanguage', ids: 'call-3', target: 'en' });
    expect(sandbox.account.liveCalls.find((call) => call.id === 'call-3')?.language).toBe('en');
    await refused('act_on_calls', { action: 'set:Clanguage', ids: 'call-3', target: 'klingon' }, 'target');
    // A system without its own SMS number, allowed text senders.
    Object.assign(sandbox.account, { smsAllowText: true, smsId: '' });
    expect(await ok('check_caller_id', { callerId: 'OrHaChaim', serviceType: 'sms' })).toMatchObject({ parsedCallerId: 'OrHaChaim', isApproved: true });
    await refused('check_caller_id', { callerId: 'OrHaChaim' }, 'callerId');
  });
});
