import { afterEach, describe, expect, it } from 'vitest';
import { RedisStore } from '../src/app/redis-store.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { CONFIRMED } from './confirmed-examples.js';
import { startHarness, type Harness } from './harness.js';
import { freePort } from './nginx-proxy.js';

/**
 * Issue 32: the fleet's store does not answer (here a real RedisStore aimed at a loopback port nothing listens on,
 * so this runs wherever redis-server is missing; test/redis-store.test.ts stops a real one). Nothing whose
 * promise needs the store is sent; reads go on.
 */

const KEY = 'k'.repeat(32);
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function deadStore(warnings: string[] = []): Promise<RedisStore> {
  return new RedisStore({ host: '127.0.0.1', port: await freePort(), tls: false }, { warn: (line) => void warnings.push(line) });
}

describe('a fleet store that does not answer', () => {
  it('refuses every spend, delete and irreversible call of the table with STORE_UNAVAILABLE, sends none, and answers reads', async () => {
    const warnings: string[] = [];
    harness = await startHarness({ sandbox: { mfa: 'hard' }, store: await deadStore(warnings) });
    expect(CONFIRMED.map(({ spec }) => spec.name)).toEqual(expect.arrayContaining(['send_sms', 'delete_files', 'set_password']));
    for (const { spec, args, command } of CONFIRMED) {
      const before = harness.sandbox.requests.length;
      const refused = await harness.call(spec.name, args);
      expect(refused.json.error, `${spec.name} ${refused.text}`).toBe('STORE_UNAVAILABLE');
      expect(String(refused.json.next)).toMatch(/^Nothing was sent\..*reads still work/);
      expect(harness.since(before).filter((request) => request.command === command), spec.name).toEqual([]);
    }
    const read = await harness.call('read_account', { command: 'GetSession' });
    expect(read.isError, read.text).toBe(false);
    // Told once, to the operator, with the address; the agent's message names none.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Redis at 127\.0\.0\.1:\d+ does not answer \(cannot connect to .*ECONNREFUSED.*\): spends, deletes and irreversible calls are refused/);
  });

  it('asks nobody about a call that cannot go: a client with forms sees no form', async () => {
    let asked = 0;
    harness = await startHarness({
      store: await deadStore(),
      capabilities: { elicitation: { form: {} } },
      onElicit: () => {
        asked += 1;
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const refused = await harness.call('delete_files', { what: ['2/000.wav'] });
    expect(refused.json.error).toBe('STORE_UNAVAILABLE');
    expect(asked).toBe(0);
    expect(harness.sandbox.requests.filter((request) => request.command === 'FileAction')).toEqual([]);
  });
});

describe('YEMOT_REDIS_URL', () => {
  it('needs YEMOT_CONFIRM_KEY: refused at start-up, naming both', () => {
    expect(() => loadConfig(['--http'], { YEMOT_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(ConfigError);
    expect(() => loadConfig(['--http'], { YEMOT_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/YEMOT_REDIS_URL needs YEMOT_CONFIRM_KEY/);
    const config = loadConfig(['--http'], { YEMOT_REDIS_URL: 'rediss://app:pa%40ss@redis.internal:6380/2', YEMOT_CONFIRM_KEY: KEY });
    expect(config.redis).toEqual({ host: 'redis.internal', port: 6380, tls: true, username: 'app', password: 'pa@ss', db: 2 });
  });

  it('names what is wrong with a URL without repeating it: it may hold a password', () => {
    for (const url of ['http://:SECRET-pw-31@host:6379', 'redis://:SECRET-pw-31@host:6379/x', 'redis://:SECRET-pw-31@host:6379?db=1', 'SECRET-pw-31']) {
      let message = '';
      try {
        loadConfig([], { YEMOT_REDIS_URL: url, YEMOT_CONFIRM_KEY: KEY });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).toMatch(/^YEMOT_REDIS_URL /);
      expect(message).not.toContain('SECRET');
    }
  });
});
