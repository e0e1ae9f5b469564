import { campaignReport, findCampaign } from '../../campaign-view.js';
import { fail, RawReply, type Area } from '../../handler.js';
import { roundUnits } from '../../ledger.js';
import { isPresent, optFlag, requireString } from '../../params.js';

/** A campaign's report as text (DownloadCampaignReport) and as JSON (ViewCampaignReports). */

const YA_PREFIX = 'YA-';

export const campaignReports: Area = {
  DownloadCampaignReport: {
    handle({ params, state, now }) {
      const id = requireString(params, 'campaignId').trim();
      // GetTransactions' campaignId "can be fed to DownloadCampaignReport" (documented): a ledger campaign's too.
      const ledger = state.campaigns.find((campaign) => campaign.campaignId === id);
      if (ledger) return new RawReply('text/csv; charset=utf-8', `phone,callerId\r\n${ledger.numbers.map((phone) => `${phone},${ledger.callerId}\r\n`).join('')}`);
      // A miss answers JSON: clients read a JSON body as the error (ZV).
      return new RawReply('text/csv; charset=utf-8', campaignReport(findCampaign(state, id), now));
    },
  },
  ViewCampaignReports: {
    handle({ params, state }) {
      if (!isPresent(params, 'CampaignId') && isPresent(params, 'campaignId')) fail('CampaignId is required, with a capital C (campaignId is not read here)');
      const id = requireString(params, 'CampaignId').trim();
      // Documented: the id is the ledger's campaign id without its YA- prefix, and only YA- campaigns have this report.
      if (id.startsWith(YA_PREFIX)) fail(`CampaignId is the campaign id without its ${YA_PREFIX} prefix: ${id.slice(YA_PREFIX.length)}`);
      if (optFlag(params, 'json') !== 1) fail('the sandbox answers this report as JSON only: send json=1');
      const record = state.campaigns.find((campaign) => campaign.campaignId === YA_PREFIX + id);
      if (!record) {
        if (state.templateCampaigns.some((campaign) => campaign.campaignId === id)) fail(`CampaignId ${id} is a template campaign: this report covers YA- campaigns (SendTTS, RunTzintuk…); use DownloadCampaignReport or GetCampaignStatus`);
        fail(`CampaignId ${id} not found`);
      }
      const line = state.transactions.find((transaction) => transaction.campaignId === record.campaignId);
      const billing = record.numbers.length ? roundUnits(record.units / record.numbers.length) : 0;
      return {
        CampaignData: { CampaignId: id, type: record.command, callerId: record.callerId, date: line?.transactionTime ?? null, numbers: record.numbers.length, billing: record.units },
        report: Object.fromEntries(record.numbers.map((phone) => [phone, { phone, callerId: record.callerId, billing }])),
      };
    },
  },
};
