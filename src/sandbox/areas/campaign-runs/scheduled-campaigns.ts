import { planCampaign, planCounts } from '../../campaign-start.js';
import { fail, type Area } from '../../handler.js';
import { formatDateTime, optChoice, optInt, requireInt, requireString } from '../../params.js';
import { scheduleTime } from '../../schedule.js';
import type { AccountState, ScheduledCampaign } from '../../state.js';

/** ScheduleCampaign, GetScheduledCampaigns, DeleteScheduledCampaign (API-CATALOG §5). */

/** The sandbox's bound on runs waiting at once (the API documents none). */
const MAX_PENDING = 100;
const API_CALLER = '127.0.0.1';

const at = (ms: number) => formatDateTime(new Date(ms));

function scheduleRow(state: AccountState, schedule: ScheduledCampaign) {
  return {
    schedId: schedule.schedId,
    templateDescription: state.templates[String(schedule.templateId)]?.description ?? null,
    error: schedule.state === 'FAILED',
    startTime: at(schedule.startAt),
    ip: API_CALLER,
    createTime: schedule.createTime,
    campaignId: schedule.campaignId,
    templateId: schedule.templateId,
    errorMsg: schedule.errorMsg,
    pending: schedule.pending,
  };
}

export const scheduledCampaigns: Area = {
  ScheduleCampaign: {
    handle({ params, state, now }) {
      const templateId = String(requireInt(params, 'templateId', { min: 1 }));
      const startAt = scheduleTime(requireString(params, 'time'), now);
      const plan = planCampaign(state, { templateId, ttsMode: false, withSMS: false }, false);
      if (state.scheduledCampaigns.filter((schedule) => schedule.state === 'PENDING').length >= MAX_PENDING) fail(`at most ${MAX_PENDING} scheduled runs may wait at once; delete one first`);
      const counts = planCounts(plan);
      const schedule: ScheduledCampaign = { schedId: state.nextSchedId++, templateId: Number(templateId), startAt, createTime: at(now), state: 'PENDING', campaignId: null, errorMsg: null, pending: counts.pending };
      state.scheduledCampaigns.push(schedule);
      return { customerUnits: state.units, templateId: schedule.templateId, schedTime: at(startAt), schedId: schedule.schedId, ...counts };
    },
  },
  GetScheduledCampaigns: {
    rules: { from: { min: 0 }, limit: { min: 1 } },
    handle({ params, state }) {
      const type = optChoice(params, 'type', ['PENDING', 'SUCCESSFUL', 'FAILED'] as const);
      const order = optChoice(params, 'order', ['asc', 'desc'] as const) ?? 'asc';
      const rows = state.scheduledCampaigns.filter((schedule) => type === undefined || schedule.state === type).sort((a, b) => (a.startAt - b.startAt) * (order === 'asc' ? 1 : -1));
      const from = optInt(params, 'from') ?? 0;
      const limit = optInt(params, 'limit') ?? rows.length;
      return { totalCount: rows.length, scheduledCampaigns: rows.slice(from, from + limit).map((schedule) => scheduleRow(state, schedule)) };
    },
  },
  DeleteScheduledCampaign: {
    handle({ params, state }) {
      const schedId = requireInt(params, 'schedId', { min: 1 });
      const schedule = state.scheduledCampaigns.find((candidate) => candidate.schedId === schedId) ?? fail(`schedId ${schedId} not found`);
      if (schedule.state !== 'PENDING') fail(`schedId ${schedId} already ran (${schedule.state}); only a waiting run can be deleted`);
      state.scheduledCampaigns = state.scheduledCampaigns.filter((candidate) => candidate !== schedule);
      return {};
    },
  },
};
