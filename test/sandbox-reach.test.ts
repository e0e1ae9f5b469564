import { describe, expect, it } from 'vitest';
import { sandboxCommands, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { toneWav } from '../src/sandbox/wav.js';
import { sandbox, useDemoSandbox, type Answer } from './demo-sandbox.js';

/** The simulator's side of issue 13: SMS, tzintuk, live calls, bridge calls, fax, live queues, caller-ID validation. */

useDemoSandbox();

async function form(command: string, params: Record<string, string | number> = {}, base: Sandbox = sandbox): Promise<Answer> {
  const body = new URLSearchParams(Object.entries({ token: base.token, ...params }).map(([key, value]) => [key, String(value)]));
  const response = await fetch(base.url + command, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return response.json();
}

async function json(command: string, params: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: sandbox.token, ...params }) });
  return response.json();
}

async function multipart(command: string, fields: Record<string, string>, file?: { name: string; filename: string; type: string; bytes: Uint8Array }): Promise<Answer> {
  const body = new FormData();
  for (const [key, value] of Object.entries({ token: sandbox.token, ...fields })) body.append(key, value);
  if (file) body.append(file.name, new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.filename);
  return (await fetch(sandbox.url + command, { method: 'POST', body })).json();
}

const ledgerSince = (count: number) => sandbox.account.transactions.slice(count);
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('SendSms and GetSmsOutLog', () => {
  it('sends to each valid number, reports the invalid ones, draws SMS units and writes the out-log and the SMS ledger', async () => {
    const before = sandbox.account.smsBalance;
    const answer = await form('SendSms', { message: 'Meeting at 10', phones: '0501234567:12345:0527654321:0501234567', sendFlashMessage: 0 });
    expect(answer).toMatchObject({ responseStatus: 'OK', message: 'Meeting at 10', from: '0770000000', sendCount: 2, Billing: 2, oks: ['0501234567', '0527654321'], errors: { '12345': 'not valid' } });
    expect(sandbox.account.smsBalance).toBe(before - 2);
    expect(sandbox.account.smsTransactions.at(-1)).toMatchObject({ amount: -2, description: 'SendSms', newBalance: before - 2, who: 'API' });
    const log = await form('GetSmsOutLog', { limit: 2 });
    expect(log.rows).toEqual([
      { CallerId: '0770000000', To: '0527654321', Message: 'Meeting at 10', Billing: 1, RunBy: 'API', Time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/), DeliveryReport: 'ESME_ROK' },
      expect.objectContaining({ To: '0501234567' }),
    ]);
    expect((await form('GetSmsOutLog')).rows).toHaveLength(5);
    expect((await form('GetSmsOutLog', { limit: 0 })).message).toBe('limit must be at least 1');
  });

  it('bills a long Hebrew message by its parts', async () => {
    const answer = await form('SendSms', { message: 'א'.repeat(71), phones: '0501234567:0527654321' });
    expect(answer).toMatchObject({ sendCount: 2, Billing: 4 });
    expect((await form('GetSmsOutLog', { limit: 1 })).rows[0].Billing).toBe(2);
  });

  it('accepts as from only the sender lock, an approved number, or a text name when allowText is on', async () => {
    expect(await form('SendSms', { message: 'x', phones: '0501234567', from: '0523334444' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^from 0523334444 is not an approved SMS sender/) });
    expect(await form('SendSms', { message: 'x', phones: '0501234567', from: 'Shul' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('allowText') });
    sandbox.account.smsId = '';
    expect(await form('SendSms', { message: 'x', phones: '0501234567', from: '0523334444' })).toMatchObject({ responseStatus: 'OK', from: '0523334444' });
    sandbox.account.smsAllowText = true;
    expect(await form('SendSms', { message: 'x', phones: '0501234567', from: 'Shul' })).toMatchObject({ responseStatus: 'OK', from: 'Shul' });
    expect((await form('GetSmsOutLog', { limit: 1 })).rows[0].CallerId).toBe('Shul');
  });

  it('refuses with Low unit balance when the SMS units cannot pay, sending nothing', async () => {
    sandbox.account.smsBalance = 1;
    const logged = sandbox.account.outgoingSms.length;
    expect(await form('SendSms', { message: 'x', phones: '0501234567:0527654321' })).toMatchObject({ responseStatus: 'ERROR', message: 'Low unit balance' });
    expect(sandbox.account.smsBalance).toBe(1);
    expect(sandbox.account.outgoingSms).toHaveLength(logged);
    sandbox.account.smsBalance = 0;
    expect(await form('SendSms', { message: 'x', phones: '0501234567' })).toMatchObject({ responseStatus: 'ERROR', message: 'Low unit balance' });
  });

  it('requires message and phones', async () => {
    expect(await form('SendSms', { phones: '0501234567' })).toMatchObject({ message: 'message is required' });
    expect(await form('SendSms', { message: 'x', phones: ':' })).toMatchObject({ message: 'phones is required' });
  });
});

