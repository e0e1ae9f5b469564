import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';

/** The simulator's side of issue 14: templates, phone lists, campaigns over simulated time, scheduling, tasks. */

type Answer = Record<string, any>;

/** Sunday 1 June 2025, 12:00 local time: the sandbox's clock before any advance. */
const START = new Date(2025, 5, 1, 12, 0, 0).getTime();
const SECOND = 1000;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined, now: () => START });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function form(command: string, params: Record<string, string | number> = {}): Promise<Answer> {
  const body = new URLSearchParams(Object.entries({ token: sandbox.token, ...params }).map(([key, value]) => [key, String(value)]));
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return response.json();
}

async function json(command: string, params: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: sandbox.token, ...params }) });
  return response.json();
}

const ok = (answer: Answer) => expect(answer).toMatchObject({ responseStatus: 'OK' });
const status = async (campaignId: string, extra: Record<string, string> = {}) => (await form('GetCampaignStatus', { campaignId, ...extra })).campaign;

/** A new template with the demo's 6-second message copied in as tpl:ID. */
async function readyTemplate(): Promise<number> {
  const { templateId } = await form('CreateTemplate', { description: 'flow' });
  ok(await form('FileAction', { action: 'copy', what: 'ivr2:/M1000.wav', target: `tpl:${templateId}` }));
  return templateId;
}

