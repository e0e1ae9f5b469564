#!/usr/bin/env node
import { createApp, VERSION } from './app.js';
import { ConfigError, HELP, loadConfig, type Config } from './config.js';
import { isLoopbackHost, serveHttp, serveStdio } from './server.js';

// stdout carries JSON-RPC only: everything this entry says goes to stderr.
const say = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(`yemot-mcp: ${error.message}`);
    process.exit(2);
  }
  if (config.mode === 'help') return void say(HELP);
  if (config.mode === 'version') return void say(VERSION);

  const closers: Array<() => Promise<void>> = [];
  let overrides = {};
  if (config.sandbox) {
    const { startSandbox } = await import('./sandbox/index.js');
    const sandbox = await startSandbox({ record: false, trace: config.logLevel === 'debug' });
    closers.push(() => sandbox.close());
    overrides = { apiUrl: sandbox.url, credentials: { token: sandbox.token } };
    say(`yemot-mcp: sandbox API at ${sandbox.url} (simulated account; no units are spent; MFA codes are printed here)`);
  }
  const app = createApp(config, overrides);
  closers.unshift(() => app.close());
  const deps = { ctx: app.ctx, tools: app.tools, version: VERSION };

  if (config.mode === 'http') {
    const http = await serveHttp(deps, config.http);
    closers.unshift(() => http.close());
    say(`yemot-mcp: Streamable HTTP at ${http.url}`);
    if (!config.http.token && !isLoopbackHost(config.http.host)) {
      say('yemot-mcp: warning: listening beyond loopback without YEMOT_HTTP_TOKEN; anyone who reaches this port can use the Yemot account');
    }
  } else {
    await serveStdio(deps, () => void shutdown());
    process.stdin.on('end', () => void shutdown());
  }

  let closing = false;
  async function shutdown(): Promise<void> {
    if (closing) return;
    closing = true;
    for (const close of closers) await close().catch(() => undefined);
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  say(`yemot-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
