import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../src/app/local-store.js';
import { KEY_PREFIX, REDIS_DEADLINE_MS, RedisStore } from '../src/app/redis-store.js';
import { RespConnection } from '../src/app/resp.js';
import { OneTimeLinks } from '../src/app/one-time-links.js';
import type { PromiseStore } from '../src/call/store.js';
import { YemotError } from '../src/client/errors.js';
import { startHarness } from './harness.js';
import { redisServerPath, startRedis, type Redis } from './redis-server.js';
import { IN_CI } from './system-parts.js';

/**
 * Issue 32: the store of a fleet on a real redis-server (Debian's, installed by .ci/run; started here on a free
 * loopback port without persistence, stopped after). Where it is missing these tests are skipped (on CI they fail), as
 * test/nginx.test.ts is without nginx; test/store-unavailable.test.ts covers a Redis that does not answer anywhere.
 */

const address = (redis: Redis, password?: string) => ({ host: '127.0.0.1', port: redis.port, tls: false, password });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function failure(operation: Promise<unknown>): Promise<YemotError> {
  const error = await operation.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(YemotError);
  return error as YemotError;
}

/** What every store promises; two handles stand for two instances of a fleet (one handle for a process-local store). */
function contract(name: string, open: () => Promise<[PromiseStore, PromiseStore]>) {
  describe(`${name}: the promise store contract`, () => {
    let one: PromiseStore;
    let two: PromiseStore;
    beforeAll(async () => {
      [one, two] = await open();
    });

    it('of 50 claims of one key at once, from both handles, one wins and every other hears its value', async () => {
      const claims = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).claim('contested', `claimant-${i}`, 60_000)));
      const winners = claims.map((held, i) => (held === undefined ? i : -1)).filter((i) => i >= 0);
      expect(winners).toHaveLength(1);
      expect(new Set(claims.filter(Boolean))).toEqual(new Set([`claimant-${winners[0]}`]));
      expect(await two.get('contested')).toBe(`claimant-${winners[0]}`);
    });

    it('releases a key only for the value it holds, once', async () => {
      await one.put('held', 'mine', 60_000);
      expect(await two.release('held', 'not-mine')).toBe(false);
      expect(await two.get('held')).toBe('mine');
      const taken = await Promise.all([one.release('held', 'mine'), two.release('held', 'mine')]);
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(await one.get('held')).toBeUndefined();
    });

    it('counts: 100 additions at once from both handles end at 100, each answered a different number', async () => {
      const numbers = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).count('counted', 60_000)));
      expect(new Set(numbers).size).toBe(100);
      expect(Math.max(...numbers)).toBe(100);
    });

    it('forgets a key after its time, and a claim of it then wins', async () => {
      await one.put('brief', 'x', 50);
      expect(await two.get('brief')).toBe('x');
      await pause(150);
      expect(await two.get('brief')).toBeUndefined();
      expect(await two.claim('brief', 'y', 60_000)).toBeUndefined();
    });
  });
}

contract('LocalStore', async () => {
  const store = new LocalStore();
  return [store, store];
});