describe('templates', () => {
  it('lists the demo templates with the documented fields, the default marked', async () => {
    const { templates } = await form('GetTemplates');
    expect(templates).toHaveLength(2);
    expect(templates[0]).toMatchObject({ templateId: 1, description: 'parents', callerId: '0770000000', entriesCount: 3, blockedEntriesCount: 0, customerDefault: true, messageExists: true, messageDuration: 4, unitsPerMessage: 1, moreinfoExists: false, incomingPolicy: 'OPEN', redialPolicy: 'NONE', yemotContext: 'MESSAGE', removeRequest: 'SILENT' });
    expect(Object.keys(templates[0]).sort()).toEqual(
      ['blockedEntriesCount', 'bridgeTo', 'callerId', 'customerDefault', 'description', 'entriesCount', 'filterEnabled', 'incomingPolicy', 'maxActiveChannels', 'maxBridgedChannels', 'maxDialAttempts', 'messageDuration', 'messageExists', 'moreinfoDuration', 'moreinfoExists', 'originateTimeout', 'playPrivateMsg', 'redialPolicy', 'redialWait', 'removeRequest', 'templateId', 'unitsPerMessage', 'vmDetect', 'yemotContext'].sort(),
    );
    expect(templates[1]).toMatchObject({ templateId: 2, customerDefault: false, messageExists: false });
  });

  it('creates a template with the default template settings, updates it and deletes it', async () => {
    ok(await form('UpdateTemplate', { templateId: 1, maxActiveChannels: 4, vmDetect: 1 }));
    const { templateId } = await form('CreateTemplate', { description: 'new one' });
    expect(templateId).toBe(3);
    const updated = await form('UpdateTemplate', { templateId, callerId: '0523334444', redialPolicy: 'FAILED', description: 'renamed' });
    expect(updated.templates).toEqual([expect.objectContaining({ templateId: 3, description: 'renamed', callerId: '0523334444', redialPolicy: 'FAILED', maxActiveChannels: 4, vmDetect: true, customerDefault: false, entriesCount: 0 })]);
    expect(await form('UpdateTemplate', { templateId, yemotContext: 'BRIDGE' })).toMatchObject({ responseStatus: 'ERROR', message: 'bridgeTo is required when yemotContext is BRIDGE' });
    expect(await form('UpdateTemplate', { templateId, redialPolicy: 'failed' })).toMatchObject({ message: 'redialPolicy must be one of NONE, CONGESTIONS, FAILED' });
    expect(await form('UpdateTemplate', { templateId, callerId: '0509999999' })).toMatchObject({ message: 'callerId 0509999999 is not approved in this system' });
    ok(await form('DeleteTemplate', { templateId }));
    expect((await form('GetTemplates')).templates.map((template: Answer) => template.templateId)).toEqual([1, 2]);
    expect(await form('DeleteTemplate', { templateId: 1 })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('default template') });
    expect(await form('GetTemplateEntries', { templateId: 99 })).toMatchObject({ responseStatus: 'ERROR', message: 'templateId 99 does not exist' });
  });

  it('adds, rewrites, blocks and deletes entries by row id', async () => {
    expect(await form('GetTemplateEntries', { templateId: 1 })).toMatchObject({ templateId: 1, entries: [{ rowid: 1, index: 1, phone: '0501111111', blocked: false, name: null, moreinfo: null }, { rowid: 2 }, { rowid: 3 }] });
    expect(await form('UpdateTemplateEntry', { templateId: 1, phone: '0504444444', name: 'דוד', moreinfo: 'כיתה א' })).toMatchObject({ rowid: 4 });
    // Documented caution: without rowid an existing phone's row is rewritten and its name and moreinfo erased.
    expect(await form('UpdateTemplateEntry', { templateId: 1, phone: '0504444444', blocked: 1 })).toMatchObject({ rowid: 4 });
    let { entries } = await form('GetTemplateEntries', { templateId: 1 });
    expect(entries[3]).toEqual({ rowid: 4, index: 4, phone: '0504444444', blocked: true, name: null, moreinfo: null });
    ok(await form('UpdateTemplateEntry', { templateId: 1, rowid: 1, name: 'אבא' }));
    ok(await form('UpdateTemplateEntries', { templateId: 1, rowids: '1-2', action: 'block' }));
    ok(await form('UpdateTemplateEntries', { templateId: 1, rowids: '4', action: 'unblock' }));
    ok(await form('UpdateTemplateEntries', { templateId: 1, rowids: '3', action: 'delete' }));
    ({ entries } = await form('GetTemplateEntries', { templateId: 1 }));
    expect(entries.map((entry: Answer) => [entry.rowid, entry.index, entry.blocked, entry.name])).toEqual([[1, 1, true, 'אבא'], [2, 2, true, null], [4, 3, false, null]]);
    expect(await form('UpdateTemplateEntries', { templateId: 1, rowids: '1,2', action: 'block' })).toMatchObject({ message: 'rowids must be row ids joined with -, like 1-2-3; got 1,2' });
    expect(await form('UpdateTemplateEntries', { templateId: 1, rowids: '1-9', action: 'block' })).toMatchObject({ message: 'rowids: no row 9 in this template' });
    expect(await form('UpdateTemplateEntry', { templateId: 1, phone: '123' })).toMatchObject({ message: expect.stringMatching(/^phone 123 is invalid/) });
    ok(await form('ClearTemplateEntries', { templateId: 1 }));
    expect((await form('GetTemplateEntries', { templateId: 1 })).entries).toEqual([]);
  });
});

