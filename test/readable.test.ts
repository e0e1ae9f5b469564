import { describe, expect, it } from 'vitest';
import { canonicalCampaignId, isLedgerCampaign, reportCampaignId } from '../src/call/campaign-id.js';
import { readable } from '../src/call/readable.js';
import { seriesList, weeklyTimes } from '../src/tools/schedule-series.js';

/**
 * Issue 29: dates as the vendor writes them, read in Israel time with its summer time (Asia/Jerusalem: UTC+2, and
 * UTC+3 from the Friday before the last Sunday of March to the last Sunday of October), the day or the month first
 * as each field is written; weekly runs across a clock change; one campaign id in its spellings.
 */
const NOW = Date.UTC(2025, 5, 2, 7, 0, 0);

describe('dates beside the vendor fields', () => {
  it('reads yyyy-MM-dd in winter and in summer with the offset of that day', () => {
    expect(readable({ transactionTime: '2025-01-15 10:00:00' }, NOW)).toEqual({ transactionTime: '2025-01-15 10:00:00', transactionTimeIso: '2025-01-15T10:00:00+02:00' });
    expect(readable({ transactionTime: '2025-07-15 10:00:00' }, NOW)).toMatchObject({ transactionTimeIso: '2025-07-15T10:00:00+03:00' });
    // The first summer day (Friday 28 March 2025): 01:00 is still winter, 04:00 summer.
    expect(readable({ startTime: '2025-03-28 01:00:00' }, NOW)).toMatchObject({ startTimeIso: '2025-03-28T01:00:00+02:00' });
    expect(readable({ startTime: '2025-03-28 04:00:00' }, NOW)).toMatchObject({ startTimeIso: '2025-03-28T04:00:00+03:00' });
  });

  it('reads a slashed date day first, but month first where the vendor writes it so (the queue\'s last call)', () => {
    expect(readable({ mtime: '01/06/2025 10:00' }, NOW)).toMatchObject({ mtimeIso: '2025-06-01T10:00:00+03:00' });
    expect(readable({ LastCall: '01/06/2025, 02:05:09 PM' }, NOW)).toMatchObject({ LastCallIso: '2025-01-06T14:05:09+02:00' });
    expect(readable({ Date: '20/05/2025', Time: '18:45:10' }, NOW)).toMatchObject({ DateIso: '2025-05-20T18:45:10+03:00' });
  });

  it('leaves what is no real date alone, and any field not named as a date', () => {
    expect(readable({ mtime: '31/02/2025 10:00', date: 'yesterday', Time: '11:07:24', phone: '2025-01-15' }, NOW)).toEqual({ mtime: '31/02/2025 10:00', date: 'yesterday', Time: '11:07:24', phone: '2025-01-15' });
  });

  it('flags an expiry once past: a date alone lasts its whole day; a session 30 minutes after its last request', () => {
    expect(readable({ callerIds: [{ expiryDate: '2025-06-02' }, { expiryDate: '2025-06-01' }] }, NOW)).toEqual({
      callerIds: [
        { expiryDate: '2025-06-02', expiryDateIso: '2025-06-02', expired: false },
        { expiryDate: '2025-06-01', expiryDateIso: '2025-06-01', expired: true },
      ],
    });
    // NOW is 10:00 in Israel.
    expect(readable({ lastRequest: '2025-06-02 09:31:00' }, NOW)).toMatchObject({ expired: false });
    expect(readable({ lastRequest: '2025-06-02 09:29:00' }, NOW)).toMatchObject({ expired: true });
    expect(readable({ unitsExpireDate: '2025-06-01', smsUnitsExpireDate: '2026-06-01' }, NOW)).toMatchObject({ unitsExpired: true, smsUnitsExpired: false });
  });

  it('gives a listing duration in seconds beside its minutes', () => {
    expect(readable({ files: [{ duration: 0.1, durationStr: '00:06' }, { durationStr: '1:02:03' }] }, NOW)).toEqual({ files: [{ duration: 0.1, durationStr: '00:06', durationSeconds: 6 }, { durationStr: '1:02:03', durationSeconds: 3723 }] });
  });
});

describe('weekly runs', () => {
  it('start on the next such weekday after now and keep the wall-clock time across the spring clock change', () => {
    // Thursday 20 March 2025, noon in Israel.
    const thursday = Date.UTC(2025, 2, 20, 10, 0, 0);
    expect(weeklyTimes('sun', '09:00', 3, thursday)).toEqual(['2025-03-23 09:00:00', '2025-03-30 09:00:00', '2025-04-06 09:00:00']);
    expect(readable({ schedTime: '2025-03-23 09:00:00' }).schedTimeIso).toBe('2025-03-23T09:00:00+02:00');
    expect(readable({ schedTime: '2025-03-30 09:00:00' }).schedTimeIso).toBe('2025-03-30T09:00:00+03:00');
    // Today's time already passed: next week; not yet: today.
    expect(weeklyTimes('thu', '11:59', 1, thursday)).toEqual(['2025-03-27 11:59:00']);
    expect(weeklyTimes('thu', '12:01', 1, thursday)).toEqual(['2025-03-20 12:01:00']);
  });

  it('group waiting runs by template, weekday and time; a lone run is no series', () => {
    const row = (schedId: number, templateId: number, startTime: string) => ({ schedId, templateId, startTime });
    const answer = { scheduledCampaigns: [row(1, 3, '2030-01-06 09:00:00'), row(2, 3, '2030-01-13 09:00:00'), row(3, 3, '2030-01-14 09:00:00'), row(4, 4, '2030-01-06 09:00:00')] };
    expect(seriesList(answer)).toEqual([{ series: '3-sun-09:00', runs: 2, first: '2030-01-06 09:00:00', last: '2030-01-13 09:00:00', schedIds: [1, 2] }]);
  });
});

describe('one campaign id', () => {
  it('holds a ledger id as its start returned it, whatever the spelling, and a template campaign id as it is', () => {
    const id = 'YA-3-0770000000-Yemot-1672066954231731';
    for (const spelling of [id, id.slice(3), `Start-${id}`, ` ${id}\n`]) expect(canonicalCampaignId(spelling)).toBe(id);
    expect(reportCampaignId(id)).toBe(id.slice(3));
    expect(isLedgerCampaign('SMS-3-0773137770-Yemot-1641217161871')).toBe(true);
    const template = '0772222770-1117319-2025-01-21-15-11-18-347-API';
    expect(canonicalCampaignId(template)).toBe(template);
    expect(isLedgerCampaign(template)).toBe(false);
  });
});
