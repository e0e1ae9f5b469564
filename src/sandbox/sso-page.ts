import type { IncomingMessage, ServerResponse } from 'node:http';

export const SSO_PAGE_PATH = '/ym/mfa.php';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><title>Sandbox two-factor</title><body style="font-family:sans-serif;max-width:32em;margin:3em auto">${body}</body>`);
}

/**
 * Stands in for the vendor's browser verification page (mfa.php?mode=SSO&ymapitoken=…), so the link a
 * gated call shows in --sandbox mode leads somewhere: one button passes two-factor for that session.
 */
export function serveSsoPage(req: IncomingMessage, res: ServerResponse, rawBody: string, known: (token: string) => boolean, complete: (token: string) => void): void {
  const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
  const token = req.method === 'POST' ? (new URLSearchParams(rawBody).get('ymapitoken') ?? '') : (query.get('ymapitoken') ?? '');
  if (!known(token)) return page(res, 404, '<p>Unknown or expired session.</p>');
  if (req.method !== 'POST') {
    return page(
      res,
      200,
      `<h1>Sandbox two-factor</h1><p>The real page would send you a code. This simulated account passes at one click.</p>` +
        `<form method="post"><input type="hidden" name="ymapitoken" value="${escapeHtml(token)}"><button>Verify this session</button></form>`,
    );
  }
  complete(token);
  page(res, 200, '<p>Verified. You can close this tab and return to your assistant.</p>');
}