describe('UploadPhoneList', () => {
  it('imports rows, rejecting duplicates and invalid numbers with their row numbers', async () => {
    const data = ['0501111111,משה,כיתה,ב', '0527654321,שרה', '0527654321,שרה שוב', 'not-a-phone,x', '', '5551234,קווי'].join('\n');
    const answer = await form('UploadPhoneList', { templateId: 1, data, defaultPrefix: '02' });
    expect(answer).toMatchObject({ responseStatus: 'OK', message: 'ok', templateId: 1, totalParsed: 5, totalInserted: 2, totalUpdated: 1, totalRemoved: 0 });
    expect(answer.rejectedRecords).toEqual([
      { phone: '0527654321', name: 'שרה שוב', moreinfo: '', blocked: false, errorState: 'DUPLICATE', originalRowNumber: 3 },
      { phone: 'not-a-phone', name: 'x', moreinfo: '', blocked: false, errorState: 'INVALID', originalRowNumber: 4 },
    ]);
    const { entries } = await form('GetTemplateEntries', { templateId: 1 });
    expect(entries.map((entry: Answer) => [entry.phone, entry.name, entry.moreinfo])).toEqual([
      ['0501111111', 'משה', 'כיתה ב'],
      ['0502222222', null, null],
      ['0503333333', null, null],
      ['0527654321', 'שרה', null],
      ['025551234', 'קווי', null],
    ]);
  });

  it('reads TAB, nameColumns and blocked, replaces with NEW and removes with REMOVE', async () => {
    const fresh = await form('UploadPhoneList', { templateId: 2, data: '0531112222\tלוי\tיצחק\tהערה', delimiter: 'TAB', nameColumns: 2, updateType: 'NEW', blocked: 1 });
    expect(fresh).toMatchObject({ totalInserted: 1, totalRemoved: 3, rejectedRecords: [] });
    expect((await form('GetTemplateEntries', { templateId: 2 })).entries).toEqual([{ rowid: 4, index: 1, phone: '0531112222', blocked: true, name: 'לוי יצחק', moreinfo: 'הערה' }]);
    expect(await form('UploadPhoneList', { templateId: 2, data: '+972531112222', updateType: 'REMOVE' })).toMatchObject({ totalRemoved: 1, totalInserted: 0 });
    expect(await form('UploadPhoneList', { templateId: 2, data: '0531112222', updateType: 'update' })).toMatchObject({ message: 'updateType must be one of UPDATE, NEW, REMOVE' });
  });

  it('answers bad_format for text that is no list', async () => {
    expect(await form('UploadPhoneList', { templateId: 1, data: '\n \n' })).toMatchObject({ responseStatus: 'ERROR', message: 'bad_format' });
    expect(await form('UploadPhoneList', { templateId: 1, data: '0501111111\u0000\u0001' })).toMatchObject({ message: 'bad_format' });
    expect((await form('GetTemplateEntries', { templateId: 1 })).entries).toHaveLength(3);
  });
});

