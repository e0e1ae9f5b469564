// How the bench's reference servers (floor, relay) are served: over stdio, or with --http over the SDK's Streamable
// HTTP transport as its documentation shows it (one transport and one server per session, on 127.0.0.1, a free port),
// the address printed as the first line of stdout. Only what a server needs is imported for each.
export async function host(makeServer) {
  if (!process.argv.includes('--http')) {
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    await makeServer().connect(new StdioServerTransport());
    process.stdin.on('end', () => process.exit(0));
    return;
  }
  const [{ createServer }, { randomUUID }, { StreamableHTTPServerTransport }] = await Promise.all([
    import('node:http'),
    import('node:crypto'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  ]);
  const sessions = new Map();
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    let transport = sessions.get(req.headers['mcp-session-id']);
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (id) => sessions.set(id, transport) });
      await makeServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
  http.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${http.address().port}/mcp\n`));
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
