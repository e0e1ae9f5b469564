// Lays out what the bundle runs: the built server and its production dependencies from the lock file,
// pruned to what a stdio server loads.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

/**
 * The bundle always starts the stdio server, which loads only these of the SDK's dependencies; the
 * others serve its HTTP transports (express, hono), OAuth (jose, pkce-challenge) and its client side
 * (eventsource, cross-spawn). A new one on the stdio path fails the start-up check that follows.
 */
const SDK = '@modelcontextprotocol/sdk';
const SDK_STDIO_DEPENDENCIES = ['ajv', 'ajv-formats', 'zod', 'zod-to-json-schema'];

/** Our ESM code reaches these packages through their `import` exports: their CommonJS copies never load (zod keeps its .cjs beside its .js). */
const COMMONJS_BUILDS = {
  [SDK]: ['dist/cjs'],
  'zod-to-json-schema': ['dist/cjs'],
};

/** Type declarations and TypeScript sources, source maps, docs, lint and CI files, npm's dotfiles: nothing node loads. LICENSE files stay. */
const NOT_RUNTIME_FILE = /(\.[cm]?ts|\.map|\.md|\.ya?ml)$|^\./i;
/** A package's own tests, benchmarks, examples and docs, at its root. */
const NOT_RUNTIME_FOLDER = /^(test|tests|__tests__|spec|bench|benchmarks?|examples?|docs?|\.github)$/i;

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function installProductionDependencies(root, stage) {
  cpSync(join(root, 'package.json'), join(stage, 'package.json'));
  cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
  // From the lock file, no scripts (`prepare` would build), and from the cache when it has the tarballs.
  execFileSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: stage,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
    shell: process.platform === 'win32',
  });
  rmSync(join(stage, 'package-lock.json'));
  // The command shims: nothing the server runs.
  rmSync(join(stage, 'node_modules', '.bin'), { recursive: true, force: true });
}

const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Top-level package folders the server can reach, following `dependencies` from the root. */
function reachable(modules, rootDependencies) {
  const seen = new Set();
  const visit = (name, from) => {
    // Node's lookup: the requiring package's own node_modules first, then the top level.
    const nested = from && join(from, 'node_modules', name);
    const dir = nested && existsSync(nested) ? nested : join(modules, name);
    if (seen.has(dir)) return;
    seen.add(dir);
    const dependencies = name === SDK ? SDK_STDIO_DEPENDENCIES : Object.keys(manifestOf(dir).dependencies ?? {});
    for (const dependency of dependencies) visit(dependency, dir);
  };
  for (const name of rootDependencies) visit(name);
  return new Set([...seen].filter((dir) => dirname(dir) === modules || dirname(dirname(dir)) === modules).map((dir) => relative(modules, dir).split(sep).join('/')));
}

function topLevelPackages(modules) {
  return readdirSync(modules)
    .filter((entry) => !entry.startsWith('.'))
    .flatMap((entry) => (entry.startsWith('@') ? readdirSync(join(modules, entry)).map((name) => `${entry}/${name}`) : [entry]));
}

function removeFiles(dir, matches) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeFiles(path, matches);
    else if (matches(entry.name) && !/^licen[cs]e/i.test(entry.name)) rmSync(path);
  }
}

/** Removes NOT_RUNTIME_FOLDER folders at the root of every package under dir, nested ones included. */
function removePackageExtras(dir) {
  const isPackageRoot = existsSync(join(dir, 'package.json'));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (isPackageRoot && NOT_RUNTIME_FOLDER.test(entry.name)) rmSync(join(dir, entry.name), { recursive: true });
    else removePackageExtras(join(dir, entry.name));
  }
}

function removeEmptyFolders(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  if (readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
}

function prune(stage, rootDependencies) {
  const modules = join(stage, 'node_modules');
  const kept = reachable(modules, rootDependencies);
  for (const name of topLevelPackages(modules)) if (!kept.has(name)) rmSync(join(modules, name), { recursive: true });
  for (const scope of readdirSync(modules).filter((entry) => entry.startsWith('@'))) removeEmptyFolders(join(modules, scope));
  for (const [name, folders] of Object.entries(COMMONJS_BUILDS)) for (const folder of folders) rmSync(join(modules, name, folder), { recursive: true, force: true });
  removeFiles(join(modules, 'zod'), (file) => file.endsWith('.cjs'));
  removePackageExtras(modules);
  removeFiles(modules, (file) => NOT_RUNTIME_FILE.test(file));
  removeEmptyFolders(modules);
}

/** Bytes of every file under dir. */
export function folderSize(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? folderSize(path) : statSync(path).size);
  }, 0);
}

/**
 * Fills `stage` with dist/, a package.json that keeps `"type": "module"`, and the pruned node_modules.
 * Returns the size of node_modules before and after pruning.
 */
export function stageServer(root, stage) {
  const pkg = manifestOf(root);
  installProductionDependencies(root, stage);
  const installedBytes = folderSize(join(stage, 'node_modules'));
  prune(stage, Object.keys(pkg.dependencies));
  const prunedBytes = folderSize(join(stage, 'node_modules'));
  cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true, filter: (source) => !NOT_RUNTIME_FILE.test(basename(source)) });
  const { name, version, description, license, type, dependencies } = pkg;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ name, version, description, license, type, dependencies }, null, 2)}\n`);
  return { installedBytes, prunedBytes };
}