describe('RunTzintuk', () => {
  it('charges 0.1 unit per number and writes the spend to the ledger', async () => {
    const count = sandbox.account.transactions.length;
    const answer = await form('RunTzintuk', { phones: '0501234567:0527654321:999' });
    expect(answer).toEqual({
      responseStatus: 'OK',
      yAfastVersion: expect.any(String),
      callerId: '0770000000',
      callsCount: 2,
      verifyCode: '',
      bilingPerCall: 0.1,
      biling: 0.2,
      errors: { '999': 'not Vaild' },
      callsTimeout: 9,
      campaignId: expect.stringMatching(/^YA-\d-0770000000-Yemot-\d+$/),
    });
    expect(sandbox.account.units).toBe(499.8);
    expect(ledgerSince(count)).toEqual([
      { id: 2, transactionTime: expect.any(String), amount: -0.2, description: 'Start-RunTzintuk', who: '127.0.0.1', newBalance: 499.8, expireDate: sandbox.account.transactions[0].expireDate, campaignId: answer.campaignId },
    ]);
    expect((await form('RunTzintuk', { phones: 'tpl:1' })).biling).toBe(0.3);
  });

  it('rings a free list (tzl:) for nothing, only its members not blocked', async () => {
    const count = sandbox.account.transactions.length;
    expect(await form('RunTzintuk', { phones: 'tzl:staff' })).toMatchObject({ callsCount: 2, bilingPerCall: 0, biling: 0 });
    expect(sandbox.account.units).toBe(500);
    expect(ledgerSince(count)).toEqual([]);
    expect(sandbox.account.campaigns.at(-1)).toMatchObject({ command: 'RunTzintuk', numbers: ['0506666666', '0527777777'], units: 0 });
  });

  it('takes the JSON forms: numbers, {phone, callerId} and {phones, callerId}', async () => {
    expect(await json('RunTzintuk', { phones: ['0501234567', '0527654321'] })).toMatchObject({ callsCount: 2, biling: 0.2 });
    const objects = await json('RunTzintuk', { phones: [{ phone: '0501234567', callerId: '0523334444' }, { phone: '0527654321', callerId: '0509999999' }] });
    expect(objects).toMatchObject({ callsCount: 1, errors: { '0527654321': 'callerId not approved' } });
    const groups = await json('RunTzintuk', { phones: [{ phones: ['0501111111', '0502222222'], callerId: '039998877' }, { phones: ['0503333333'] }] });
    expect(groups).toMatchObject({ callsCount: 3, biling: 0.3, errors: {} });
    expect(await form('RunTzintuk', { phones: '0501234567', callerId: '0509999999' })).toMatchObject({ responseStatus: 'ERROR', message: 'callerId 0509999999 is not approved in this system' });
  });

  it('callerId=RAND calls only the first number and answers the last 4 digits of the random caller as verifyCode', async () => {
    const answer = await form('RunTzintuk', { callerId: 'RAND', phones: '0501234567:0527654321', TzintukTimeOut: 16 });
    expect(answer).toMatchObject({ responseStatus: 'OK', callerId: 'RAND', callsCount: 1, biling: 0.1, callsTimeout: 16, verifyCode: expect.stringMatching(/^\d{4}$/) });
    const campaign = sandbox.account.campaigns.at(-1)!;
    expect(campaign.numbers).toEqual(['0501234567']);
    expect(campaign.callerId.slice(-4)).toBe(answer.verifyCode);
    expect(campaign.callerId).not.toBe('RAND');
    expect(await form('RunTzintuk', { callerId: 'RAND', phones: 'tzl:staff' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('not a list') });
  });

  it('holds TzintukTimeOut to its documented range (a Float, max 16) and exports it', async () => {
    expect(sandboxCommands().get('RunTzintuk')?.rules).toEqual({ TzintukTimeOut: { min: 1, max: 16, decimals: true } });
    expect(await form('RunTzintuk', { phones: '0501234567', TzintukTimeOut: '12.5' })).toMatchObject({ callsTimeout: 12.5 });
    expect(await form('RunTzintuk', { phones: '0501234567', TzintukTimeOut: 17 })).toMatchObject({ responseStatus: 'ERROR', message: 'TzintukTimeOut must be between 1 and 16' });
    expect(await form('RunTzintuk', { phones: '0501234567', TzintukTimeOut: 'long' })).toMatchObject({ message: 'TzintukTimeOut must be a number' });
  });

  it('refuses every number with NO_CREDIT when the units cannot pay, spending nothing', async () => {
    sandbox.account.units = 0.15;
    const count = sandbox.account.transactions.length;
    expect(await form('RunTzintuk', { phones: '0501234567:0527654321' })).toMatchObject({ callsCount: 0, biling: 0, errors: { '0501234567': 'NO_CREDIT', '0527654321': 'NO_CREDIT' } });
    expect(sandbox.account.units).toBe(0.15);
    expect(ledgerSince(count)).toEqual([]);
    expect(await form('RunTzintuk', { phones: 'tzl:parents' })).toMatchObject({ callsCount: 3, biling: 0 });
  });
});

describe('TzintukimListManagement', () => {
  it('lists the free lists with their counts and members', async () => {
    expect((await form('TzintukimListManagement', { action: 'getlists' })).lists).toEqual([
      { listName: 'staff', subscribers: 3, blocked: 1, active: 2 },
      { listName: 'members', subscribers: 2, blocked: 0, active: 2 },
      { listName: 'parents', subscribers: 3, blocked: 0, active: 3 },
    ]);
    const entries = await form('TzintukimListManagement', { action: 'getlistEnteres', TzintukimList: 'staff' });
    expect(entries).toMatchObject({ listName: 'staff', countSubscribers: 3, countsBlocked: 1, countsActive: 2, blocked: [{ phone: '0501212121', name: '' }] });
    expect(entries.enteres).toHaveLength(3);
    expect(entries.enteres[0]).toEqual({ phone: '0506666666', name: 'רחל', active: true });
    expect(entries.active.map((member: Answer) => member.phone)).toEqual(['0506666666', '0527777777']);
  });

  it('shows the join/leave log with the documented fields', async () => {
    const { events } = await form('TzintukimListManagement', { action: 'getLogList', TzintukimList: 'staff' });
    expect(events).toHaveLength(4);
    expect(events[0]).toEqual({ Folder: '/1', CustomerDID: '0770000000', Phone: '0506666666', Date: '01/05/2025', Time: '09:00:00', TypeOperation: 'add', PhoneAction: 'join' });
    expect(events[3]).toMatchObject({ Phone: '0501212121', TypeOperation: 'remove', PhoneAction: 'leave' });
  });

  it('resetList empties the members and keeps the log', async () => {
    expect(await form('TzintukimListManagement', { action: 'resetList', TzintukimList: 'staff' })).toMatchObject({ responseStatus: 'OK' });
    expect(await form('TzintukimListManagement', { action: 'getlistEnteres', TzintukimList: 'staff' })).toMatchObject({ countSubscribers: 0, enteres: [] });
    expect((await form('TzintukimListManagement', { action: 'getLogList', TzintukimList: 'staff' })).events).toHaveLength(4);
    expect(await form('RunTzintuk', { phones: 'tzl:staff' })).toMatchObject({ responseStatus: 'ERROR', message: 'phones: no number to call' });
  });

  it('names the list parameter and the action in its errors', async () => {
    expect(await form('TzintukimListManagement', { action: 'getLogList' })).toMatchObject({ message: 'TzintukimList is required' });
    expect(await form('TzintukimListManagement', { action: 'getlistEnteres', TzintukimList: 'nope' })).toMatchObject({ message: 'TzintukimList nope not found' });
    expect(await form('TzintukimListManagement', { action: 'getlistEntries' })).toMatchObject({ message: expect.stringContaining('getlistEnteres') });
  });
});

describe('GetIncomingCalls and CallAction', () => {
  it('lists the live calls with the documented fields and the conference participants apart', async () => {
    const answer = await form('GetIncomingCalls');
    expect(answer.callsCount).toBe(5);
    expect(answer.calls[0]).toEqual({ did: '0770000000', callerIdNum: '0501234567', duration: expect.any(Number), transferFrom: null, id: 'call-1', path: '/1/10' });
    expect(answer.calls[0].duration).toBeGreaterThanOrEqual(125);
    expect(answer.calls[1].transferFrom).toBe('מועבר');
    expect(answer.confCalls).toEqual({
      '0770000000': {
        '/ext/7': [
          { id: 'conf-1', callerIdNum: '0533137770', mute: false, hand: false, admin: true, data: {} },
          { id: 'conf-2', callerIdNum: '0541112223', mute: false, hand: false, admin: false, data: { survey: '7' } },
        ],
      },
    });
  });

  it('hangs up with set:GOasap=hangup: the call is gone from GetIncomingCalls', async () => {
    const { calls } = await form('GetIncomingCalls');
    const answer = await form('CallAction', { ids: calls[0].id, action: 'set:GOasap=hangup' });
    expect(answer).toMatchObject({ responseStatus: 'OK', action: 'set:GOasap=hangup', callsCount: 1, calls: [{ id: calls[0].id, path: '/1/10' }] });
    const after = await form('GetIncomingCalls');
    expect(after.callsCount).toBe(4);
    expect(after.calls.map((call: Answer) => call.id)).not.toContain(calls[0].id);
  });

  it('moves calls with set:GOasap=<path>, ids joined with :, leaving unknown ids out of the answer', async () => {
    const answer = await form('CallAction', { ids: 'call-1:nope:call-2', action: 'set:GOasap=ivr2:/1/100' });
    expect(answer).toMatchObject({ callsCount: 2, calls: [{ id: 'call-1', path: '/1/100' }, { id: 'call-2', path: '/1/100' }] });
    expect((await form('GetIncomingCalls')).calls.slice(0, 2).map((call: Answer) => call.path)).toEqual(['/1/100', '/1/100']);
    expect(await form('CallAction', { ids: 'nope', action: 'set:GOasap=hangup' })).toMatchObject({ responseStatus: 'OK', callsCount: 0, calls: [] });
    expect(await form('CallAction', { ids: 'call-1', action: 'set:GOasap=/9/9' })).toMatchObject({ responseStatus: 'ERROR', message: 'action set:GOasap: extension not found: /9/9' });
  });

  it('acts on conference participants: mute, hands, data, kick, new goto', async () => {
    const admin = 'conf-1';
    const guest = 'conf-2';
    expect(await form('CallAction', { ids: `${admin}:${guest}`, action: 'mute' })).toMatchObject({ callsCount: 2 });
    await form('CallAction', { ids: guest, action: 'raisehand' });
    await form('CallAction', { ids: guest, action: 'path:add:vote=2' });
    let room = (await form('GetIncomingCalls')).confCalls['0770000000']['/ext/7'];
    expect(room[1]).toMatchObject({ mute: true, hand: true, data: { survey: '7', vote: '2' } });
    await form('CallAction', { ids: guest, action: 'path:remove:sur' });
    await form('CallAction', { ids: `${admin}:${guest}`, action: 'unmute' });
    await form('CallAction', { ids: guest, action: 'lowerhand' });
    room = (await form('GetIncomingCalls')).confCalls['0770000000']['/ext/7'];
    expect(room[1]).toMatchObject({ mute: false, hand: false, data: { vote: '2' } });
    expect(await form('CallAction', { ids: 'call-1', action: 'mute' })).toMatchObject({ callsCount: 0 });
    expect(await form('CallAction', { ids: admin, action: 'set:ConfbridgeNewGoto=/2' })).toMatchObject({ callsCount: 1, calls: [{ id: admin, path: '/2' }] });
    expect(await form('CallAction', { ids: guest, action: 'kick' })).toMatchObject({ callsCount: 1 });
    const after = await form('GetIncomingCalls');
    expect(after.calls.map((call: Answer) => call.id)).toEqual(['call-1', 'call-2', 'call-3', admin]);
    expect(after.confCalls).toBeUndefined();
  });

  it('refuses an unknown action and missing ids', async () => {
    expect(await form('CallAction', { ids: 'call-1', action: 'hangup' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^action must be set:GOasap=<path>/) });
    expect(await form('CallAction', { action: 'kick' })).toMatchObject({ message: 'ids is required' });
    expect((await form('GetIncomingCalls')).callsCount).toBe(5);
  });
});

describe('CreateBridgeCall', () => {
  it('dials each valid number of Phones, bridges to BridgePhones and spends a unit per call', async () => {
    const count = sandbox.account.transactions.length;
    const answer = await form('CreateBridgeCall', { Phones: '0501234567:12', BridgePhones: '0527654321', callerId: '0523334444', RecordCall: 1, SendMailInCall: 1, SendMailInCallTo: 'office@example.com' });
    expect(answer).toEqual({
      responseStatus: 'OK',
      yAfastVersion: expect.any(String),
      CampaignId: expect.stringMatching(/^YA-/),
      OKCalls: 1,
      ErrorCalls: { '12': 'not valid' },
      Billing: 1,
      SendMailInCall: true,
      RecordCall: true,
      CustomerUnit: 499,
      CallerId: '0523334444',
      Phones: ['0501234567', '12'],
      SendMailInCallTo: 'office@example.com',
    });
    expect(ledgerSince(count)).toEqual([expect.objectContaining({ amount: -1, description: 'Start-CreateBridgeCall', campaignId: answer.CampaignId })]);
    expect(sandbox.account.campaigns.at(-1)).toMatchObject({ command: 'CreateBridgeCall', numbers: ['0501234567'], bridgePhones: ['0527654321'] });
  });

  it('rings a SIP account first with DialSip (by extension or account number)', async () => {
    expect(await form('CreateBridgeCall', { Phones: '0', BridgePhones: '0527654321', DialSip: 1, DialSipExtension: 1, SipExtension: 200 })).toMatchObject({ OKCalls: 1, ErrorCalls: {} });
    expect(sandbox.account.campaigns.at(-1)!.numbers).toEqual(['sip:1']);
    expect(await form('CreateBridgeCall', { Phones: '0', BridgePhones: '0527654321', DialSip: 1, AccountNumber: 9 })).toMatchObject({ responseStatus: 'ERROR', message: 'AccountNumber 9 not found' });
    const noSip = await startSandbox({ sip: false, log: () => undefined });
    try {
      expect(await form('CreateBridgeCall', { Phones: '0', BridgePhones: '0527654321', DialSip: 1, AccountNumber: 1 }, noSip)).toMatchObject({ responseStatus: 'ERROR', message: 'שרת זה אינו תומך במערכת SIP' });
    } finally {
      await noSip.close();
    }
  });

  it('refuses bad BridgePhones and e-mail, and answers NO_CREDIT when units run out', async () => {
    expect(await form('CreateBridgeCall', { Phones: '0501234567', BridgePhones: '12' })).toMatchObject({ message: expect.stringMatching(/^BridgePhones: 12 is not a valid number/) });
    expect(await form('CreateBridgeCall', { Phones: '0501234567', BridgePhones: '0527654321', SendMailInCallTo: 'nope' })).toMatchObject({ message: 'SendMailInCallTo must be an e-mail address' });
    sandbox.account.units = 0.5;
    expect(await form('CreateBridgeCall', { Phones: '0501234567', BridgePhones: '0527654321' })).toMatchObject({ OKCalls: 0, Billing: 0, ErrorCalls: { '0501234567': 'NO_CREDIT' }, CustomerUnit: 0.5 });
  });
});

describe('SendFax', () => {
  it('sends a PDF uploaded as the multipart part fileToUpload with pdfFile=UPLOAD', async () => {
    const answer = await multipart('SendFax', { phone: '035551234', pdfFile: 'UPLOAD', deliveryUrl: 'https://example.com/fax-done' }, { name: 'fileToUpload', filename: 'invoice.pdf', type: 'application/pdf', bytes: PDF });
    expect(answer).toEqual({
      responseStatus: 'OK',
      yAfastVersion: expect.any(String),
      callerId: '0770000000',
      CampaignId: expect.stringMatching(/^YA-/),
      deliveryUrl: 'https://example.com/fax-done',
      fileNameSend: 'invoice.pdf',
      callsCount: 1,
      bilingPerCall: 1,
      biling: 1,
    });
    expect(sandbox.account.units).toBe(499);
    expect(sandbox.account.campaigns.at(-1)).toMatchObject({ command: 'SendFax', numbers: ['035551234'], fax: { source: 'upload', fileName: 'invoice.pdf', bytes: PDF.length } });
    expect(Buffer.from(sandbox.requests.at(-1)!.files[0].bytes).equals(Buffer.from(PDF))).toBe(true);
  });

  it('sends a PDF by URL or by its IVR path', async () => {
    expect(await form('SendFax', { phone: '035551234', pdfFile: 'https://example.com/docs/a.pdf' })).toMatchObject({ responseStatus: 'OK', fileNameSend: 'a.pdf', deliveryUrl: '' });
    expect(await form('SendFax', { phone: '035551234', pdfFile: '/ext/45/123.pdf' })).toMatchObject({ responseStatus: 'OK', fileNameSend: '123.pdf' });
    expect(sandbox.account.campaigns.at(-1)!.fax).toMatchObject({ source: 'ivr', fileName: '123.pdf' });
    sandbox.account.ivr.dirs['2'].files['9.pdf'] = { data: toneWav(1), mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    expect(await form('SendFax', { phone: '035551234', pdfFile: '/2/9.pdf' })).toMatchObject({ responseStatus: 'ERROR', message: 'pdfFile is not a PDF: /2/9.pdf' });
    expect(await form('SendFax', { phone: '035551234', pdfFile: '/2/000.wav' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^pdfFile must be a URL/) });
    expect(await form('SendFax', { phone: '035551234', pdfFile: '/2/404.pdf' })).toMatchObject({ message: 'pdfFile not found: /2/404.pdf' });
  });

  it('refuses UPLOAD without the part, the part without UPLOAD, and a part that is not a PDF', async () => {
    const part = (bytes: Uint8Array, type = 'application/pdf') => ({ name: 'fileToUpload', filename: 'x.pdf', type, bytes });
    expect(await form('SendFax', { phone: '035551234', pdfFile: 'UPLOAD' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('fileToUpload') });
    expect(await multipart('SendFax', { phone: '035551234', pdfFile: 'UPLOAD' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('fileToUpload') });
    expect(await multipart('SendFax', { phone: '035551234', pdfFile: 'https://example.com/a.pdf' }, part(PDF))).toMatchObject({ message: 'fileToUpload is sent only with pdfFile=UPLOAD' });
    expect(await multipart('SendFax', { phone: '035551234', pdfFile: 'UPLOAD' }, part(new TextEncoder().encode('hello')))).toMatchObject({ message: 'fileToUpload is not a PDF: its bytes must start with %PDF' });
    expect(await multipart('SendFax', { phone: '035551234', pdfFile: 'UPLOAD' }, part(PDF, 'image/png'))).toMatchObject({ message: 'fileToUpload must have content type application/pdf, not image/png' });
    expect(sandbox.account.units).toBe(500);
  });

  it('checks the number, the callerId, deliveryUrl and the units', async () => {
    expect(await form('SendFax', { phone: '12', pdfFile: 'https://example.com/a.pdf' })).toMatchObject({ message: expect.stringMatching(/^phone 12 is invalid/) });
    expect(await form('SendFax', { phone: '035551234', pdfFile: 'https://example.com/a.pdf', callerId: '0509999999' })).toMatchObject({ message: 'callerId 0509999999 is not approved in this system' });
    expect(await form('SendFax', { phone: '035551234', pdfFile: 'https://example.com/a.pdf', deliveryUrl: 'ftp://x' })).toMatchObject({ message: 'deliveryUrl must be an http(s) URL' });
    sandbox.account.units = 0.5;
    expect(await form('SendFax', { phone: '035551234', pdfFile: 'https://example.com/a.pdf' })).toMatchObject({ responseStatus: 'ERROR', message: 'Low unit balance' });
    expect(sandbox.account.campaigns).toEqual([]);
  });
});

describe('GetQueueRealTime', () => {
  const kick = (callIds: string[]) => json('QueueManagement', { queuePath: '/5', action: 'kick', callIds });

  it('shows the queue counters, members and waiting callers with the documented keys', async () => {
    const answer = await form('GetQueueRealTime', { queuePath: 'ivr2:/5' });
    expect(answer.queueData).toEqual({ Abandoned: 2, Calls: 2, Completed: 17, TalkTime: 184, Holdtime: 41, Max: 10, Strategy: 'ringall' });
    expect(answer.members[0]).toEqual({
      agent: 'agent1',
      Status: 'Not in use',
      CallsTaken: 12,
      LastCallUnitTime: expect.stringMatching(/^\d{10}$/),
      LastCall: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} [AP]M$/),
      LastCallAgo: '10 minutes ago',
      Paused: false,
      Penalty: '0',
    });
    expect(answer.members[1]).toMatchObject({ agent: 'agent2', Paused: true, LastCall: null, LastCallAgo: null, LastCallUnitTime: '0' });
    expect(answer.entries).toEqual([
      { phone: '0501234567', Wait: expect.any(Number), WaitAgo: '1 minute ago', Position: 1, CallId: 'call-a' },
      { phone: '0527654321', Wait: expect.any(Number), WaitAgo: expect.stringMatching(/seconds ago$/), Position: 2, CallId: 'call-b' },
    ]);
    expect(answer.entries[0].Wait).toBeGreaterThanOrEqual(95);
    expect(await form('GetQueueRealTime', { queuePath: '/7' })).toMatchObject({ responseStatus: 'ERROR', message: 'queue not found: /7' });
  });

  it('kicking a listed CallId with QueueManagement removes it from entries', async () => {
    const { entries } = await form('GetQueueRealTime', { queuePath: '/5' });
    expect(await kick([entries[0].CallId])).toMatchObject({ status: { 'call-a': 'OK' } });
    const after = await form('GetQueueRealTime', { queuePath: '/5' });
    expect(after.entries).toEqual([expect.objectContaining({ CallId: 'call-b', Position: 1 })]);
    expect(after.queueData.Calls).toBe(1);
  });

  it('pause and unpause show in Paused', async () => {
    await json('QueueManagement', { queuePath: '/5', action: 'pause', agent: 'agent1' });
    expect((await form('GetQueueRealTime', { queuePath: '/5' })).members[0].Paused).toBe(true);
    await json('QueueManagement', { queuePath: '/5', action: 'unpause', agent: 'agent2' });
    expect((await form('GetQueueRealTime', { queuePath: '/5' })).members[1].Paused).toBe(false);
  });
});

describe('ValidationCallerId', () => {
  it('send by SMS draws an SMS unit and answers a reqId; valid with the code approves the number for a year', async () => {
    const smsBefore = sandbox.account.smsBalance;
    const sent = await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'SMS' });
    expect(sent).toEqual({ responseStatus: 'OK', yAfastVersion: expect.any(String), reqId: expect.any(Number) });
    expect(sandbox.account.smsBalance).toBe(smsBefore - 1);
    const { code } = sandbox.account.callerIdValidations.find((request) => request.reqId === sent.reqId)!;
    expect(await form('ValidationCallerId', { action: 'valid', reId: sent.reqId, code })).toMatchObject({ responseStatus: 'OK' });
    const approved = sandbox.account.approvedCallerIds.find((entry) => entry.callerId === '0509999999')!;
    expect(approved.expiryDate.slice(0, 4)).toBe(String(new Date().getFullYear() + 1));
    expect((await form('GetApprovedCallerIDs')).call.callerIds).toContain('+972509999999');
    expect(await form('RunTzintuk', { phones: '0501234567', callerId: '0509999999' })).toMatchObject({ responseStatus: 'OK' });
    expect(await form('ValidationCallerId', { action: 'valid', reId: sent.reqId, code })).toMatchObject({ responseStatus: 'ERROR', message: `reId ${sent.reqId} not found: send a new code` });
  });

  it('send by CALL spends a unit on the ledger; a wrong code is refused, and the request is dropped after the last try', async () => {
    const count = sandbox.account.transactions.length;
    const sent = await form('ValidationCallerId', { action: 'send', callerId: '0523334444', validType: 'CALL' });
    expect(ledgerSince(count)).toEqual([expect.objectContaining({ amount: -1, description: 'ValidationCallerId 0523334444', campaignId: null })]);
    const { code } = sandbox.account.callerIdValidations.at(-1)!;
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await form('ValidationCallerId', { action: 'valid', reId: sent.reqId, code: wrong })).toMatchObject({ responseStatus: 'ERROR', message: 'code is incorrect; 4 tries left' });
    expect(await form('ValidationCallerId', { action: 'valid', reId: sent.reqId, code })).toMatchObject({ responseStatus: 'OK' });
    expect(sandbox.account.approvedCallerIds.filter((entry) => entry.callerId === '0523334444')).toHaveLength(1);
    const again = await form('ValidationCallerId', { action: 'send', callerId: '0523334444', validType: 'CALL' });
    for (let tries = 4; tries >= 1; tries -= 1) await form('ValidationCallerId', { action: 'valid', reId: again.reqId, code: wrong });
    expect(await form('ValidationCallerId', { action: 'valid', reId: again.reqId, code: wrong })).toMatchObject({ message: 'code is incorrect; no tries left: send a new code' });
    expect(sandbox.account.callerIdValidations).toEqual([]);
  });

  it('checks its params and refuses when the balance cannot pay', async () => {
    expect(await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'VOICE' })).toMatchObject({ message: 'validType must be one of SMS, CALL' });
    expect(await form('ValidationCallerId', { action: 'send', callerId: '+972509999999', validType: 'SMS' })).toMatchObject({ message: expect.stringMatching(/^callerId \+972509999999 is invalid/) });
    expect(await form('ValidationCallerId', { action: 'valid', code: '1' })).toMatchObject({ message: 'reId is required' });
    sandbox.account.units = 0;
    expect(await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'CALL' })).toMatchObject({ message: 'Low unit balance' });
    expect(sandbox.account.callerIdValidations).toEqual([]);
  });

  it('puts the code in the answer only when the sandbox is started with codesInAnswers', async () => {
    const open = await startSandbox({ codesInAnswers: true, log: () => undefined });
    try {
      const sent = await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'SMS' }, open);
      expect(sent).toMatchObject({ reqId: expect.any(Number), sandboxCode: open.account.callerIdValidations[0].code, sandboxNote: expect.stringContaining('Sandbox only') });
    } finally {
      await open.close();
    }
    expect(await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'SMS' })).not.toHaveProperty('sandboxCode');
  });
});

