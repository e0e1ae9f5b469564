import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';

/** The JSON answer of a simulator command, read loosely by tests. */
export type Answer = Record<string, any>;

/** One quiet simulator per test file, reset to the demo account before each test (a live binding for importers). */
export let sandbox: Sandbox;

export function useDemoSandbox(): void {
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());
}
