// `npm test`: the build, then vitest, with the typecheck of src, test, bench and scripts running beside them.
// The build only transpiles (esbuild); the typecheck is the one full compile, and on two cores it fits in the
// time the tests spend waiting on sockets and child processes. Its report is printed at the end, and either failure fails the run.
// Arguments go to vitest (`npm test -- test/table.test.ts`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const shell = process.platform === 'win32';

/** Runs a command; resolves with its exit code and, when `quiet`, what it printed. */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell });
    let output = '';
    if (quiet) for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

// TypeScript 7 (the native compiler): a clean pass is about 5 s of CPU where 5.9 took 27. Incremental: a second run
// on this machine checks only what changed.
const typecheck = run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit', '--incremental', '--tsBuildInfoFile', 'node_modules/.cache/yemot-mcp/tsc.tsbuildinfo'], { quiet: true });
const build = await run('npm', ['run', '--silent', 'build']);
const tests = build.code === 0 ? await run(bin('vitest'), ['run', ...process.argv.slice(2)]) : build;
const types = await typecheck;
process.stderr.write(types.code === 0 ? 'typecheck: no errors\n' : `typecheck failed:\n${types.output}`);
if (build.code !== 0) process.stderr.write('build failed: the tests did not run\n');
process.exit(tests.code || types.code);