describe('RunCampaign and its progress over simulated time', () => {
  it('runs the flow: template, list, run, watch to FINISHED, report and ledger', async () => {
    const templateId = await readyTemplate();
    const upload = await form('UploadPhoneList', { templateId, data: '0501234561,א\n0501234562,ב\n0501234561,א\n0501234560,אין מענה' });
    expect(upload.rejectedRecords).toEqual([expect.objectContaining({ errorState: 'DUPLICATE', originalRowNumber: 3 })]);
    const run = await form('RunCampaign', { templateId, callerId: '0523334444' });
    expect(run).toEqual({
      responseStatus: 'OK',
      yAfastVersion: expect.any(String),
      templateId,
      campaignId: `0770000000-${templateId}-2025-06-01-12-00-00-000-API`,
      entriesCount: 3,
      pending: 3,
      blocked: 0,
      estimatedPrice: 3,
      customerUnits: 500,
      smsCount: 0,
      smsPrice: 0,
    });
    expect(await status(run.campaignId)).toMatchObject({ campaignStatus: 'RUNNING', activeEntries: 3, pendingEntries: 0, callerId: '0523334444', templateId });
    expect((await form('GetActiveCampaigns')).campaigns.map((campaign: Answer) => campaign.campaignId)).toEqual([run.campaignId]);

    sandbox.advance(3 * SECOND);
    const up = await status(run.campaignId, { entries: 'up' });
    expect(up.entries.map((entry: Answer) => entry.phone)).toEqual(['0501234561', '0501234562']);
    expect(up).toMatchObject({ activeEntries: 3, doneEntries: 0, currentPrice: 0 });

    sandbox.advance(6 * SECOND);
    expect(await status(run.campaignId)).toMatchObject({ campaignStatus: 'RUNNING', doneEntries: 2, activeEntries: 1, currentPrice: 2 });
    expect(sandbox.account.units).toBe(498);
    sandbox.advance(30 * SECOND);
    const finished = await status(run.campaignId, { entries: 'all' });
    expect(finished).toMatchObject({ campaignStatus: 'FINISHED', doneEntries: 2, failedEntries: 1, totalDialed: 3, totalSuccessful: 2, runTime: 30, currentPrice: 2, paused: false });
    expect(finished.entries.map((entry: Answer) => [entry.phone, entry.entryStatus, entry.duration])).toEqual([['0501234561', 'done', 6], ['0501234562', 'done', 6], ['0501234560', 'no_answer', 0]]);
    expect(finished.entries[0]).toEqual({ phone: '0501234561', name: 'א', moreinfo: '', entryStatus: 'done', duration: 6, bridgedDuration: 0, bridged: false, startTime: '2025-06-01 12:00:00', currentPrice: 1, redials: [] });
    expect((await form('GetActiveCampaigns')).campaigns).toEqual([]);

    const report = await fetch(`${sandbox.url}DownloadCampaignReport?token=${sandbox.token}&campaignId=${run.campaignId}`);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await report.text()).split('\r\n')).toEqual(['phone,name,moreinfo,entryStatus,startTime,duration,currentPrice', '0501234561,א,,done,2025-06-01 12:00:00,6,1', '0501234562,ב,,done,2025-06-01 12:00:00,6,1', '0501234560,אין מענה,,no_answer,2025-06-01 12:00:00,0,0', '']);
    expect(sandbox.account.transactions.filter((line) => line.campaignId === run.campaignId)).toEqual([
      { id: 2, transactionTime: '2025-06-01 12:00:09', amount: -2, description: 'Start-RunCampaign', who: '127.0.0.1', newBalance: 498, expireDate: '2026-06-01', campaignId: run.campaignId },
    ]);
  });

  it('limits calls to maxActiveChannels and lets CampaignAction pause, resize, add, block, hang up and stop', async () => {
    ok(await form('UpdateTemplate', { templateId: 1, maxActiveChannels: 1 }));
    const { campaignId } = await form('RunCampaign', {});
    expect(await status(campaignId)).toMatchObject({ activeEntries: 1, pendingEntries: 2, maxActiveChannels: 1 });
    const paused = await form('CampaignAction', { campaignId, action: 'setPaused', value: 1 });
    expect(paused).toMatchObject({ action: 'SET_PAUSED', value: 1, data: [], campaign: { campaignStatus: 'PAUSED', paused: true } });
    sandbox.advance(60 * SECOND);
    expect(await status(campaignId)).toMatchObject({ campaignStatus: 'PAUSED', doneEntries: 1, activeEntries: 0, pendingEntries: 2 });
    const added = await json('CampaignAction', { campaignId, action: 'add', value: { '0541111111': { name: 'new' }, '0542222222': { blocked: true }, x123: {} } });
    expect(added).toMatchObject({ action: 'ADD', data: [{ phone: '0541111111', action: 'add' }, { phone: '0542222222', action: 'addblocked' }, { phone: 'x123', action: 'failed' }] });
    expect((await form('CampaignAction', { campaignId, action: 'block', value: '0541111111:0543333333' })).data).toEqual([{ phone: '0541111111', action: 'block' }, { phone: '0543333333', action: 'addblocked' }]);
    expect(await form('CampaignAction', { campaignId, action: 'setPaused', value: 0 })).toMatchObject({ campaign: { campaignStatus: 'RUNNING', activeEntries: 1 } });
    expect(await form('CampaignAction', { campaignId, action: 'setMaxActiveChannels', value: 5 })).toMatchObject({ action: 'SET_MAX_ACTIVE_CHANNELS', value: 5, campaign: { activeEntries: 2, pendingEntries: 0, maxActiveChannels: 5 } });
    expect(await form('CampaignAction', { campaignId, action: 'setMaxBridgedChannels', value: 2 })).toMatchObject({ action: 'SET_MAX_BRIDGED_CHANNELS', campaign: { maxBridgedChannels: 2 } });
    sandbox.advance(3 * SECOND);
    const hung = await form('CampaignAction', { campaignId, action: 'hangup', value: '0502222222:0501111111' });
    expect(hung).toMatchObject({ action: 'HANGUP', data: [{ phone: '0502222222', action: 'hangup' }, { phone: '0501111111', action: 'failed' }] });
    expect(await form('CampaignAction', { campaignId, action: 'stop' })).toMatchObject({ action: 'STOP', campaign: { campaignStatus: 'STOPPING' } });
    sandbox.advance(10 * SECOND);
    expect(await status(campaignId)).toMatchObject({ campaignStatus: 'STOPPED', doneEntries: 3, blockedEntries: 3 });
    expect(await form('CampaignAction', { campaignId, action: 'stop' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('is STOPPED') });
    expect(await form('CampaignAction', { campaignId, action: 'jump' })).toMatchObject({ message: expect.stringMatching(/^action must be one of add, block, hangup, stop, setPaused/) });
  });

  it('takes phones as a JSON object and sends SMS to regular mobiles with withSMS', async () => {
    ok(await form('UploadTextFile', { what: 'tpl:1:tts', contents: 'hello parents' }));
    const phones = { '0501234567': { name: 'a', text: 'hi' }, '0527612345': { name: 'kosher' }, '035551234': {}, '0509999991': { blocked: true } };
    const run = await json('RunCampaign', { templateId: 1, phones, withSMS: 1, ttsMode: 1 });
    expect(run).toMatchObject({ entriesCount: 4, pending: 2, blocked: 1, smsCount: 1, smsPrice: 1, estimatedPrice: 2 });
    expect(sandbox.account.outgoingSms.at(-1)).toMatchObject({ To: '0501234567', Message: 'hello parents', RunBy: 'Campaign' });
    expect(sandbox.account.smsBalance).toBe(1351);
    const listed = await status(run.campaignId, { entries: 'pending', range: '1:1' });
    expect(listed.entries).toEqual([]);
    expect((await status(run.campaignId, { entries: 'ringing', range: '2:2' })).entries.map((entry: Answer) => entry.phone)).toEqual(['035551234']);
    expect(await form('GetCampaignStatus', { campaignId: run.campaignId, entries: 'DONE' })).toMatchObject({ message: expect.stringMatching(/^entries must be one of all, pending/) });
    expect(await form('GetCampaignStatus', { campaignId: run.campaignId, entries: 'all', range: '5-9' })).toMatchObject({ message: 'range must be min:max, like 1:100 (: for all); got 5-9' });
  });

  it('refuses with the documented message codes, spending nothing', async () => {
    const before = { units: sandbox.account.units, lines: sandbox.account.transactions.length };
    expect(await form('RunCampaign', { templateId: 77 })).toMatchObject({ responseStatus: 'ERROR', messageCode: 100 });
    expect(await form('RunCampaign', { templateId: 2 })).toMatchObject({ messageCode: 101, message: 'template 2 is not set up: no message (upload it to tpl:2)' });
    ok(await form('ClearTemplateEntries', { templateId: 1 }));
    expect(await form('RunCampaign', { templateId: 1 })).toMatchObject({ messageCode: 101, message: 'template 1 is not set up: its phone list is empty' });
    expect(await form('RunCampaign', { templateId: 1, phones: '123:456' })).toMatchObject({ messageCode: 102 });
    expect(await form('RunCampaign', { templateId: 1, phones: '0501234567', callerId: '0509999999' })).toMatchObject({ messageCode: 120 });
    sandbox.account.units = 1.5;
    expect(await form('RunCampaign', { templateId: 1, phones: '0501234567:0501234568' })).toMatchObject({ messageCode: 103, message: 'not enough units: the campaign needs about 2, the balance is 1.5' });
    sandbox.account.units = before.units;
    sandbox.account.kodesh = true;
    expect(await form('RunCampaign', { templateId: 1, phones: '0501234567' })).toEqual({ responseStatus: 'ERROR', yAfastVersion: expect.any(String), message: 'isKodesh is true', messageCode: 104 });
    expect(sandbox.account.units).toBe(before.units);
    expect(sandbox.account.transactions).toHaveLength(before.lines);
    expect(sandbox.account.templateCampaigns).toHaveLength(1);
  });

  it('keeps the seeded finished campaign readable', async () => {
    const [seeded] = sandbox.account.templateCampaigns;
    expect(await status(seeded.campaignId)).toMatchObject({ campaignStatus: 'FINISHED', templateId: 1, doneEntries: 3, totalEntries: 3, runTime: 7, currentPrice: 3 });
  });
});

