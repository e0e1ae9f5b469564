// `npm run demo`: starts the real stdio server against its built-in sandbox and drives it with the MCP SDK client.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(entry)) execSync('npm run build', { cwd: root, stdio: 'inherit' });

const print = (line = '') => process.stdout.write(`${line}\n`);
const short = (value, max = 300) => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const transport = new StdioClientTransport({ command: process.execPath, args: [entry, '--sandbox', '--toolsets', 'all'], stderr: 'pipe' });
const client = new Client({ name: 'yemot-mcp-demo', version: '1.0.0' });
await client.connect(transport);

const { tools } = await client.listTools();
print(`Connected to ${client.getServerVersion()?.name} ${client.getServerVersion()?.version} (sandbox). ${tools.length} tools:`);
print(`  ${tools.map((tool) => tool.name).join(', ')}`);
print();

async function step(name, args = {}) {
  print(`→ ${name} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args });
  const text = result.content?.[0]?.text ?? '';
  print(`${result.isError ? '✗' : '←'} ${short(JSON.parse(text))}`);
  print();
}

await step('mfa_status');
await step('get_approved_caller_ids');
await step('list_sip_accounts');
await step('get_incoming_sms', { limit: 3 });
await step('list_queue_callbacks', { action: 'getQueues' });
await step('create_sip_account', { extNumber: 230 });
await step('get_sip_registration_status');
await step('send_tts', { phones: 'not-a-number', ttsMessage: 'x', ttsRate: 99 });
await step('mfa_list_trust', { action: 'getMFATrustIps' });

print('Done: every call above went through the real stdio server to the simulated Yemot API on 127.0.0.1.');
await client.close();
