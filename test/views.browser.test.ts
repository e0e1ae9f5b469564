import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { APPS_CAPABILITIES, CHROMIUM, launchBrowser, openView, type Browser, type OpenView } from './apps-host.js';
import { startHarness, type Harness } from './harness.js';
import { IN_CI } from './system-parts.js';

/**
 * Issue 31 in a real browser: each view the server serves, loaded by a host page that plays the host's side of MCP
 * Apps against the real server over the sandbox, judged by what a person sees; screenshots go to
 * test-output/screenshots/ (not committed). The sandbox's clock is frozen and moved by the test.
 */

const T0 = Date.UTC(2025, 5, 2, 7, 0, 0);
/** The sandbox's demo IVR, top-down (test/ivr-view.e2e.test.ts reads the same tree as text). */
const DEMO_PATHS = ['/', '/1', '/1/10', '/1/20', '/1/20/11', '/1/100', '/2', '/3', '/5', '/5/music', '/6', '/ext', '/ext/1', '/ext/7', '/ext/45', '/Log'];
/** Answers, no answer (last digit 0) and busy (8), as the sandbox decides by the last digit. */
const PHONES = '0501234567:0527654320:0531234568';

let sandbox: Sandbox;
let browser: Browser;
let harness: Harness;
let opened: OpenView | undefined;

/** A wait for what the person would see, long enough for a loaded machine (the CPU is shared with other runs). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });
/** The requests of one command the sandbox got since `from`. */
const sent = (from: number, command: string) => sandbox.requests.slice(from).filter((request) => request.command === command);

