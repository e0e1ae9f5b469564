import { afterEach, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CONFIRMED_EFFECTS, effectsOf } from '../src/call/command.js';
import { describeTool } from '../src/surface/describe.js';
import { APP_MIME, CARD_META } from '../src/surface/views.js';
import { TOOLS } from '../src/tools/index.js';
import { APPS_CAPABILITIES } from './apps-host.js';
import { sandbox, useDemoSandbox } from './demo-sandbox.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 31 over MCP, without a browser: which client sees the views, what a view resource is, and where a
 * confirmation's token goes. test/views.browser.test.ts shows the views themselves. Reads dist/views/ (the build).
 */

useDemoSandbox();
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const SMS = { message: 'תזכורת לפגישה', phones: '0501234567:0527654321', from: '0770000000' };
const MAX_VIEW_BYTES = 150 * 1024;
const viewOf = (tool: { _meta?: Record<string, unknown> }) => (tool._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('a client that does not render views', () => {
  it('lists every tool as before, no ui:// resource, and keeps the token in the text', async () => {
    harness = await startHarness({ use: sandbox, confirm: true });
    const { tools } = await harness.client.listTools();
    expect(tools).toEqual(TOOLS.map((spec) => describeTool(spec)));
    expect((await harness.client.listResources()).resources.map((resource) => resource.uri).filter((uri) => uri.startsWith('ui://'))).toEqual([]);
    const asked = (await harness.client.callTool({ name: 'send_sms', arguments: SMS })) as CallToolResult;
    const answer = JSON.parse(textOf(asked));
    expect(answer.error).toBe('CONFIRMATION_REQUIRED');
    expect(typeof answer.confirm).toBe('string');
    expect(answer.next).toContain(answer.confirm);
    expect(asked._meta).toBeUndefined();
  });
});

describe('a client that renders views', () => {
  it('gets each tool its view: the IVR tree, the campaign, and the card for every other tool that spends, deletes or cannot be undone', async () => {
    harness = await startHarness({ use: sandbox, capabilities: APPS_CAPABILITIES });
    const { tools } = await harness.client.listTools();
    const views = Object.fromEntries(tools.map((tool) => [tool.name, viewOf(tool)]));
    expect(views).toMatchObject({ ivr_tree: 'ui://yemot/ivr-tree', dry_run_call: 'ui://yemot/ivr-tree', run_campaign: 'ui://yemot/campaign', get_campaign_status: 'ui://yemot/campaign', campaign_action: 'ui://yemot/campaign' });
    for (const spec of TOOLS) {
      const confirmed = effectsOf(spec).some((effect) => CONFIRMED_EFFECTS.has(effect));
      if (['ivr_tree', 'dry_run_call', 'run_campaign', 'get_campaign_status', 'campaign_action'].includes(spec.name)) continue;
      expect(views[spec.name], spec.name).toBe(confirmed ? 'ui://yemot/confirm' : undefined);
    }
    // Apart from its view, each definition is the one every other client gets.
    for (const tool of tools) {
      const { _meta: _view, ...plain } = tool;
      expect(plain, tool.name).toEqual(describeTool(TOOLS.find((spec) => spec.name === tool.name)!));
    }
  });

  it('reads each view as one self-contained HTML document of the app type, at most 150 kB, that reaches for nothing outside itself', async () => {
    harness = await startHarness({ use: sandbox, capabilities: APPS_CAPABILITIES });
    const listed = (await harness.client.listResources()).resources.filter((resource) => resource.uri.startsWith('ui://'));
    expect(listed.map((resource) => [resource.uri, resource.mimeType])).toEqual([
      ['ui://yemot/ivr-tree', APP_MIME],
      ['ui://yemot/campaign', APP_MIME],
      ['ui://yemot/confirm', APP_MIME],
    ]);
    for (const { uri } of listed) {
      const [content] = (await harness.client.readResource({ uri })).contents;
      const html = (content as { text: string }).text;
      expect(content.mimeType).toBe(APP_MIME);
      expect(content._meta).toEqual({ ui: { prefersBorder: true } });
      expect(Buffer.byteLength(html), uri).toBeLessThanOrEqual(MAX_VIEW_BYTES);
      expect(html).toMatch(/^<!doctype html><html[^>]*><head><meta charset="utf-8">/);
      expect(html.match(/<script>/g)).toHaveLength(1);
      // The card reads its token where the server puts it (the views are built apart from src/).
      if (uri !== 'ui://yemot/ivr-tree') expect(html).toContain(JSON.stringify(CARD_META));
      // Nothing loaded from anywhere: no external script, style sheet, font, image or frame, no request API.
      expect(html, uri).not.toMatch(/<script[^>]+src|<link|<img|<iframe|@import|url\(|https?:\/\/|\bfetch\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/);
    }
    await expect(harness.client.readResource({ uri: 'ui://yemot/nothing' })).rejects.toMatchObject({ code: -32002 });
  });

  it('puts a confirmation\'s token in the result\'s _meta for the card, never in the text the agent reads; the card\'s call sends once', async () => {
    harness = await startHarness({ use: sandbox, capabilities: APPS_CAPABILITIES, confirm: true });
    const asked = (await harness.client.callTool({ name: 'send_sms', arguments: SMS })) as CallToolResult;
    const ticket = asked._meta?.[CARD_META] as { tool: string; confirm: string; expiresAt: string };
    expect(ticket).toEqual({ tool: 'send_sms', confirm: expect.any(String), expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const text = textOf(asked);
    expect(text).not.toContain(ticket.confirm);
    const answer = JSON.parse(text);
    expect(answer).toMatchObject({ error: 'CONFIRMATION_REQUIRED', preview: { command: 'SendSms', sender: '0770000000', recipients: { count: 2 } }, expiresAt: ticket.expiresAt });
    expect(answer.message).toMatch(/card with a Confirm button; only their click sends it/);
    expect(answer.next).toMatch(/Do not call send_sms again for this/);

    const before = sandbox.requests.length;
    const confirmed = await harness.call('send_sms', { ...SMS, confirm: ticket.confirm });
    expect(confirmed.isError, confirmed.text).toBe(false);
    expect((await harness.call('send_sms', { ...SMS, confirm: ticket.confirm })).json.error).toBe('CONFIRMATION_EXPIRED');
    expect(sandbox.requests.slice(before).filter((request) => request.command === 'SendSms')).toHaveLength(1);
  });

  it('still asks by a form where the client has forms: no card, no token', async () => {
    const asked: string[] = [];
    harness = await startHarness({
      use: sandbox,
      capabilities: { ...APPS_CAPABILITIES, elicitation: { form: {} } },
      onElicit: (request) => (asked.push(request.message), { action: 'decline' }),
    });
    const declined = (await harness.client.callTool({ name: 'send_sms', arguments: SMS })) as CallToolResult;
    expect(JSON.parse(textOf(declined)).error).toBe('DECLINED');
    expect(declined._meta).toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it('keeps the text route in discovery mode, whose three tools open no view', async () => {
    harness = await startHarness({ use: sandbox, capabilities: APPS_CAPABILITIES, confirm: true, argv: ['--toolsets', 'all', '--tool-mode', 'discover'] });
    const { tools } = await harness.client.listTools();
    expect(tools.map(viewOf)).toEqual([undefined, undefined, undefined]);
    const asked = (await harness.client.callTool({ name: 'yemot_call', arguments: { name: 'send_sms', arguments: SMS } })) as CallToolResult;
    const answer = JSON.parse(textOf(asked));
    expect(answer.error).toBe('CONFIRMATION_REQUIRED');
    expect(answer.next).toContain(answer.confirm);
    expect(asked._meta).toBeUndefined();
  });
});
