import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMcpConfigForManifest, unpackExtension, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../src/tools/index.js';
import { DEFAULT_TOOLSETS, TOOLSET_TABLE, TOOLSETS } from '../src/call/toolsets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };

type Manifest = McpbManifestAny & {
  tools: Array<{ name: string; description: string }>;
  user_config: Record<string, { type: string; title: string; description: string; sensitive?: boolean; default?: unknown }>;
  compatibility: { platforms: string[]; runtimes: { node: string } };
};

function run(args: string[], timeout: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, timeout, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`node ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

/** Every file under dir, relative, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

let work: string;
let bundle: string;
let unpacked: string;
let manifest: Manifest;
let buildLog: string;

// Built once per run, into a temporary folder: the unpacked copy lives outside the project, so node cannot
// fall back on the project's own node_modules for a package the bundle lacks.
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'yemot-mcp-bundle-test-'));
  const out = join(work, 'out');
  buildLog = (await run([join(root, 'scripts', 'bundle.mjs'), out], 150_000)).stderr;
  expect(readdirSync(out)).toEqual([`${pkg.name}-${pkg.version}.mcpb`]);
  bundle = join(out, `${pkg.name}-${pkg.version}.mcpb`);
  unpacked = join(work, 'installed');
  expect(await unpackExtension({ mcpbPath: bundle, outputDir: unpacked, silent: true })).toBe(true);
  manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the bundle manifest', () => {
  it('passes `mcpb validate`', async () => {
    const { stdout } = await run([join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js'), 'validate', join(unpacked, 'manifest.json')], 30_000);
    expect(stdout).toContain('Manifest schema validation passes');
  });

  it('describes the package: name, version, description, license, Node range, platforms, a 512×512 PNG icon', () => {
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license });
    expect(manifest.compatibility).toEqual({ platforms: ['darwin', 'win32', 'linux'], runtimes: { node: pkg.engines.node } });
    const icon = readFileSync(join(unpacked, manifest.icon as string));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
    expect(icon.length).toBeLessThan(16 * 1024);
  });

  // Issue 29: it listed all 78 while a default install served 26.
  it('lists exactly the tools a default install serves, and says which setting serves the rest', () => {
    const served = TOOLS.filter((tool) => DEFAULT_TOOLSETS.includes(tool.toolset));
    expect(manifest.tools).toEqual(served.map((tool) => ({ name: tool.name, description: tool.summary })));
    expect(manifest.tools_generated).toBe(true);
    const long = String(manifest.long_description);
    expect(long).toContain(`serves the ${served.length} tools`);
    expect(long).toContain('"Tool groups"');
    for (const toolset of TOOLSETS.filter((name) => !TOOLSET_TABLE[name].default)) expect(long, toolset).toContain(`\`${toolset}\`: ${TOOLSET_TABLE[toolset].summary}`);
    expect(manifest.user_config.toolsets.description).toContain(`all (${TOOLS.length} tools)`);
  });

  it('recommends number and password, and says where a token comes from and that it expires', () => {
    const { username, token } = manifest.user_config as Record<string, { description: string; title: string }>;
    expect(username.description).toMatch(/recommended/);
    expect(token.title).toMatch(/only if/);
    expect(token.description).toMatch(/Login.*30 minutes without a call/);
  });

  it('maps every setting to the YEMOT_* variable the server reads, the credentials marked sensitive', async () => {
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: homedir() },
      pathSeparator: sep,
      userConfig: { username: '0770000000', password: 'pw-1', token: 'tk-1', sandbox: true, allow: 'read,write', read_only: false, toolsets: 'all', files_dir: '/srv/yemot' },
    });
    expect(config?.env).toEqual({
      YEMOT_USERNAME: '0770000000',
      YEMOT_PASSWORD: 'pw-1',
      YEMOT_TOKEN: 'tk-1',
      YEMOT_SANDBOX: 'true',
      YEMOT_ALLOW: 'read,write',
      YEMOT_READ_ONLY: 'false',
      YEMOT_TOOLSETS: 'all',
      YEMOT_FILES_DIR: '/srv/yemot',
    });
    const source = readFileSync(join(root, 'src', 'config.ts'), 'utf8');
    for (const variable of Object.keys(config?.env ?? {})) expect(source, variable).toContain(`env.${variable}`);
    const sensitive = Object.entries(manifest.user_config).filter(([, option]) => option.sensitive).map(([key]) => key);
    expect(sensitive.sort()).toEqual(['password', 'token']);
    expect(manifest.user_config.files_dir.type).toBe('directory');
  });
});

