import { defineConfig } from 'vitest/config';

/**
 * Tests that start processes (the built server over stdio or HTTP, npm pack, the inspector, the conformance
 * suite, Chromium showing the built views) or put the machine under load need `npm run build` first and mostly wait on child processes: they run
 * as their own project, beside the in-process tests. `npm test` runs both (after the build); `vitest run
 * --project unit` runs only the in-process ones.
 */
const PROCESS_TESTS = [
  'test/pack.test.ts',
  'test/inspector.test.ts',
  'test/conformance.test.ts',
  'test/load.test.ts',
  'test/stdio.e2e.test.ts',
  'test/stdio-hostile.test.ts',
  'test/http.e2e.test.ts',
  'test/bundle.test.ts',
  'test/http-memory.test.ts',
  'test/transfer-memory.test.ts',
  'test/nginx.test.ts',
  'test/ledger-restart.test.ts',
  'test/redis-store.test.ts',
  'test/fleet.test.ts',
  'test/views.browser.test.ts',
];

/**
 * Tests that need modules of their own: one replaces a module (vi.mock), one times scrubs against the process-wide
 * secrets registry, which the other files of a shared worker fill.
 */
const ISOLATED_TESTS = ['test/local-files.test.ts', 'test/secrets-encodings.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A poll waits for a child process's answer: on a busy 2-core machine that can take seconds, not vitest's 1 s.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // Most test time is spent waiting on sockets, timers and child processes, not on the CPU:
    // more files at once than cores (vitest's default is cores - 1, one file at a time on 2 cores).
    maxWorkers: 4,
    projects: [
      // Files of one worker share loaded modules (each file still gets fresh servers and sandboxes of its own):
      // importing the server once per worker instead of once per file halves the suite's CPU.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...PROCESS_TESTS, ...ISOLATED_TESTS], isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED_TESTS } },
      { extends: true, test: { name: 'processes', include: PROCESS_TESTS } },
    ],
  },
});
