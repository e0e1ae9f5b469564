import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppBridge } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { APP_MIME, APPS_EXTENSION } from '../src/surface/views.js';
import type { Harness } from './harness.js';

/**
 * The host's side of MCP Apps for the browser tests: Debian's Chromium shows a page with one sandboxed iframe, the
 * view from the server's own ui:// resource; the reference host bridge of @modelcontextprotocol/ext-apps (AppBridge)
 * runs here in Node, talks to the view through the page's postMessage, and forwards the view's tools/call to the
 * server through the harness's MCP client. The page allows no network at all (its CSP, which the view's srcdoc
 * frame inherits), and every request the browser tries is recorded.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../test-output/screenshots/', import.meta.url);
/** What a client says at initialize to get the views. */
export const APPS_CAPABILITIES = { extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME] } } };

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{margin:0;background:#888}iframe{border:0;display:block;width:900px;height:240px;background:transparent}</style></head>
<body><iframe id="view" sandbox="allow-scripts"></iframe>
<script>addEventListener('message', (event) => { if (event.source === document.getElementById('view').contentWindow) window.toHost(event.data); });</script>
</body></html>`;

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser tried to reach. */
  requests: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'yemot-views-'));
  // A persistent context is the fresh --user-data-dir: Playwright takes it as the profile argument.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true, viewport: { width: 900, height: 700 } });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  return {
    context,
    requests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page side of the bridge's transport: messages to the view by postMessage, and back through a binding. */
class FrameTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(private readonly page: Page) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    await this.page.evaluate((sent) => (document.getElementById('view') as HTMLIFrameElement).contentWindow!.postMessage(sent, '*'), message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}

export interface OpenView {
  page: Page;
  view: FrameLocator;
  /** The tool's result as the model got it. */
  result: CallToolResult;
  /** The text the model reads. */
  text: string;
  /** What the page and the view logged as errors, and uncaught exceptions (a CSP refusal among them). */
  errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface HostLook {
  theme?: 'light' | 'dark';
  locale?: string;
}

/**
 * What a host that renders apps does for one tool call of the model: the call, the tool's view read from its
 * `_meta.ui.resourceUri`, the view shown with the host's look, then the call's input and result handed to it.
 */
export async function openView(browser: Browser, harness: Harness, name: string, args: Record<string, unknown>, look: HostLook = {}): Promise<OpenView> {
  const { tools } = await harness.client.listTools();
  const resourceUri = (tools.find((tool) => tool.name === name)?._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri;
  if (!resourceUri) throw new Error(`${name} declares no view`);
  const [resource] = (await harness.client.readResource({ uri: resourceUri })).contents;
  if (resource.mimeType !== APP_MIME || !('text' in resource)) throw new Error(`${resourceUri} is not an app resource`);
  const html = resource.text;
  const result = (await harness.client.callTool({ name, arguments: args })) as CallToolResult;

  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => void errors.push(error.message));
  const transport = new FrameTransport(page);
  await page.exposeFunction('toHost', (message: JSONRPCMessage) => transport.onmessage?.(message));
  await page.setContent(HOST_PAGE);
  const bridge = new AppBridge(harness.client, { name: 'test-host', version: '1' }, { serverTools: {}, serverResources: {} }, { hostContext: { theme: look.theme ?? 'light', locale: look.locale ?? 'en-US', displayMode: 'inline', platform: 'desktop' } });
  const initialized = new Promise<void>((resolve) => (bridge.oninitialized = () => resolve()));
  bridge.onsizechange = ({ height }) => void page.evaluate((tall) => ((document.getElementById('view') as HTMLIFrameElement).style.height = `${tall}px`), height).catch(() => undefined);
  await bridge.connect(transport);
  await page.evaluate((markup) => ((document.getElementById('view') as HTMLIFrameElement).srcdoc = markup), html);
  await initialized;
  await bridge.sendToolInput({ arguments: args });
  await bridge.sendToolResult(result);
  const text = (result.content as Array<{ type: string; text?: string }>).find((block) => block.type === 'text')?.text ?? '';
  return {
    page,
    view: page.frameLocator('#view'),
    result,
    text,
    errors,
    async screenshot(file) {
      if (!existsSync(SCREENSHOTS)) mkdirSync(SCREENSHOTS, { recursive: true });
      await page.locator('#view').screenshot({ path: new URL(file, SCREENSHOTS).pathname });
    },
    async close() {
      await transport.close();
      await page.close();
    },
  };
}
