import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Input, type Transfer } from '../call/command.js';
import type { Cost } from '../call/preview.js';
import type { ToolContext } from '../call/context.js';
import { campaignIdParam, isLedgerCampaign, reportCampaignId } from '../call/campaign-id.js';
import { callerId, countNumbers, describeNumbers, personalPhones, phonesOrPersonal, zeroOrOne } from '../call/params.js';
import { sleep } from '../call/sleep.js';
import { seriesList } from './schedule-series.js';
import { templateId } from './templates.js';

const ENTRY_STATUSES = ['all', 'pending', 'blocked', 'done', 'accepted', 'failed', 'no_answer', 'busy', 'amd', 'ringing', 'up', 'bridged', 'remove_request', 'redial', 'canceled', 'error'] as const;
const FINAL_STATUSES = new Set(['FINISHED', 'STOPPED']);

export const RUN_CODES: Record<number, string> = {
  100: 'The template does not exist: check templateId with read_templates.',
  101: 'The campaign is not set up: the template has no phones, or no valid message (upload_file to the IVR, then copy_move_files to tpl:ID).',
  102: 'No valid phone numbers to call.',
  103: 'Not enough units for this campaign: nothing was spent; top up or call fewer numbers.',
  104: 'Blocked for Shabbat or a holiday (isKodesh): Yemot does not run campaigns now; try again after it ends.',
  105: 'A general error at Yemot: nothing was started; try again later.',
  120: 'The caller ID is not authorised: use get_approved_caller_ids, or validate_caller_id.',
};

const campaignShape = z.looseObject({
  campaignId: z.unknown(),
  campaignStatus: z.unknown(),
  totalEntries: z.unknown(),
  pendingEntries: z.unknown(),
  failedEntries: z.unknown(),
  entries: z.array(z.looseObject({ phone: z.unknown(), entryStatus: z.unknown() })).optional(),
});

/** Read from the account, not wrong in form: a template that is not there, or not ready to call anyone. */
const notReady = (field: string, message: string, code: 'NOT_FOUND' | 'CONFLICT' = 'CONFLICT') => new YemotError(code, `${field}: ${message}`, { command: 'RunCampaign', hint: 'Nothing was sent and the person was not asked.' });

/**
 * Reads the template once, before the person is asked: refuses what RunCampaign would refuse (no such template,
 * no voice message, nobody to call), and quotes the API's own estimate, its active entries (or the numbers given)
 * × its unitsPerMessage.
 */
