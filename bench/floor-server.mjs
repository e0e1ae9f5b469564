#!/usr/bin/env node
// The floor: the least an MCP server on the same SDK can do, over stdio (default) or, with --http, the SDK's
// Streamable HTTP transport (bench/sdk-host.mjs). One tool, `echo`, on the low-level Server (the API yemot-mcp
// itself uses), no zod schemas of its own, no HTTP client, no logging. Whatever yemot-mcp costs above this is its own.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { host } from './sdk-host.mjs';

const ECHO = {
  name: 'echo',
  description: 'Returns its input.',
  inputSchema: { type: 'object', properties: { message: { type: 'string' } }, additionalProperties: false },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

function floor() {
  const server = new Server({ name: 'floor', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [ECHO] }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    if (request.params.name !== 'echo') throw new Error(`Unknown tool: ${request.params.name}`);
    const text = JSON.stringify(request.params.arguments ?? {});
    return { content: [{ type: 'text', text }] };
  });
  return server;
}

await host(floor);