describe('music on hold (undocumented)', () => {
  it('creates a class for a folder, finds it by path, and deletes it', async () => {
    expect(await form('CreateMusicOnHolds', { name: 'waiting', folderPath: 'ivr2:/1/10' })).toMatchObject({ responseStatus: 'OK', status: true });
    expect((await form('GetMusicOnHoldByPath', { path: '/1/10' })).data).toEqual([{ name: 'waiting', folderPath: 'ivr2:/1/10' }]);
    expect((await form('GetMusicOnHoldByPath', { path: 'ivr2:/5/music' })).data).toEqual([{ name: 'hold1', folderPath: 'ivr2:/5/music' }]);
    expect(await form('DeleteMusicOnHolds', { name: 'waiting' })).toMatchObject({ status: true });
    expect((await form('GetMusicOnHoldByPath', { path: '/1/10' })).data).toEqual([]);
  });

  it('names the field in its refusals', async () => {
    expect(await form('CreateMusicOnHolds', { name: 'hold1', folderPath: '/2' })).toMatchObject({ message: 'name hold1 already exists' });
    expect(await form('CreateMusicOnHolds', { name: 'x', folderPath: '/9' })).toMatchObject({ message: 'folderPath: folder not found: /9' });
    expect(await form('CreateMusicOnHolds', { name: 'a b', folderPath: '/2' })).toMatchObject({ message: 'name must be 1-40 letters, digits, _ or -' });
    expect(await form('DeleteMusicOnHolds', { name: 'nope' })).toMatchObject({ message: 'name nope not found' });
  });
});