describe('ViewCampaignReports', () => {
  it('reads a YA- campaign by CampaignId without its prefix, json=1', async () => {
    const { CampaignId } = await form('SendTTS', { phones: '0501234567:0527654321', ttsMessage: 'x' });
    const id = CampaignId.slice(3);
    expect(await form('ViewCampaignReports', { CampaignId: id, json: 1 })).toMatchObject({
      CampaignData: { CampaignId: id, type: 'SendTTS', numbers: 2, billing: 2 },
      report: { '0501234567': { phone: '0501234567', billing: 1 }, '0527654321': { phone: '0527654321' } },
    });
    expect(await form('ViewCampaignReports', { campaignId: id, json: 1 })).toMatchObject({ message: 'CampaignId is required, with a capital C (campaignId is not read here)' });
    expect(await form('ViewCampaignReports', { CampaignId, json: 1 })).toMatchObject({ message: `CampaignId is the campaign id without its YA- prefix: ${id}` });
  });
});

describe('ScheduleCampaign', () => {
  it('accepts the six documented time formats and refuses others naming them', async () => {
    const accepted: Array<[string, string]> = [
      ['2025-06-02-08:30:15', '2025-06-02 08:30:15'],
      ['2025-06-02-08:30', '2025-06-02 08:30:00'],
      ['2025-06-02 08:30:15', '2025-06-02 08:30:15'],
      ['2025-06-03', '2025-06-03 00:00:00'],
      ['13:15:30', '2025-06-01 13:15:30'],
      ['09:00', '2025-06-02 09:00:00'],
    ];
    for (const [time, schedTime] of accepted) expect(await form('ScheduleCampaign', { templateId: 1, time })).toMatchObject({ responseStatus: 'OK', schedTime });
    for (const time of ['2025-06-02 08:30', '02/06/2025', '2025-06-02T08:30:00', 'tomorrow']) {
      expect(await form('ScheduleCampaign', { templateId: 1, time })).toMatchObject({ responseStatus: 'ERROR', message: `time ${time} is not in an accepted format: yyyy-MM-dd-HH:mm:ss, yyyy-MM-dd-HH:mm, yyyy-MM-dd HH:mm:ss, yyyy-MM-dd, HH:mm:ss, HH:mm (Gregorian dates, local time)` });
    }
    expect(await form('ScheduleCampaign', { templateId: 1, time: '2025-02-30' })).toMatchObject({ message: 'time 2025-02-30 is not a real date and time' });
    expect(await form('ScheduleCampaign', { templateId: 1, time: '2025-05-31' })).toMatchObject({ message: 'time 2025-05-31 has already passed' });
    expect(sandbox.account.scheduledCampaigns).toHaveLength(6);
  });

  it('fires when the clock passes its time, lists and deletes runs', async () => {
    const scheduled = await form('ScheduleCampaign', { templateId: 1, time: '12:05' });
    expect(scheduled).toEqual({ responseStatus: 'OK', yAfastVersion: expect.any(String), customerUnits: 500, templateId: 1, schedTime: '2025-06-01 12:05:00', schedId: 1, entriesCount: 3, pending: 3, blocked: 0, estimatedPrice: 3 });
    const other = await form('ScheduleCampaign', { templateId: 1, time: '2025-06-01-12:10' });
    sandbox.advance(5 * 60 * SECOND);
    const [fired] = (await form('GetScheduledCampaigns', { type: 'SUCCESSFUL' })).scheduledCampaigns;
    expect(fired).toEqual({ schedId: 1, templateDescription: 'parents', error: false, startTime: '2025-06-01 12:05:00', ip: '127.0.0.1', createTime: '2025-06-01 12:00:00', campaignId: '0770000000-1-2025-06-01-12-05-00-000-API', templateId: 1, errorMsg: null, pending: 3 });
    expect(await status(fired.campaignId)).toMatchObject({ campaignStatus: 'RUNNING', who: 'schedule' });
    expect(await form('GetScheduledCampaigns', { type: 'PENDING' })).toMatchObject({ totalCount: 1, scheduledCampaigns: [{ schedId: other.schedId }] });
    expect((await form('GetScheduledCampaigns', { order: 'desc', from: 0, limit: 1 })).scheduledCampaigns.map((row: Answer) => row.schedId)).toEqual([2]);
    ok(await form('DeleteScheduledCampaign', { schedId: other.schedId }));
    expect(await form('DeleteScheduledCampaign', { schedId: 1 })).toMatchObject({ message: 'schedId 1 already ran (SUCCESSFUL); only a waiting run can be deleted' });
    sandbox.advance(10 * 60 * SECOND);
    expect((await form('GetScheduledCampaigns')).totalCount).toBe(1);
  });

  it('marks a run FAILED with the reason when it cannot start at its time', async () => {
    await form('ScheduleCampaign', { templateId: 1, time: '12:01' });
    sandbox.account.kodesh = true;
    sandbox.advance(60 * SECOND);
    expect((await form('GetScheduledCampaigns', { type: 'FAILED' })).scheduledCampaigns).toEqual([expect.objectContaining({ schedId: 1, error: true, errorMsg: 'isKodesh is true', campaignId: null })]);
  });
});

