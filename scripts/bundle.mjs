// `npm run bundle`: builds yemot-mcp-<version>.mcpb, the MCP bundle Claude Desktop installs with a double
// click. Needs `npm run build` first (the script runs it). Usage: node scripts/bundle.mjs [output folder]
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExtension } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { drawIcon } from '../mcpb/icon.mjs';
import { buildManifest, ENTRY_POINT, ICON_FILE } from '../mcpb/manifest.mjs';
import { stageServer } from '../mcpb/stage.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const say = (text) => process.stderr.write(`${text}\n`);
const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** The staged server must start from its own node_modules and answer a tool call: pruning must not have removed what it loads. */
async function checkStarts(stage) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(stage, ENTRY_POINT), '--sandbox', '--toolsets', 'all'], cwd: stage, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'bundle-check', version: '1.0.0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
    if (!tools.length || result.isError) throw new Error(JSON.stringify(result.content));
  } catch (error) {
    throw new Error(`the staged server did not start and answer: ${error instanceof Error ? error.message : error}\n${stderr}`);
  } finally {
    await client.close();
  }
}

async function main() {
  const outDir = resolve(process.argv[2] ?? root);
  if (!existsSync(join(root, 'dist', 'tools', 'definitions.json'))) throw new Error('dist/ is not built: run `npm run build` first');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { TOOLS } = await import('../dist/tools/index.js');
  const { TOOLSET_TABLE } = await import('../dist/call/toolsets.js');
  // Outside the project: node must not find a pruned package in the project's own node_modules.
  const stage = mkdtempSync(join(tmpdir(), 'yemot-mcp-bundle-'));
  try {
    const { installedBytes, prunedBytes } = stageServer(root, stage);
    writeFileSync(join(stage, ICON_FILE), drawIcon());
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(buildManifest(pkg, TOOLS, TOOLSET_TABLE), null, 2)}\n`);
    await checkStarts(stage);
    const output = join(outDir, `${pkg.name}-${pkg.version}.mcpb`);
    if (!(await packExtension({ extensionPath: stage, outputPath: output, silent: true }))) throw new Error('mcpb pack failed (the manifest did not validate?)');
    say(`node_modules: ${megabytes(installedBytes)} installed, ${megabytes(prunedBytes)} after pruning`);
    say(`${output}: ${megabytes(statSync(output).size)}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

main().catch((error) => {
  say(`bundle: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});
