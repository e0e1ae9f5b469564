import { CallToolResultSchema, type ElicitRequest, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { toneWav } from '../src/sandbox/wav.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 14 through a real MCP client against the simulator: the exact wire names, a campaign from an empty template
 * to its report and ledger line, RunCampaign's documented refusals, the task limit, ScheduleCampaign's time formats,
 * and the cost shown before a spend. The simulator's clock is frozen at T0 and moved only by the test
 * (sandbox.advance), so a campaign progresses exactly as far as the test says.
 */

const T0 = Date.UTC(2025, 5, 2, 7, 0, 0);
/** ScheduleCampaign's documented `time` formats (API-CATALOG §5). */
const DOCUMENTED_FORMATS = ['yyyy-MM-dd-HH:mm:ss', 'yyyy-MM-dd-HH:mm', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd', 'HH:mm:ss', 'HH:mm'];

let sandbox: Sandbox;
let harness: Harness;
beforeAll(async () => {
  sandbox = await startSandbox({ now: () => T0, log: () => undefined });
});
afterAll(() => sandbox.close());
// A harness per test: the duplicate-spend guard and the session start clean, and so does the account.
beforeEach(async () => {
  sandbox.reset();
  harness = await startHarness({ use: sandbox });
});
afterEach(() => harness.close());

/** The requests a call sent, the two-factor isPass probes aside. */
const sentSince = (from: number) => harness.since(from).filter((request) => !(request.command === 'MFASession' && request.params.action === 'isPass'));

/** Runs `work` while every GetCampaignStatus request first moves the simulated clock on by a second. */
async function withClockPerStatus<T>(work: () => Promise<T>): Promise<T> {
  const requests = sandbox.requests;
  requests.push = (...recorded) => {
    if (recorded.some((request) => request.command === 'GetCampaignStatus')) sandbox.advance(1_000);
    return Array.prototype.push.apply(requests, recorded);
  };
  try {
    return await work();
  } finally {
    delete (requests as { push?: unknown }).push;
  }
}

async function ok(name: string, args: Record<string, unknown>) {
  const result = await harness.call(name, args);
  expect(result.isError, `${name}: ${result.text}`).toBe(false);
  return result.json;
}

describe('the request that reaches the API uses the documented names and values', () => {
  it('sends withSMS (not withSms) to RunCampaign', async () => {
    const before = sandbox.requests.length;
    await ok('run_campaign', { templateId: 1, phones: '0501234567:0527654321', withSMS: 1 });
    // Only reads go beside it (a token session reads its system number once, for the ledger of spends).
    const sent = sentSince(before).filter((request) => request.command !== 'GetSession');
    expect(sent.map((request) => request.command)).toEqual(['RunCampaign']);
    const [request] = sent;
    expect(request.params.withSMS).toBe('1');
    expect(request.params).not.toHaveProperty('withSms');
  });

  it('sends rowids joined with - to UpdateTemplateEntries', async () => {
    const before = sandbox.requests.length;
    await ok('update_template_entries', { action: 'block', templateId: 1, rowids: [1, 2, 3] });
    const sent = sentSince(before);
    expect(sent.map((request) => request.command)).toEqual(['UpdateTemplateEntries']);
    const [request] = sent;
    expect(request.params).toMatchObject({ rowids: '1-2-3', action: 'block', templateId: '1' });
    expect(sandbox.account.templates['1'].entries.map((entry) => entry.blocked)).toEqual([true, true, true]);
  });

  it('sends updateType UPDATE in capitals to UploadPhoneList, and no action field', async () => {
    const before = sandbox.requests.length;
    await ok('upload_phone_list', { updateType: 'UPDATE', templateId: 1, data: '0501234567,משה' });
    const sent = sentSince(before);
    expect(sent.map((request) => request.command)).toEqual(['UploadPhoneList']);
    const [request] = sent;
    expect(request.params.updateType).toBe('UPDATE');
    expect(request.params).not.toHaveProperty('action');
  });
});

describe('a campaign from a new template to its report', () => {
  it('creates, fills, runs and watches a campaign to FINISHED with progress, then the report and the ledger show it', async () => {
    const { templateId } = await ok('create_template', { description: 'flow' });
    expect(templateId).toEqual(expect.any(Number));

    // The message: UploadFile takes IVR paths, and FileAction takes the template's tpl:ID (API-CATALOG §4.4).
    await ok('upload_file', { path: '1/900.wav', base64: Buffer.from(toneWav(2)).toString('base64'), fileName: 'message.wav' });
    await ok('copy_move_files', { action: 'move', what: '1/900.wav', target: `tpl:${templateId}` });
    const templates = (await ok('read_templates', { command: 'GetTemplates' })).templates as Array<Record<string, unknown>>;
    expect(templates.find((template) => template.templateId === templateId)).toMatchObject({ messageExists: true, unitsPerMessage: 1 });

    // Row 3 repeats row 1: refused as DUPLICATE, and said in a warning. Numbers ending 8 are busy (the simulator's rule).
    const imported = await ok('upload_phone_list', { updateType: 'UPDATE', templateId, data: '0501234561,אבא\n0501234562,אמא\n0501234561,אבא\n0501234568,סבא' });
    expect(imported).toMatchObject({ totalParsed: 4, totalInserted: 3, rejectedRecords: [expect.objectContaining({ phone: '0501234561', errorState: 'DUPLICATE', originalRowNumber: 3 })] });
    expect(imported.warning).toMatch(/1 row\(s\) were refused/);

    // Without forms, the answer carries the API's own estimate and balance.
    const run = await ok('run_campaign', { templateId });
    expect(run).toMatchObject({ entriesCount: 3, pending: 3, estimatedPrice: 3, customerUnits: 500 });
    const campaignId = String(run.campaignId);

    // The API's time moves a second per status request (ring 3 s, then the 2-second message; busy after 1 s).
    const progress: Progress[] = [];
    const before = sandbox.requests.length;
    const watched = await withClockPerStatus(() =>
      harness.client.callTool({ name: 'get_campaign_status', arguments: { campaignId, waitSeconds: 30 } }, CallToolResultSchema, {
        onprogress: (update) => void progress.push(update),
      }),
    );
    expect(watched.isError, JSON.stringify(watched.content)).toBeFalsy();
    expect(watched.structuredContent).toMatchObject({ campaign: { campaignId, campaignStatus: 'FINISHED', totalEntries: 3, doneEntries: 2, failedEntries: 1, pendingEntries: 0, activeEntries: 0 } });
    // One GetCampaignStatus per simulated second, and the wait is this server's own: never sent.
    const polls = harness.since(before).filter((request) => request.command === 'GetCampaignStatus');
    expect(polls).toHaveLength(5);
    for (const poll of polls) expect(poll.params).not.toHaveProperty('waitSeconds');
    // MCP: each notification's progress increases; polls that saw nothing new finish send none (done/total).
    expect(progress).toEqual([
      expect.objectContaining({ progress: 1, total: 3 }),
      expect.objectContaining({ progress: 3, total: 3, message: expect.stringContaining('FINISHED') }),
    ]);

    const report = await ok('campaign_reports', { command: 'DownloadCampaignReport', campaignId });
    const rows = String(report.content).trim().split(/\r?\n/);
    expect(rows).toHaveLength(4);
    expect(rows.find((row) => row.startsWith('0501234561,'))).toContain(',done,');
    expect(rows.find((row) => row.startsWith('0501234568,'))).toContain(',busy,');

    const ledger = (await ok('get_transactions', { filter: 'campaigns' })).transactions as Array<Record<string, unknown>>;
    expect(ledger.filter((line) => line.campaignId === campaignId)).toEqual([expect.objectContaining({ description: expect.stringMatching(/^Start-/), amount: -2, newBalance: 498 })]);
  });
});

describe('a watch ends with its wait', () => {
  it('answers the campaign as it is when waitSeconds runs out, still RUNNING', async () => {
    const { campaignId } = await ok('run_campaign', { templateId: 1 });
    const started = Date.now();
    const watched = await ok('get_campaign_status', { campaignId, waitSeconds: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(watched).toMatchObject({ campaign: { campaignId, campaignStatus: 'RUNNING', totalEntries: 3 } });
  });
});

describe("RunCampaign's documented refusals are clear, keep the vendor's message, and are not retried", () => {
  async function refusedRun(messageCode: number) {
    const before = sandbox.requests.length;
    const result = await harness.call('run_campaign', { templateId: 1 });
    expect(result.isError).toBe(true);
    expect(result.json).toMatchObject({ command: 'RunCampaign', messageCode });
    expect(result.json).not.toHaveProperty('outcomeUnknown');
    expect(sentSince(before).filter((request) => request.command !== 'GetSession').map((request) => request.command)).toEqual(['RunCampaign']);
    expect(sandbox.account.templateCampaigns.filter((campaign) => campaign.campaignStatus !== 'FINISHED')).toEqual([]);
    return result.json;
  }

  it('104: the Shabbat or holiday block', async () => {
    sandbox.account.kodesh = true;
    const refusal = await refusedRun(104);
    expect(refusal.vendorMessage).toBe('isKodesh is true');
    expect(refusal.meaning).toMatch(/Shabbat or a holiday/);
    expect(sandbox.account.units).toBe(500);
  });

  it('103: too few units', async () => {
    sandbox.account.units = 2;
    const refusal = await refusedRun(103);
    expect(refusal.vendorMessage).toMatch(/not enough units/);
    expect(refusal.meaning).toMatch(/Not enough units/);
    expect(sandbox.account.units).toBe(2);
  });
});

describe('limits refused clearly', () => {
  const moveTask = { taskType: 'MoveOnFile', folder: '1/10', target: '2', moveFileType: 'maxFile', hour: 6, minute: 0 };

  it('refuses the eleventh active task before sending it (counted with GetTasks): nothing created', async () => {
    for (let made = 0; made < 10; made += 1) await ok('create_task', { ...moveTask, description: `move ${made}` });
    const before = sandbox.requests.length;
    const result = await harness.call('create_task', { ...moveTask, description: 'the eleventh' });
    expect(result.isError).toBe(true);
    expect(result.json).toMatchObject({ error: 'LIMIT_REACHED', command: 'CreateTask', activeTasks: 10, maxActiveTasks: 10 });
    expect(String(result.json.next)).toMatch(/Nothing was created/);
    expect(sentSince(before).map((request) => request.command)).not.toContain('CreateTask');
    expect(sandbox.account.tasks).toHaveLength(10);
    // An inactive task is not counted against the limit, and the simulator keeps its own check.
    expect((await harness.call('create_task', { ...moveTask, description: 'inactive', active: 0 })).isError).toBe(false);
  });

  it.each(['2030-01-01 09:00', '01/01/2030 09:00', '2030-01-01T09:00:00'])('refuses ScheduleCampaign time %s naming the accepted formats, sending nothing', async (time) => {
    const before = sandbox.requests.length;
    const result = await harness.call('schedule_campaign', { templateId: 1, time });
    expect(result.isError).toBe(true);
    expect(result.json.error).toBe('INVALID_INPUT');
    expect(String(result.json.message)).toContain('time');
    for (const format of DOCUMENTED_FORMATS) expect(String(result.json.message)).toContain(format);
    expect(harness.since(before)).toEqual([]);
  });
});

describe('the cost before a spend, with a client that has forms', () => {
  it("shows the estimate (entries × the template's unitsPerMessage) and the balance in RunCampaign's confirmation; declined, nothing runs", async () => {
    const asked: ElicitRequest['params'][] = [];
    const asking = await startHarness({
      use: sandbox,
      capabilities: { elicitation: { form: {} } },
      onElicit: (request) => {
        asked.push(request);
        return { action: 'decline' };
      },
    });
    try {
      const before = sandbox.requests.length;
      const result = await asking.call('run_campaign', { templateId: 1 });
      expect(result.json).toMatchObject({ error: 'DECLINED' });
      expect(asked).toHaveLength(1);
      // The demo's template 1: three phones, a 4-second message at 1 unit a call.
      expect(asked[0].message).toContain('1 unit per call × 3 = 3 units');
      // And the balance, from GetSession (the demo account holds 500 units).
      expect(asked[0].message).toContain('Balance: 500 units now, 497 after');
      expect(asking.since(before).map((request) => request.command)).not.toContain('RunCampaign');

      asked.length = 0;
      await asking.call('run_campaign', { templateId: 1, phones: '0501234567:0527654321' });
      expect(asked[0].message).toContain('1 unit per call × 2 = 2 units');
    } finally {
      await asking.close();
    }
  });
});
