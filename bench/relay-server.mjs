#!/usr/bin/env node
// A diagnostic reference, not the floor: the least a server can do to answer get_approved_caller_ids.
// One tool that POSTs `token=…` to GetApprovedCallerIDs with undici (keep-alive pool of 6) and returns the answer
// as text and as structuredContent, like yemot-mcp, with no validation, policy, two-factor gate, masking or timeouts.
// Reads RELAY_API_URL and RELAY_TOKEN. Over stdio by default; with --http, over the SDK's Streamable HTTP transport
// (bench/sdk-host.mjs). Used by bench/run.mjs to split yemot-mcp's per-call overhead into "what any MCP relay costs"
// and "what yemot-mcp's own code adds".
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Agent, request } from 'undici';
import { host } from './sdk-host.mjs';

const url = `${process.env.RELAY_API_URL}GetApprovedCallerIDs`;
const body = `token=${encodeURIComponent(process.env.RELAY_TOKEN ?? '')}`;
const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 6 });

const TOOL = {
  name: 'get_approved_caller_ids',
  description: 'GetApprovedCallerIDs, relayed.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
};

function relay() {
  const server = new Server({ name: 'relay', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [TOOL] }));
  server.setRequestHandler(CallToolRequestSchema, async () => {
    const response = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const answer = await response.body.json();
    return { content: [{ type: 'text', text: JSON.stringify(answer) }], structuredContent: answer };
  });
  return server;
}

await host(relay);
