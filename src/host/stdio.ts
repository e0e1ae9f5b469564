import { serveTransport, type Served, type ServerDeps } from '../server.js';
import { StdioTransport } from './stdio-transport.js';

/** MCP over stdin/stdout; `onHangup` runs when the client goes away (stdin ends, or stdout is closed). */
export async function serveStdio(deps: ServerDeps, onHangup: () => void): Promise<Served> {
  const transport = new StdioTransport();
  transport.onhangup = onHangup;
  const served = await serveTransport(deps, transport);
  return {
    close: async (graceMs) => {
      await served.close(graceMs);
      await transport.flush();
    },
  };
}