describe.skipIf(!existsSync(CHROMIUM) && !IN_CI)('the views in a browser (Chromium from Debian)', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    [sandbox, browser] = await Promise.all([startSandbox({ now: () => T0, log: () => undefined }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });
  beforeEach(async () => {
    sandbox.reset();
    harness = await startHarness({ use: sandbox, capabilities: APPS_CAPABILITIES, confirm: true });
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await harness.close();
  });

  it('the IVR tree: every extension of the sandbox IVR as a node, its keys as links, the broken one marked; a click shows settings and files; a dry run lights its path', async () => {
    opened = await openView(browser, harness, 'ivr_tree', {}, { theme: 'dark', locale: 'he-IL' });
    const { view } = opened;
    await poll(() => view.locator('[data-path]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-path')))).toEqual(DEMO_PATHS);
    // Hebrew words, right to left, the account's titles in their own direction.
    expect(await view.locator('html').getAttribute('dir')).toBe('rtl');
    await poll(() => view.locator('.totals').textContent()).toBe('16 שלוחות · 1 קישורים שבורים');
    expect(await view.locator('[data-path="/"] > summary .title').first().textContent()).toBe('תפריט ראשי');
    expect(await view.locator('[data-path="/"] > summary .title').first().getAttribute('dir')).toBe('auto');
    // The main menu's keys lead to its branches; the playfile's end names a folder that is not there.
    const rootLinks = await view.locator('[data-path="/"] > summary .link').evaluateAll((links) => links.map((link) => `${link.getAttribute('data-via')}→${link.getAttribute('data-target')}`));
    expect(rootLinks).toEqual(['1→/1', '2→/2', '3→/3', '5→/5', '6→/6']);
    const broken = view.locator('.link.broken');
    expect(await broken.count()).toBe(1);
    expect(await broken.getAttribute('data-target')).toBe('/4');
    expect(await view.locator('[data-path="/2"] > summary .link.broken').getAttribute('title')).toBe('no such extension');
    await view.locator('[data-path="/ext"] > summary a.link[data-via="7"]').click();
    expect(await view.locator('[data-path="/ext/7"]').getAttribute('class')).toContain('flash');

    const before = sandbox.requests.length;
    await view.locator('[data-open="/2"]').click();
    await poll(() => view.locator('.details .ini').textContent()).toContain('type=playfile');
    expect(await view.locator('.details .file-list li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('000.wav')]));
    expect(sent(before, 'GetTextFile').map((request) => request.params.what)).toContain('ivr2:/2/ext.ini');

    await view.locator('input[name="keys"]').fill('2');
    await view.locator('[data-action="dry-run"]').click();
    await poll(() => view.locator('details.on-path').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-path')))).toEqual(['/', '/2']);
    expect(await view.locator('.end').getAttribute('data-end')).toBe('invalid');
    expect(await view.locator('.end').textContent()).toContain('/4');
    // Reads only, from the first listing to the dry run.
    expect(sandbox.requests.slice(before).map((request) => request.command).filter((command) => !['GetIVR2Dir', 'GetTextFile', 'CheckIfFolderExists', 'MFASession', 'GetSession'].includes(command))).toEqual([]);
    await opened.screenshot('ivr-tree.png');
    expect(opened.errors).toEqual([]);
  });

  it('the campaign: the card shows the figures, one Confirm click starts one campaign, and the bar reaches 100% as the sandbox runs it', async () => {
    const before = sandbox.requests.length;
    opened = await openView(browser, harness, 'run_campaign', { templateId: 1, phones: PHONES }, { locale: 'en-US' });
    const { view, text, result } = opened;
    // The model reads the preview, not the token: only the card has it.
    const ticket = result._meta?.['yemot-mcp/confirm'] as { tool: string; confirm: string };
    expect(ticket.tool).toBe('run_campaign');
    expect(JSON.parse(text)).toMatchObject({ error: 'CONFIRMATION_REQUIRED', preview: { recipients: { count: 3 } } });
    expect(text).not.toContain(ticket.confirm);
    expect(sent(before, 'RunCampaign')).toEqual([]);

    const card = view.locator('.card');
    await poll(() => card.locator('[data-field="recipients"]').textContent()).toBe('3 numbers (0501234567, 0527654320, 0531234568)');
    expect(await card.locator('[data-field="cost"]').textContent()).toMatch(/^1 units per call × 3 = 3 units/);
    expect(await card.locator('[data-total]').getAttribute('data-total')).toBe('3');
    expect(await card.locator('[data-field="balance"]').textContent()).toBe('500 units now → 497 units after');
    expect(await card.locator('.what').textContent()).toBe('RunCampaign will start template 1 on 3 number(s).');
    await opened.screenshot('confirmation-card.png');

    // A double click is one click too many: the button sends once.
    await card.locator('[data-action="confirm"]').dblclick();
    await poll(() => view.locator('[data-status]').getAttribute('data-status')).toBe('RUNNING');
    expect(sent(before, 'RunCampaign')).toHaveLength(1);
    expect(sent(before, 'RunCampaign')[0].params).toMatchObject({ templateId: '1', phones: PHONES });
    expect(await view.locator('[data-percent]').getAttribute('data-percent')).toBe('0');

    sandbox.advance(10 * 60_000);
    // The view reads the campaign again by itself while it runs.
    await poll(() => view.locator('[data-percent]').getAttribute('data-percent')).toBe('100');
    expect(await view.locator('[data-status]').getAttribute('data-status')).toBe('FINISHED');
    expect(await view.locator('.progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await view.locator('.outcomes li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-state')}:${item.querySelector('strong')?.textContent}`).sort())).toEqual(['busy:1', 'done:1', 'no_answer:1']);
    expect(await view.locator('[data-spent]').getAttribute('data-spent')).toBe('1');
    expect(await view.locator('.units').textContent()).toContain('3 (estimate)');
    expect(await view.locator('tbody tr').evaluateAll((rows) => rows.map((row) => `${row.querySelector('td')?.textContent} ${row.getAttribute('data-state')}`))).toEqual(['0501234567 done', '0527654320 no_answer', '0531234568 busy']);
    // Finished: nothing left to stop or pause, and still only the one campaign.
    expect(await view.locator('[data-action="stop"]').count()).toBe(0);
    expect(sent(before, 'RunCampaign')).toHaveLength(1);
    await opened.screenshot('campaign.png');
    expect(opened.errors).toEqual([]);
  });

  it('the campaign\'s pause is a write that goes at once; stop and resume show the card first and go on Confirm', async () => {
    const started = await startHarness({ use: sandbox, confirm: false });
    const run = await started.call('run_campaign', { templateId: 1, phones: PHONES });
    await started.close();
    const campaignId = String(run.json.campaignId);
    opened = await openView(browser, harness, 'get_campaign_status', { campaignId }, { locale: 'en-US' });
    const { view } = opened;
    await poll(() => view.locator('[data-status]').getAttribute('data-status')).toBe('RUNNING');

    const before = sandbox.requests.length;
    await view.locator('[data-action="pause"]').click();
    await poll(() => view.locator('[data-action="resume"]').count()).toBe(1);
    expect(sent(before, 'CampaignAction').map((request) => [request.params.action, request.params.value])).toEqual([['setPaused', '1']]);

    // Resuming spends again: the card, nothing sent until Confirm.
    await view.locator('[data-action="resume"]').click();
    await poll(() => view.locator('.card [data-field="because"]').textContent()).toContain('value 0 resumes the campaign');
    expect(sent(before, 'CampaignAction')).toHaveLength(1);
    await view.locator('.card [data-action="cancel"]').click();
    expect(await view.locator('.card .status').textContent()).toBe('Not confirmed: nothing was sent.');

    await view.locator('[data-action="stop"]').click();
    await poll(() => view.locator('.card code').textContent()).toBe('CampaignAction stop');
    expect(sent(before, 'CampaignAction')).toHaveLength(1);
    await view.locator('.card [data-action="confirm"]').click();
    await poll(() => view.locator('[data-status]').getAttribute('data-status')).toMatch(/^STOPP(ING|ED)$/);
    expect(sent(before, 'CampaignAction').map((request) => request.params.action)).toEqual(['setPaused', 'stop']);
    expect(opened.errors).toEqual([]);
  });

  it('the card of any other spend: sender, message and recipients as the person will see them; Cancel sends nothing, Confirm sends exactly one', async () => {
    const sms = { message: 'תזכורת: השיעור מתחיל בשמונה', phones: '0501234567:0527654321', from: '0770000000' };
    const before = sandbox.requests.length;
    opened = await openView(browser, harness, 'send_sms', sms, { theme: 'dark', locale: 'he-IL' });
    const { view } = opened;
    const card = view.locator('.card');
    await poll(() => card.locator('h2').textContent()).toBe('אישור לפני ביצוע SendSms');
    expect(await card.locator('[data-field="sender"]').textContent()).toBe('0770000000');
    expect(await card.locator('[data-field="message"] q').textContent()).toBe(sms.message);
    expect(await card.locator('[data-field="message"] q').getAttribute('dir')).toBe('auto');
    expect(await card.locator('[data-field="recipients"]').textContent()).toBe('2 מספרים (0501234567, 0527654321)');
    expect(await card.locator('[data-field="balance"]').textContent()).toMatch(/עכשיו/);
    // Dark: the host's theme, not the browser's.
    const background = await view.locator('html').evaluate((html) => getComputedStyle(html).backgroundColor);
    expect(brightness(background)).toBeLessThan(0.3);
    await opened.screenshot('confirmation-card-dark.png');
    await card.locator('[data-action="confirm"]').click();
    await poll(() => view.locator('.done').count()).toBe(1);
    expect(sent(before, 'SendSms')).toHaveLength(1);
    await opened.close();

    const deleting = sandbox.requests.length;
    opened = await openView(browser, harness, 'delete_files', { what: ['2/000.wav', '2/001.wav'] }, { theme: 'light' });
    const files = opened.view.locator('.card [data-field="files"]');
    await poll(() => files.textContent()).toBe('ivr2:/2/000.wav, ivr2:/2/001.wav');
    expect(brightness(await opened.view.locator('html').evaluate((html) => getComputedStyle(html).backgroundColor))).toBeGreaterThan(0.7);
    await opened.view.locator('.card [data-action="cancel"]').click();
    expect(await opened.view.locator('.card [data-action="confirm"]').isDisabled()).toBe(true);
    expect(sent(deleting, 'FileAction')).toEqual([]);
    expect(opened.errors).toEqual([]);
    // Every view came from the server: the browser reached nothing else.
    expect(browser.requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual([]);
  });
});

/** 0 for black, 1 for white, from a computed rgb() colour. */
function brightness(color: string): number {
  const [red, green, blue] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255;
}