describe('the unit ledger', () => {
  it('numbers every spend and keeps the documented GetTransactions fields', async () => {
    await form('RunTzintuk', { phones: '0501234567' });
    await form('SendTTS', { phones: '0501234567', ttsMessage: 'x' });
    await form('SendFax', { phone: '035551234', pdfFile: 'https://example.com/a.pdf' });
    const lines = sandbox.account.transactions;
    expect(lines.map((line) => line.id)).toEqual([1, 2, 3, 4]);
    expect(lines.map((line) => line.description)).toEqual(['רכישת יחידות', 'Start-RunTzintuk', 'Start-SendTTS', 'Start-SendFax']);
    expect(lines.at(-1)).toEqual({ id: 4, transactionTime: expect.any(String), amount: -1, description: 'Start-SendFax', who: '127.0.0.1', newBalance: 497.9, expireDate: sandbox.account.transactions[0].expireDate, campaignId: expect.stringMatching(/^YA-/) });
  });
});

describe('GetTransactions', () => {
  it('reads the ledger newest first, with from, limit and filter=campaigns', async () => {
    await form('RunTzintuk', { phones: '0501234567' });
    await form('ValidationCallerId', { action: 'send', callerId: '0509999999', validType: 'CALL' });
    const all = await form('GetTransactions');
    expect(all.totalCount).toBe(3);
    expect(all.transactions.map((row: Answer) => row.id)).toEqual([3, 2, 1]);
    expect((await form('GetTransactions', { from: 1, limit: 1 })).transactions.map((row: Answer) => row.id)).toEqual([2]);
    const campaigns = await form('GetTransactions', { filter: 'campaigns' });
    expect(campaigns).toMatchObject({ totalCount: 1, transactions: [{ id: 2, description: 'Start-RunTzintuk' }] });
    expect(await form('GetTransactions', { filter: 'all' })).toMatchObject({ message: 'filter must be one of campaigns' });
  });
});