export async function campaignQuote(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<{ cost: Cost }> {
  const { answer } = await ctx.session.call('GetTemplates', {}, { retry: true, signal });
  const templates = Array.isArray(answer.templates) ? (answer.templates as Array<Record<string, unknown>>) : [];
  const template = templates.find((item) => (input.templateId === undefined ? item.customerDefault === true : Number(item.templateId) === input.templateId));
  const named = input.templateId === undefined ? 'the default template' : `template ${String(input.templateId)}`;
  if (!template) throw notReady('templateId', `${named} does not exist (read_templates lists them)`, 'NOT_FOUND');
  if (template.messageExists === false) throw notReady('templateId', `${named} has no voice message yet: give it one first (audio: upload_file to tpl:${String(template.templateId)}; text: write_text_file tpl:${String(template.templateId)})`);
  const calls = countNumbers(input.phones) ?? Number(template.entriesCount ?? 0) - Number(template.blockedEntriesCount ?? 0);
  if (calls <= 0) throw notReady('phones', `${named} has no active numbers to call: add some (upload_phone_list) or pass phones`);
  const perItem = Number(template.unitsPerMessage);
  const sms = input.withSMS === 1 ? 'regular mobiles get an SMS instead, drawing SMS units; ' : '';
  return {
    cost: Number.isFinite(perItem)
      ? // With withSMS the numbers that get an SMS are not called: which ones is not known before, so the total is a ceiling.
        { unit: 'units', items: calls, perItem, per: 'call', total: Math.round(calls * perItem * 100) / 100, ...(input.withSMS === 1 && { upTo: true as const }), note: `${sms}the API's estimate, unitsPerMessage; unanswered attempts may be billed too` }
      : { unit: 'units', items: calls, note: 'not available: the template has no unitsPerMessage' },
  };
}

/**
 * A ledger campaign (SendTTS, RunTzintuk, bridging, fax) has no documented live status: GetCampaignStatus is
 * documented for RunCampaign's campaigns, ViewCampaignReports for these (API-CATALOG §5). Its report is what can be seen.
 */
async function ledgerReport(ctx: ToolContext, wire: Input, signal?: AbortSignal) {
  const campaignId = String(wire.campaignId);
  const { answer } = await ctx.session.call('ViewCampaignReports', { CampaignId: reportCampaignId(campaignId), json: 1 }, { retry: true, signal });
  const watch = wire.waitSeconds === undefined ? '' : ' waitSeconds cannot watch it;';
  return {
    kind: 'json' as const,
    answer: { ...answer, campaignId, note: `A ledger campaign (SendTTS, RunTzintuk, bridging, fax): Yemot gives no live status for it, so this is its report (ViewCampaignReports).${watch} For live per-call events, send_tts takes a callbackUrl.` },
  };
}

/**
 * GetCampaignStatus that waits: reads the campaign every ctx.watchPollMs until it finishes, the wait ends or the
 * client cancels, with a progress notification (done of total entries) after each read.
 */
const watchCampaign: Transfer = async ({ ctx, progress, signal }, wire) => {
  if (isLedgerCampaign(String(wire.campaignId))) return ledgerReport(ctx, wire, signal);
  const waitMs = Number(wire.waitSeconds ?? 0) * 1000;
  if (!waitMs) return undefined;
  const { waitSeconds: _wait, ...params } = wire;
  const deadline = Date.now() + waitMs;
  let reported = -1;
  for (;;) {
    const reply = await ctx.session.call('GetCampaignStatus', params, { retry: true, signal });
    const campaign = (reply.answer.campaign ?? {}) as Record<string, unknown>;
    const total = Number(campaign.totalEntries ?? 0);
    const done = total - Number(campaign.pendingEntries ?? 0) - Number(campaign.activeEntries ?? 0);
    // MCP: progress must increase with each notification; a poll that saw no entry finish sends none.
    if (done > reported) progress(done, total, `${String(campaign.campaignStatus ?? 'UNKNOWN')}: ${done} of ${total} entries done`);
    reported = Math.max(reported, done);
    if (FINAL_STATUSES.has(String(campaign.campaignStatus)) || Date.now() + ctx.watchPollMs > deadline) return reply;
    await sleep(ctx.watchPollMs, signal);
  }
};

export const campaignRunTools = [
  tool({
    name: 'run_campaign',
    title: 'Run a campaign now',
    command: 'RunCampaign',
    toolset: 'campaigns',
    effect: 'spend',
    summary:
      "Run a template's campaign now on its list or the phones given; charged per call (≈ entries × unitsPerMessage).",
    keywords: ['הפעל', 'הפעלה', 'קמפיין', 'הוצא קמפיין', 'start', 'launch', 'dial'],
    params: {
      templateId: templateId.optional(),
      callerId: callerId('Approved; default the template\'s').optional(),
      phones: phonesOrPersonal('Numbers joined by ":" (default the template\'s list)').optional(),
      ttsMode: zeroOrOne('1 = message, then each one\'s text (phones) or moreinfo (list)').optional(),
      withSMS: zeroOrOne('1 = regular mobiles get an SMS instead of the call').optional(),
    },
    output: { campaignId: z.string(), entriesCount: z.number(), estimatedPrice: z.number() },
    confirm: (input) => `RunCampaign will start template ${input.templateId === undefined ? '(the default)' : String(input.templateId)}${input.phones ? ` on ${countNumbers(input.phones)} number(s)` : ''}${input.withSMS === 1 ? ' with SMS to regular mobiles' : ''}.`,
    quote: campaignQuote,
    codes: RUN_CODES,
    verifyWith: 'get_campaign_status',
    follows: 'campaignId',
    examples: [
      { templateId: 1 },
      { templateId: 1, phones: '0501234567:0527654321', withSMS: 1, ttsMode: 1, callerId: '0770000000' },
      { templateId: 1, ttsMode: 1, phones: { '0501234567': { name: 'משה', text: 'משה, התשלום התקבל' }, '0527654321': { name: 'שרה', text: 'שרה, נא להסדיר תשלום', blocked: false } } },
    ],
  }),
  tool({
    name: 'get_campaign_status',
    title: 'Campaign progress',
    command: 'GetCampaignStatus',
    toolset: 'campaigns',
    effect: 'read',
    summary: "A campaign's progress; waitSeconds watches a template campaign to the end. A ledger (YA-) campaign (send_tts…) cannot be watched: it shows its report (ViewCampaignReports).",
    keywords: ['סטטוס', 'התקדמות', 'קמפיין', 'progress', 'מתקדם', 'איך מתקדם', 'how far', 'along', 'finished', 'watch'],
    params: {
      campaignId: campaignIdParam('The campaign'),
      entries: z.enum(ENTRY_STATUSES).optional().describe('List these entries too'),
      range: z.string().regex(/^\d*:\d*$/, 'must be min:max, e.g. 1:100').optional().describe('Rows min:max'),
      waitSeconds: z.number().int().min(1).max(3600).optional().describe('Watch to the end, at most this long'),
    },
    transfer: watchCampaign,
    output: { campaign: campaignShape },
    narrowWith: 'range',
    examples: [{ campaignId: '0770000000-1-2025-06-01-10-00-00-000-API' }, { campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', entries: 'failed', range: '1:100' }],
  }),
  tool({
    name: 'campaign_action',
    title: 'Control a running campaign',
    command: 'CampaignAction',
    toolset: 'campaign_admin',
    effect: 'spend',
    summary: 'Act on a running campaign: add numbers (spends), block, hang up, stop, pause (setPaused 1/0), or change its channel limits.',
    keywords: ['עצור', 'השהה', 'קמפיין', 'stop', 'pause'],
    actions: {
      add: { needs: ['value'] },
      block: { effect: 'write', needs: ['value'] },
      hangup: { effect: 'irreversible', needs: ['value'] },
      stop: { effect: 'irreversible' },
      setPaused: { effect: 'write', needs: ['value'], escalate: { to: 'spend', when: (input) => String(input.value).trim() === '0', why: 'value 0 resumes the campaign: calls go out again' } },
      setMaxActiveChannels: { effect: 'write', needs: ['value'] },
      setMaxBridgedChannels: { effect: 'write', needs: ['value'] },
    },
    params: {
      campaignId: campaignIdParam('A running or paused template campaign'),
      value: z
        .union([z.string().min(1).max(100_000), personalPhones])
        .optional()
        .describe('add/block/hangup: numbers joined by ":" or {"050…": {name, moreinfo, text, blocked}}; setPaused 1/0; setMax*: a number'),
    },
    check: (input) => (typeof input.value === 'object' && !['add', 'block', 'hangup'].includes(String(input.action)) ? [`value: an object of phones is for add, block and hangup, not ${String(input.action)}`] : []),
    output: { campaign: campaignShape, data: z.array(z.looseObject({ phone: z.unknown(), action: z.unknown() })) },
    confirm: (input) => (input.action === 'add' ? `CampaignAction add will add ${describeNumbers(input.value)} to campaign ${String(input.campaignId)}; each call is charged.` : `CampaignAction ${String(input.action)} on ${String(input.campaignId)}.`),
    verifyWith: 'get_campaign_status',
    examples: [
      { action: 'setPaused', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '1' },
      { action: 'add', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '0501234567' },
      { action: 'add', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: { '0501234567': { name: 'משה', moreinfo: 'כיתה ב' }, '0527654321': { blocked: true } } },
      { action: 'block', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '0501234567' },
      { action: 'hangup', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '0501111111' },
      { action: 'setMaxActiveChannels', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '5' },
      { action: 'setMaxBridgedChannels', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API', value: '0' },
      { action: 'stop', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API' },
    ],
  }),
  tool({
    name: 'campaign_reports',
    title: 'Campaign reports',
    command: 'GetActiveCampaigns',
    selects: 'command',
    toolset: 'campaigns',
    effect: 'read',
    summary:
      'Campaigns running now, a campaign\'s report as text or (YA- ids) as data, or scheduled runs (PENDING also as weekly series); past campaigns\' ids: get_transactions.',
    keywords: ['דוח', 'דוחות', 'קמפיין', 'report', 'results'],
    actions: {
      GetActiveCampaigns: {},
      DownloadCampaignReport: { needs: ['campaignId'] },
      ViewCampaignReports: { needs: ['CampaignId'] },
      GetScheduledCampaigns: { needs: ['type'], uses: ['order', 'from', 'limit'] },
    },
    params: {
      campaignId: campaignIdParam('DownloadCampaignReport').optional(),
      CampaignId: campaignIdParam('ViewCampaignReports, ledger campaigns').optional(),
      type: z.enum(['PENDING', 'SUCCESSFUL', 'FAILED']).optional().describe('Scheduled runs in this state'),
      order: z.enum(['asc', 'desc']).optional().describe('Default asc'),
      from: z.number().int().min(0).optional().describe('Rows to skip'),
      limit: z.number().int().min(1).max(10_000).optional().describe('Max rows'),
    },
    check: (input) =>
      typeof input.CampaignId === 'string' && !isLedgerCampaign(input.CampaignId)
        ? [`CampaignId: ${input.CampaignId} is a template campaign; ViewCampaignReports covers ledger (YA-) campaigns only: use DownloadCampaignReport with campaignId, or get_campaign_status`]
        : [],
    // ViewCampaignReports answers JSON only when asked (json=1, documented), and takes the id without YA- (documented).
    prepare: async (_ctx, input) => (input.CampaignId === undefined ? input : { ...input, CampaignId: reportCampaignId(String(input.CampaignId)), json: 1 }),
    answer: 'text',
    output: {
      campaigns: z.array(campaignShape),
      content: z.string(),
      contentType: z.string(),
      CampaignData: z.unknown(),
      scheduledCampaigns: z.array(z.looseObject({ schedId: z.unknown(), startTime: z.unknown() })),
    },
    narrowWith: 'limit',
    derive: (result, input) => (input.command === 'GetScheduledCampaigns' && input.type === 'PENDING' ? { ...result, series: seriesList(result) } : result),
    examples: [
      { command: 'GetActiveCampaigns' },
      { command: 'DownloadCampaignReport', campaignId: '0770000000-1-2025-06-01-10-00-00-000-API' },
      { command: 'ViewCampaignReports', CampaignId: 'YA-3-0770000000-Yemot-1748772000000001' },
      { command: 'GetScheduledCampaigns', type: 'PENDING', order: 'desc', limit: 10 },
    ],
  }),
];

