import type { AppOverrides } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { serveHttp, type HttpHosting } from '../src/host/http-host.js';
import { Logger } from '../src/core/log.js';
import type { Sandbox } from '../src/sandbox/index.js';
import type { ServerDeps } from '../src/server.js';
import { OneTimeLinks } from '../src/app/one-time-links.js';
import { tenantHosting } from '../src/host/tenants.js';

/** Tenant mode in this process, for the tests of tenants and of attacks on them. */

export const loginHeaders = (account: { username: string; password: string }) => ({ 'x-yemot-username': account.username, 'x-yemot-password': account.password });

export /** A tenant-mode host in this process over `sandbox`; `watch` sees every session's deps as it opens. */
async function tenantHost(sandbox: Sandbox, env: Record<string, string> = {}, overrides: AppOverrides = {}, watch: (deps: ServerDeps) => void = () => undefined) {
  const lines: string[] = [];
  const config = loadConfig(['--http', '--tenant-credentials', '--toolsets', 'all'], env);
  const links = new OneTimeLinks({ apiUrl: async () => sandbox.url });
  const hosting = tenantHosting({ config, overrides: { apiUrl: sandbox.url, ...overrides }, links, log: new Logger('debug', (line) => void lines.push(line)) });
  const watched: HttpHosting = {
    ...hosting,
    open: async (request) => {
      const opened = await hosting.open(request);
      if ('deps' in opened) watch(opened.deps);
      return opened;
    },
  };
  return { handle: await serveHttp(watched, { ...config.http, port: 0 }), lines };
}