describe.skipIf(!redisServerPath && !IN_CI)('Redis (YEMOT_REDIS_URL)', () => {
  let redis: Redis;
  const stores: RedisStore[] = [];
  const store = (password?: string, warn?: (line: string) => void) => {
    const made = new RedisStore(address(redis, password), { warn });
    stores.push(made);
    return made;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const made of stores) made.close();
    await redis?.stop();
  });

  contract('RedisStore', async () => [store(), store()]);

  it('keeps every key under yemot-mcp:, and one-time links sealed: another instance with the fleet key serves each once, another key not at all', async () => {
    const TOKEN = 'SEALED-session-token-7f3a91c2';
    const PASSWORD = 'SEALED-sip-password-2b7e';
    const secret = 's'.repeat(40);
    const made = new OneTimeLinks({ apiUrl: async () => 'https://vendor.example/ym/api/', instance: 'a', store: store(), secret });
    const other = new OneTimeLinks({ apiUrl: async () => 'https://vendor.example/ym/api/', instance: 'b', store: store(), secret });
    const stranger = new OneTimeLinks({ apiUrl: async () => 'https://vendor.example/ym/api/', store: store(), secret: 'x'.repeat(40) });
    made.servedAt('https://mcp.example.test');
    const verify = await made.create(TOKEN);
    const reveal = await made.reveal(PASSWORD, 'Your new SIP password');
    const raw = new RespConnection(address(redis), 1000);
    try {
      const keys = (await raw.command(['KEYS', '*'])) as string[];
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((key) => key.startsWith(KEY_PREFIX))).toBe(true);
      for (const [link, secretText] of [[verify, TOKEN], [reveal, PASSWORD]]) {
        const sealed = String(await raw.command(['GET', `${KEY_PREFIX}link:${link.slice(link.lastIndexOf('/') + 1)}`]));
        expect(sealed.length).toBeGreaterThan(secretText.length);
        for (const form of [secretText, encodeURIComponent(secretText), Buffer.from(secretText).toString('base64'), Buffer.from(secretText).toString('base64url')]) expect(sealed).not.toContain(form);
      }
    } finally {
      raw.close();
    }
    const served = async (links: OneTimeLinks, link: string, method: string) => {
      const server = (await import('node:http')).createServer((req, res) => void links.answer(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        return await new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: new URL(link).pathname, method }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
          });
          req.on('error', reject);
          req.end();
        });
      } finally {
        server.close();
      }
    };
    for (const link of [verify, reveal]) expect((await served(stranger, link, 'GET')).status).toBe(404);
    expect((await served(other, verify, 'GET')).status).toBe(200);
    const redirect = await served(other, verify, 'POST');
    expect(redirect.status).toBe(303);
    expect(new URL(String(redirect.location)).searchParams.get('ymapitoken')).toBe(TOKEN);
    expect((await served(made, verify, 'POST')).status).toBe(404);
    const shown = await served(other, reveal, 'POST');
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(PASSWORD);
    const again = await served(made, reveal, 'POST');
    expect(again.status).toBe(404);
    expect(again.body).not.toContain(PASSWORD);
  });

  it('refuses with STORE_UNAVAILABLE at once while Redis is stopped, and the same store works when it is back', async () => {
    const own = await startRedis();
    const warnings: string[] = [];
    const fleet = new RedisStore(address(own), { warn: (line) => void warnings.push(line) });
    try {
      await fleet.put('before', '1', 60_000);
      await own.stop();
      const started = Date.now();
      expect((await failure(fleet.claim('during', '1', 60_000))).code).toBe('STORE_UNAVAILABLE');
      expect((await failure(fleet.ready())).code).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(REDIS_DEADLINE_MS);
      await own.start();
      await expect.poll(() => fleet.claim('after', '1', 60_000).then(() => true, () => false), { timeout: 5_000, interval: 100 }).toBe(true);
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/does not answer/);
      expect(warnings[1]).toMatch(/answers again/);
    } finally {
      fleet.close();
      await own.stop();
    }
  });

  it('answers STORE_UNAVAILABLE within its deadline while Redis hangs, and recovers when it goes on', async () => {
    const own = await startRedis();
    const fleet = new RedisStore(address(own));
    try {
      await fleet.ready();
      own.pause();
      const started = Date.now();
      const refused = await Promise.all([fleet.get('k'), fleet.claim('k', 'v', 60_000), fleet.ready()].map(failure));
      expect(refused.map((error) => error.code)).toEqual(['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
      expect(Date.now() - started).toBeLessThan(REDIS_DEADLINE_MS + 500);
      own.resume();
      await expect.poll(() => fleet.claim('k', 'v', 60_000).then(() => true, () => false), { timeout: 5_000, interval: 100 }).toBe(true);
    } finally {
      fleet.close();
      await own.stop();
    }
  });

  it('is not STORE_UNAVAILABLE when its own instance is busy: an answer that arrived while the event loop was held up past the deadline is read', async () => {
    const warnings: string[] = [];
    const busy = new RedisStore(address(redis), { deadlineMs: 100, warn: (line) => void warnings.push(line) });
    stores.push(busy);
    await busy.put('busy', 'kept', 60_000);
    const answer = busy.get('busy');
    // One turn of the microtask queue: the command is written; then the CPU is held three deadlines long.
    await null;
    const until = Date.now() + 300;
    while (Date.now() < until);
    expect(await answer).toBe('kept');
    expect(warnings).toEqual([]);
  });

  it('opens with the password of the URL; a wrong one is STORE_UNAVAILABLE, and no message or warning holds a password', async () => {
    const PASSWORD = 'redis-REQUIREPASS-canary-41d9';
    const WRONG = 'redis-WRONGPASS-canary-0c7e';
    const own = await startRedis(['--requirepass', PASSWORD]);
    const warnings: string[] = [];
    const right = new RedisStore(address(own, PASSWORD));
    const wrong = new RedisStore(address(own, WRONG), { warn: (line) => void warnings.push(line) });
    try {
      expect(await right.claim('k', 'v', 60_000)).toBeUndefined();
      const refused = await failure(wrong.get('k'));
      expect(refused.code).toBe('STORE_UNAVAILABLE');
      expect(warnings.join(' ')).toMatch(/WRONGPASS/);
      for (const text of [JSON.stringify(refused.toJSON()), ...warnings]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(WRONG);
      }
    } finally {
      right.close();
      wrong.close();
      await own.stop();
    }
  });

  it('a spend answered while Redis is down is answered as sent, and the operator is told the ledger missed how it ended', async () => {
    const own = await startRedis();
    const fleet = new RedisStore(address(own));
    // The simulator holds its answer long enough for Redis to be stopped meanwhile, even on a loaded machine.
    const harness = await startHarness({ store: fleet, sandbox: { latencyMs: 1_000 } });
    try {
      const SMS = { message: 'נשלחה כשהמאגר נפל', phones: '0501234567' };
      const sending = harness.call('send_sms', SMS);
      await expect.poll(() => harness.sandbox.requests.some((request) => request.command === 'SendSms'), { timeout: 20_000, interval: 10 }).toBe(true);
      await own.stop();
      const sent = await sending;
      expect(sent.isError, sent.text).toBe(false);
      expect(harness.logLines.join('\n')).toMatch(/the ledger did not record how a spend ended \(STORE_UNAVAILABLE\); it reads as an unknown outcome/);
    } finally {
      await harness.close();
      fleet.close();
      await own.stop();
    }
  }, 60_000);
});
