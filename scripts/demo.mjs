// `npm run demo`: starts the real stdio server against its built-in sandbox and drives it with the MCP SDK client,
// with the toolsets a default install serves (no YEMOT_TOOLSETS). The story: two-factor not passed → a gated call
// refused → code sent and verified → the call succeeds → a few reads, one write, a tool that is off by default, one
// input error → a spend the person declines when asked to confirm.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(entry)) execSync('npm run build', { cwd: root, stdio: 'inherit' });

const print = (line = '') => process.stdout.write(`${line}\n`);
const short = (value, max = 300) => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [entry, '--sandbox'],
  // Two-factor starts not passed, so the flow shows. MFA_PROMPT=off: a form-capable client would
  // otherwise be asked for the code inside the gated call, and the plain refusal would not show.
  env: { ...getDefaultEnvironment(), YEMOT_SANDBOX_MFA: 'none', YEMOT_MFA_PROMPT: 'off' },
  stderr: 'pipe',
});
// Declares form elicitation, so a spend, a delete or a change callers meet at once asks the person first: this person
// agrees to the text the story writes and declines the spend.
const client = new Client({ name: 'yemot-mcp-demo', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
client.setRequestHandler(ElicitRequestSchema, ({ params }) => {
  print(`  ? the server asks the person: ${params.message.replaceAll('\n', ' ')}`);
  const agrees = params.message.startsWith('UploadTextFile');
  print(agrees ? '  ! the person agrees' : '  ! the person declines');
  return agrees ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
});
await client.connect(transport);

const { tools } = await client.listTools();
print(`Connected to ${client.getServerVersion()?.name} ${client.getServerVersion()?.version} (sandbox, default toolsets). ${tools.length} tools:`);
print(`  ${tools.map((tool) => tool.name).join(', ')}`);
print('The server tells the agent what is off:');
for (const line of (client.getInstructions() ?? '').split('\n').filter((line) => line.startsWith('- '))) print(`  ${line}`);
print();

const section = (title) => print(`# ${title}`);

async function step(name, args = {}) {
  print(`→ ${name} ${JSON.stringify(args)}`);
  const result = await client.callTool({ name, arguments: args });
  const answer = JSON.parse(result.content?.[0]?.text ?? '{}');
  print(`${result.isError ? '✗' : '←'} ${short(answer)}`);
  print();
  return { ok: !result.isError, answer };
}

/** The transcript tells a story; if the server does not play its part, say which and stop. */
async function expectStory(holds, what) {
  if (holds) return;
  process.stderr.write(`demo: ${what}\n`);
  await client.close();
  process.exit(1);
}

section('The session has not passed two-factor yet');
const status = await step('mfa_status');
await expectStory(status.answer.isPass === false, 'the sandbox started with two-factor passed (is YEMOT_SANDBOX_MFA=none read by the server?)');

section('So a gated call is refused');
const refused = await step('read_account', { command: 'GetSession' });
await expectStory(!refused.ok && refused.answer.error === 'MFA_REQUIRED', 'the gated call was not refused with MFA_REQUIRED');

section('The agent walks the two-factor flow (the sandbox answers the code too; the real API never does)');
const { answer: listed } = await step('mfa_list_methods');
const method = listed.mfaMethods?.find((candidate) => candidate.STATUS === 'ACTIVE' && candidate.SEND_TYPE?.includes('SMS'));
await expectStory(method, 'no active method can receive an SMS');
const { answer: sent } = await step('mfa_send_code', { mfaId: method.ID, mfaSendType: 'SMS' });
await expectStory(typeof sent.sandboxCode === 'string', 'the send answer carries no sandboxCode (does the --sandbox server set codesInAnswers?)');
const verified = await step('mfa_verify_code', { mfaCode: sent.sandboxCode });
await expectStory(verified.answer.mfa_valid_status === 'VALID', 'the code was not accepted');

section('The gated call now succeeds');
await step('read_account', { command: 'GetSession' });

section('A few reads and one write');
await step('get_incoming_sms', { limit: 3 });
await step('tzintuk_lists', { action: 'getlists' });
await step('read_ivr', { command: 'GetIVR2Dir', path: '/2' });
await step('write_text_file', { what: '2/000.tts', contents: 'שלום, ההודעות של היום' });

section('A tool that exists but is off in a default install: the answer says which setting turns it on');
const off = await step('get_approved_caller_ids');
await expectStory(!off.ok && off.answer.error === 'NOT_ENABLED', 'the off tool did not answer NOT_ENABLED');

section('An input error: nothing is sent');
await step('send_tts', { phones: 'not-a-number', ttsMessage: 'x', ttsRate: 99 });

section('A spend: the person is asked to confirm, and declines');
const declined = await step('send_tts', { phones: '0501234567:0527654321', ttsMessage: 'שלום, זו הודעת בדיקה' });
await expectStory(!declined.ok && declined.answer.error === 'DECLINED', 'the spend was not declined through the confirmation');

print('Done: every call above went through the real stdio server to the simulated Yemot API on 127.0.0.1.');
await client.close();