describe('tasks', () => {
  const smsTask = (extra: Record<string, string | number> = {}) => form('CreateTask', { taskType: 'SendSMS', description: 'daily', callerId: '0770000000', smsList: '0501234567:0527654321', smsMessage: 'hi', hour: 12, minute: 30, ...extra });

  it('creates each task type with its fields and answers jobId and ActionData', async () => {
    const created = await smsTask({ days: JSON.stringify({ 0: 1, 1: 0, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0 }), checkIsKodesh: 1, mailInError: 1 });
    expect(created).toMatchObject({
      jobId: 1,
      ActionData: { minute: 30, hour: 12, year: '*', day: '*', month: '*', days_of_week: '0,2', description: 'daily', active: 1, sendMailInEnd: 0, sendMailInError: 1, checkIsKodesh: 1 },
    });
    expect(JSON.parse(created.ActionData.action_data)).toEqual({ callerId: '0770000000', smsList: '0501234567:0527654321', smsMessage: 'hi' });
    ok(await form('CreateTask', { taskType: 'RunTzintuk', callerId: '0770000000', toList: 'parents', typeList: 'tzl' }));
    ok(await form('CreateTask', { taskType: 'MoveOnFile', folder: 'ivr2:/2', target: 'ivr2:/1/10', moveFileType: 'maxFile' }));
    expect(await form('CreateTask', { taskType: 'MoveOnFile', folder: 'ivr2:/2', target: 'ivr2:/9', moveFileType: 'maxFile' })).toMatchObject({ message: 'target ivr2:/9 not found' });
    expect(await form('CreateTask', { taskType: 'RunTzintuk', callerId: '0770000000', toList: 'parents', typeList: 'list' })).toMatchObject({ message: 'typeList must be one of tzl, tpl' });
    expect(await smsTask({ days: '{"7":1}' })).toMatchObject({ message: expect.stringMatching(/^days must be a JSON-encoded object of weekday flags/) });
    expect(await smsTask({ hour: 24 })).toMatchObject({ message: 'hour must be between 0 and 23' });
    expect(await form('CreateTask', { taskType: 'SendSms' })).toMatchObject({ message: 'taskType must be one of SendSMS, RunTzintuk, MoveOnFile' });
    expect((await form('GetTasks')).tasks).toEqual([
      { id: 1, description: 'daily', type: 'SendSMS', createTs: '2025-06-01 12:00:00', status: 'NEW', active: 1, sendMailInEnd: 0, sendMailInError: 1, nextRun: '2025-06-01 12:30:00' },
      expect.objectContaining({ id: 2, type: 'RunTzintuk', nextRun: '2025-06-01 12:01:00' }),
      expect.objectContaining({ id: 3, type: 'MoveOnFile' }),
    ]);
    expect((await form('GetTasks', { limit: 1 })).tasks).toHaveLength(1);
  });

  it('refuses the eleventh active task, and activating one past ten', async () => {
    for (let i = 0; i < 10; i += 1) ok(await smsTask());
    const before = sandbox.account.tasks.length;
    expect(await smsTask()).toMatchObject({ responseStatus: 'ERROR', message: 'at most 10 active tasks per customer: 10 are active; deactivate or delete one first' });
    expect(sandbox.account.tasks).toHaveLength(before);
    const { jobId } = await smsTask({ active: 0 });
    expect(await form('UpdateTask', { TaskId: jobId, active: 1 })).toMatchObject({ message: expect.stringMatching(/^at most 10 active tasks/) });
    ok(await form('DeleteTask', { TaskId: 1 }));
    ok(await form('UpdateTask', { TaskId: jobId, active: 1 }));
  });

  it('runs when the clock passes its schedule and logs each run', async () => {
    const { jobId } = await smsTask();
    const sms = sandbox.account.smsBalance;
    sandbox.advance(30 * 60 * SECOND);
    expect(sandbox.account.smsBalance).toBe(sms - 2);
    expect(sandbox.account.outgoingSms.at(-1)).toMatchObject({ To: '0527654321', Message: 'hi', RunBy: 'Task', Time: '2025-06-01 12:30:00' });
    sandbox.account.kodesh = true;
    ok(await form('UpdateTask', { TaskId: jobId, checkIsKodesh: 1 }));
    sandbox.advance(24 * 60 * 60 * SECOND);
    expect(await form('GetTasksLogs', { TaskId: jobId })).toMatchObject({
      logs: [
        { id: 2, succeeded: false, error_message: 'not run: Shabbat or holiday (checkIsKodesh)', ts: '2025-06-02 12:30:00' },
        { id: 1, succeeded: true, error_message: null, ts: '2025-06-01 12:30:00' },
      ],
    });
    const data = await form('GetTasksData', { TaskId: jobId });
    expect(data).toMatchObject({ id: jobId, status: 'ERROR', createBy: 'API', lastRun: '2025-06-02 12:30:00', nextRun: '2025-06-03 12:30:00', minute: 30, hour: 12, days_of_week: '0,1,2,3,4,5,6', check_is_kodesh: 1 });
    expect(JSON.parse(data.action_data)).toMatchObject({ smsMessage: 'hi' });
    expect(await form('GetTasksData', { taskId: jobId })).toMatchObject({ message: 'TaskId is required (capital T and I)' });
  });

  it('moves the newest file on a MoveOnFile run', async () => {
    ok(await form('CreateTask', { taskType: 'MoveOnFile', folder: 'ivr2:/2', target: 'ivr2:/1/10', moveFileType: 'maxFile', minute: 1 }));
    sandbox.advance(60 * SECOND);
    expect(Object.keys(sandbox.account.ivr.dirs['2'].files).sort()).toEqual(['000.wav', '001.wav', 'ext.ini']);
    expect(Object.keys(sandbox.account.ivr.dirs['1'].dirs['10'].files)).toContain('003.wav');
  });
});
