import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  mcpName: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const serverJson = JSON.parse(readFileSync(join(root, 'server.json'), 'utf8')) as {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: Array<{
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: Array<{ name: string; description: string; isSecret?: boolean; isRequired?: boolean }>;
  }>;
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], cwd: string, timeout: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

describe('server.json for the MCP registry', () => {
  it('matches package.json and the registry rules', () => {
    expect(serverJson.$schema).toBe('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    expect(serverJson.name).toBe(pkg.mcpName);
    expect(serverJson.name).toMatch(/^io\.github\.[a-zA-Z0-9-]+\/[a-zA-Z0-9._-]+$/);
    expect(serverJson.description.length).toBeGreaterThan(0);
    expect(serverJson.description.length).toBeLessThanOrEqual(100);
    expect(serverJson.version).toBe(pkg.version);
    expect(serverJson.packages).toHaveLength(1);
    const [npmPackage] = serverJson.packages;
    expect(npmPackage).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(npmPackage.version).not.toBe('latest');
  });

  it('flags the credentials as secrets, and only them, and names only variables the server reads', () => {
    const variables = new Map(serverJson.packages[0].environmentVariables.map((variable) => [variable.name, variable]));
    expect(variables.get('YEMOT_TOKEN')?.isSecret).toBe(true);
    expect(variables.get('YEMOT_PASSWORD')?.isSecret).toBe(true);
    for (const name of ['YEMOT_USERNAME', 'YEMOT_API_URL', 'YEMOT_TOOLSETS', 'YEMOT_READ_ONLY']) expect(variables.get(name)?.isSecret, name).toBe(false);
    const config = readFileSync(join(root, 'src/config.ts'), 'utf8');
    for (const variable of variables.values()) {
      expect(config, variable.name).toContain(`env.${variable.name}`);
      expect(variable.description.length, variable.name).toBeGreaterThan(0);
      if (variable.name !== 'YEMOT_TOKEN' && variable.name !== 'YEMOT_PASSWORD') expect(variable.isSecret, variable.name).toBe(false);
    }
  });
});

describe('the npm package, packed and installed', { timeout: 120_000 }, () => {
  let work: string;
  let tarball: string;
  let files: Array<{ path: string }>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'yemot-mcp-pack-'));
    // Pack a copy of the tree as `npm test` built it (dist/ included): `prepare` would only rebuild the same dist/.
    const copy = join(work, 'project');
    cpSync(root, copy, {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.git|coverage|\.tmp)$/.test(source) && !source.endsWith('.tgz'),
    });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const out = join(work, 'out');
    mkdirSync(out);
    const { stdout } = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', out], copy, 90_000);
    const report = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(report).toHaveLength(1);
    tarball = join(out, report[0].filename);
    files = report[0].files;
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('holds only what runs: dist/, README.md and README.he.md (the README links it), package.json, server.json', () => {
    expect(readdirSync(join(work, 'out'))).toEqual([tarball.split(/[/\\]/).pop()]);
    const paths = files.map((file) => file.path).sort();
    for (const path of paths) expect(path, path).toMatch(/^(dist\/.+\.js|dist\/tools\/definitions\.json|dist\/views\/[a-z-]+\.html|README(\.he)?\.md|package\.json|server\.json|LICENSE)$/);
    const views = ['dist/views/ivr-tree.html', 'dist/views/campaign.html', 'dist/views/confirm.html'];
    for (const path of ['dist/main.js', 'dist/server.js', 'dist/sandbox/index.js', 'dist/tools/definitions.json', ...views, 'README.md', 'README.he.md', 'package.json', 'server.json']) expect(paths).toContain(path);
    expect(paths.some((path) => /^(src|test|node_modules|bench|scripts|\.ci)\//.test(path))).toBe(false);
    expect(paths).toContain(pkg.bin['yemot-mcp']);
  });

  it('installs from the tarball and serves tools over stdio against its sandbox', async () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-smoke', version: '1.0.0', private: true }));
    await run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', tarball], app, 110_000);
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', pkg.name, 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(pkg.version);
    // npm marks the bin executable on install; it only needs the shebang.
    expect(readFileSync(join(app, 'node_modules', pkg.name, pkg.bin['yemot-mcp']), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const deps = readdirSync(join(app, 'node_modules'));
    expect(deps).not.toContain('vitest');
    expect(deps).not.toContain('typescript');

    const transport = new StdioClientTransport({ command: join(app, 'node_modules', '.bin', 'yemot-mcp'), args: ['--sandbox', '--toolsets', 'all'], cwd: app, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'pack-smoke', version: '1.0.0' });
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'yemot-mcp', version: pkg.version });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('get_approved_caller_ids');
      const result = await client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
      const text = (result.content as Array<{ text: string }>)[0].text;
      expect(result.isError, `${text}\n${stderr}`).toBeFalsy();
      expect((result.structuredContent as Record<string, unknown>).call).toBeDefined();
      expect(stderr).toContain('sandbox API at http://127.0.0.1:');
    } finally {
      await client.close();
    }
  });
});