describe('the bundle, unpacked and started the way the manifest says', () => {
  async function start(userConfig: Record<string, string | boolean>) {
    const config = await getMcpConfigForManifest({ manifest, extensionPath: unpacked, systemDirs: { HOME: homedir() }, pathSeparator: sep, userConfig });
    if (!config) throw new Error('no launch config');
    const transport = new StdioClientTransport({ command: config.command, args: config.args, env: { PATH: process.env.PATH ?? '', ...config.env }, cwd: work, stderr: 'pipe' });
    const log = { stderr: '' };
    transport.stderr?.on('data', (chunk: Buffer) => (log.stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'bundle-test', version: '1.0.0' });
    await client.connect(transport);
    return { config, client, log };
  }

  it('with only "sandbox" ticked (every other field left blank) starts, lists the default tools and answers a call', async () => {
    const { config, client, log } = await start({ sandbox: true });
    try {
      expect(config.command).toBe('node');
      expect(config.args).toEqual([`${unpacked}/dist/main.js`]);
      // A blank field without a default would reach the server as the literal "${user_config.…}".
      for (const [variable, value] of Object.entries(config.env ?? {})) expect(value, variable).not.toContain('${');
      expect(client.getServerVersion()).toMatchObject({ name: pkg.name, version: pkg.version });
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names.sort()).toEqual(manifest.tools.map((tool) => tool.name).sort());
      expect(names).not.toContain('create_sip_account');
      const result = await client.callTool({ name: 'read_account', arguments: { command: 'GetSession' } });
      const text = (result.content as Array<{ text: string }>)[0].text;
      expect(result.isError, `${text}\n${log.stderr}`).toBeFalsy();
      expect((result.structuredContent as Record<string, unknown>).units).toBeTypeOf('number');
      expect(log.stderr).toContain('sandbox API at http://127.0.0.1:');
    } finally {
      await client.close();
    }
  });

  it('with "all" tool groups serves every tool of the table; read-only removes the spend tools', async () => {
    const all = await start({ sandbox: true, toolsets: 'all' });
    try {
      const names = (await all.client.listTools()).tools.map((tool) => tool.name);
      expect(names.sort()).toEqual(TOOLS.map((tool) => tool.name).sort());
    } finally {
      await all.client.close();
    }
    const readOnly = await start({ sandbox: true, toolsets: 'all', read_only: true });
    try {
      const names = (await readOnly.client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('get_approved_caller_ids');
      expect(names).not.toContain('send_tts');
    } finally {
      await readOnly.client.close();
    }
  });
});

describe('the bundle contents', () => {
  it('hold the server, the manifest, the icon and production packages only: no dev dependency, no test file', () => {
    const files = filesUnder(unpacked);
    const topLevel = [...new Set(files.map((file) => file.split('/')[0]))].sort();
    expect(topLevel).toEqual(['dist', 'icon.png', 'manifest.json', 'node_modules', 'package.json']);
    expect(files).toContain('dist/main.js');
    expect(files).toContain('dist/tools/definitions.json');

    const packages = new Set(files.filter((file) => file.startsWith('node_modules/')).map((file) => file.match(/^(node_modules\/(?:@[^/]+\/)?[^/]+)/)![1]));
    for (const name of ['@modelcontextprotocol/sdk', 'undici', 'zod']) expect(packages).toContain(`node_modules/${name}`);
    // A dev dependency the runtime needs too (ajv, for the SDK) is in the lock file as a production package.
    const devOnly = Object.keys(pkg.devDependencies).filter((name) => lock.packages[`node_modules/${name}`]?.dev);
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'typescript', '@types/node', '@anthropic-ai/mcpb']));
    for (const name of devOnly) expect(packages, name).not.toContain(`node_modules/${name}`);
    for (const path of packages) {
      expect(path).not.toMatch(/^node_modules\/@types\//);
      expect(lock.packages[path], path).toBeDefined();
      expect(lock.packages[path].dev, path).toBeFalsy();
    }
    for (const file of files) {
      expect(file).not.toMatch(/(^|\/)(test|tests|__tests__|spec)\/|\.(test|spec)\.[cm]?[jt]s$/);
      expect(file).not.toMatch(/\.([cm]?ts|map)$/);
    }
  });

  it('stays small: the pruned bundle is under 2 MB', () => {
    const bytes = statSync(bundle).size;
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect(buildLog).toContain(`${(bytes / 1024 / 1024).toFixed(2)} MB`);
  });
});
