import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../src/app/local-store.js';
import { OneTimeLinks } from '../src/app/one-time-links.js';

const TOKEN = 'SSO-CANARY-token-5c8e1a';
const API_URL = 'https://vendor.example/ym/api/';

/** One plain request to the loopback link (fetch would follow the redirect to the vendor). */
function send(url: string, method: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '' : undefined);
  });
}

describe('the one-time two-factor link', () => {
  const links = new OneTimeLinks({ apiUrl: async () => API_URL });
  afterEach(() => links.close());

  it('shows a page without the token on GET and HEAD, and redirects only the POST of its button', async () => {
    const link = await links.create(TOKEN);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mfa\/[\w-]+$/);
    expect(link).not.toContain(TOKEN);
    // A chat client's link preview, then the person's browser.
    for (const method of ['GET', 'HEAD', 'GET']) {
      const page = await send(link, method);
      expect(page.status, method).toBe(200);
      expect(page.headers.location).toBeUndefined();
      expect(JSON.stringify(page.headers)).not.toContain(TOKEN);
      expect(page.body).not.toContain(TOKEN);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['content-security-policy']).toMatch(/default-src 'none'.*form-action 'self' https:\/\/vendor\.example;.*frame-ancestors 'none'/);
    }
    const page = await send(link, 'GET');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/<form method="post"><button/);

    const redirect = await send(link, 'POST');
    expect(redirect.status).toBe(303);
    const target = new URL(String(redirect.headers.location));
    expect(target.origin + target.pathname).toBe('https://vendor.example/ym/mfa.php');
    expect(target.searchParams.get('mode')).toBe('SSO');
    expect(target.searchParams.get('ymapitoken')).toBe(TOKEN);
    expect(redirect.headers['cache-control']).toBe('no-store');
    expect(redirect.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a second POST, and GET once used', async () => {
    const link = await links.create(TOKEN);
    expect((await send(link, 'POST')).status).toBe(303);
    const again = await send(link, 'POST');
    expect(again.status).toBe(404);
    expect(again.body).not.toContain(TOKEN);
    expect(again.body).toMatch(/expired or was already used/);
    expect((await send(link, 'GET')).status).toBe(404);
  });

  it('answers 404 to an unknown nonce and 405 to other methods, without using the link up', async () => {
    const link = await links.create(TOKEN);
    expect((await send(link.replace(/[\w-]+$/, 'no-such-nonce'), 'POST')).status).toBe(404);
    const put = await send(link, 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    expect((await send(link, 'POST')).status).toBe(303);
  });

  it('keeps links independent: using one leaves the other valid', async () => {
    const first = await links.create(TOKEN);
    const second = await links.create(`${TOKEN}-2`);
    expect((await send(first, 'POST')).status).toBe(303);
    const redirect = await send(second, 'POST');
    expect(new URL(String(redirect.headers.location)).searchParams.get('ymapitoken')).toBe(`${TOKEN}-2`);
  });
});

/** Every form a secret could take at rest. */
const encodings = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')];

describe('one-time links in a store instances share (YEMOT_REDIS_URL)', () => {
  const secret = 'fleet-secret-'.repeat(3);
  const shared = new LocalStore();
  const made = new OneTimeLinks({ apiUrl: async () => API_URL, instance: 'a', store: shared, secret });
  const other = new OneTimeLinks({ apiUrl: async () => API_URL, instance: 'b', store: shared, secret });
  const stranger = new OneTimeLinks({ apiUrl: async () => API_URL, store: shared, secret: 'another-secret-'.repeat(3) });
  afterEach(() => {
    for (const links of [made, other, stranger]) links.close();
  });
  /** The same path on another instance's own server. */
  const at = (links: OneTimeLinks, link: string) => links.create('unused-token').then((own) => own.replace(/\/mfa\/.*$/, new URL(link).pathname));
  const kept = (link: string) => shared.get(`link:${link.slice(link.lastIndexOf('/') + 1)}`).then(String);

  it('a two-factor link is kept sealed, served once by any instance with the same secret, and by none with another', async () => {
    const link = await made.create(TOKEN);
    for (const form of encodings(TOKEN)) expect(await kept(link)).not.toContain(form);
    expect((await send(await at(stranger, link), 'GET')).status).toBe(404);
    const redirect = await send(await at(other, link), 'POST');
    expect(redirect.status).toBe(303);
    expect(new URL(String(redirect.headers.location)).searchParams.get('ymapitoken')).toBe(TOKEN);
    expect((await send(link, 'POST')).status).toBe(404);
  });

  it('a secret shown once (/once/) is kept sealed, shown by another instance once, then by none', async () => {
    const password = 'SIP-canary-Pw-9c41';
    const link = await made.reveal(password, 'Your new SIP password');
    expect(link).toMatch(/\/once\/a\.[\w-]+$/);
    for (const form of encodings(password)) expect(await kept(link)).not.toContain(form);
    // Its nonce under /mfa/ is no link: each kind is served at its own path only.
    expect((await send((await at(other, link)).replace('/once/', '/mfa/'), 'POST')).status).toBe(404);
    const preview = await send(await at(other, link), 'GET');
    expect(preview.status).toBe(200);
    expect(preview.body).not.toContain(password);
    const shown = await send(await at(other, link), 'POST');
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(password);
    expect(shown.headers['cache-control']).toBe('no-store');
    for (const again of [link, await at(other, link)]) {
      const refused = await send(again, 'POST');
      expect(refused.status).toBe(404);
      expect(refused.body).not.toContain(password);
    }
  });

  it('a revoked link is gone on every instance', async () => {
    const link = await made.reveal('SIP-canary-revoked', 'Your new SIP password');
    await made.revoke(link);
    expect((await send(await at(other, link), 'GET')).status).toBe(404);
  });
});
