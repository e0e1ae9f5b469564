import { z } from 'zod';

/**
 * One campaign, several spellings of its id. A template campaign (RunCampaign) has one id, like
 * `0772222770-1117319-2025-01-21-15-11-18-347-API`. A ledger campaign (SendTTS, RunTzintuk, CallExtensionBridging,
 * SendFax…) is `YA-3-0770000000-Yemot-1672066954231731` as its start and GetTransactions give it, `Start-YA-…` in a
 * ledger description, and the same without `YA-` for ViewCampaignReports (API-CATALOG §5). Every campaign tool takes
 * any of them and holds the one its start returned; each command is then sent the spelling it documents.
 */
const LEDGER_PREFIX = 'YA-';
// A ledger id names the system and "Yemot" and ends in a long timestamp; template ids end in -API.
const LEDGER_TAIL = /-Yemot-\d{10,}$/;

/** Whether the id is of a ledger (YA-) campaign: no live status, a report by ViewCampaignReports. */
export const isLedgerCampaign = (id: string) => LEDGER_TAIL.test(id);

/** The id as the campaign's start returned it: `Start-` dropped, `YA-` put back on a ledger id that lost it. */
export function canonicalCampaignId(value: string): string {
  const id = value.trim().replace(/^Start-/, '');
  return isLedgerCampaign(id) && !id.startsWith(LEDGER_PREFIX) ? `${LEDGER_PREFIX}${id}` : id;
}

/** ViewCampaignReports' spelling: the ledger id without `YA-`. */
export const reportCampaignId = (id: string) => canonicalCampaignId(id).slice(LEDGER_PREFIX.length);

export const campaignIdParam = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .overwrite(canonicalCampaignId)
    .describe(`${what}: any tool's campaign id, YA- or not`);

/** How to follow a campaign a spend started: the tool and the arguments, and what it shows for this kind. */
export function followCampaign(id: string): Record<string, unknown> {
  const campaignId = canonicalCampaignId(id);
  return isLedgerCampaign(campaignId)
    ? { tool: 'get_campaign_status', arguments: { campaignId }, shows: 'its report (ViewCampaignReports): Yemot gives no live progress for this kind of campaign' }
    : { tool: 'get_campaign_status', arguments: { campaignId, waitSeconds: 600 }, shows: 'its progress, with progress notifications until it finishes' };
}
