import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The SDK's own transports cap a message at 4 MB; the body is read here, before the transport sees it. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLarge extends Error {}
/** The body did not arrive in time: a client that dribbles it must not hold the request open. */
export class BodyTooSlow extends Error {}

const unbracket = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** A name only this machine answers to: localhost, all of 127.0.0.0/8, and ::1 (also as IPv4-mapped 127.x). */
export function isLoopbackHost(host: string): boolean {
  const name = unbracket(host);
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) !== 6) return false;
  try {
    const normal = new URL(`http://[${name}]/`).hostname;
    return normal === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:/.test(normal);
  } catch {
    return false;
  }
}

/** Names and origins allowed beyond loopback and the bound address (YEMOT_HTTP_ALLOWED_HOSTS, YEMOT_HTTP_ALLOWED_ORIGINS). */
export interface Allowed {
  /** `host` allows that name on any port, `host:port` only on that port. */
  hosts: readonly string[];
  /** Exact origins, e.g. `https://app.example.com`. */
  origins: readonly string[];
}

const NO_EXTRA: Allowed = { hosts: [], origins: [] };

const nameAllowed = (hostname: string, bound: string) => isLoopbackHost(hostname) || unbracket(hostname) === unbracket(bound);

function hostListed(header: string, hostname: string, hosts: readonly string[]): boolean {
  const wanted = header.toLowerCase();
  return hosts.some((entry) => {
    const listed = entry.toLowerCase();
    return listed === wanted || unbracket(listed) === unbracket(hostname);
  });
}

function originListed(origin: string, origins: readonly string[]): boolean {
  return origins.some((entry) => {
    try {
      return new URL(entry).origin === new URL(origin).origin;
    } catch {
      return false;
    }
  });
}

/**
 * DNS rebinding: the Host header must name this server, and a browser's Origin, when sent, must be a local
 * page or a listed origin. Returns what failed, or undefined when both pass.
 */
export function hostRefusal(request: IncomingMessage, bound: string, allowed: Allowed = NO_EXTRA): string | undefined {
  const header = request.headers.host ?? '';
  const hostname = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
  if (!nameAllowed(hostname, bound) && !hostListed(header, hostname, allowed.hosts)) {
    return 'Host not allowed: the Host header must name this server (loopback, the bound address or YEMOT_HTTP_ALLOWED_HOSTS)';
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  try {
    if (nameAllowed(new URL(origin).hostname, bound) || originListed(origin, allowed.origins)) return undefined;
  } catch {
    // An opaque origin ("null") or garbage: refused like a foreign one.
  }
  return 'Origin not allowed: a browser page calling this server must be served from loopback, the bound address or YEMOT_HTTP_ALLOWED_ORIGINS';
}

/**
 * More than one Host header (RFC 9112: answered 400). Node keeps the first; a proxy in front may have
 * checked, or routed on, another.
 */
export const manyHosts = (request: IncomingMessage): boolean => (request.headersDistinct.host?.length ?? 0) > 1;

/** The proxies whose X-Forwarded-For is believed (YEMOT_TRUSTED_PROXIES: addresses and CIDRs, checked at start-up). */
export function trustedProxies(entries: readonly string[]): BlockList {
  const proxies = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) proxies.addAddress(address, family);
    else proxies.addSubnet(address, Number(prefix), family);
  }
  return proxies;
}

/** `::ffff:1.2.3.4` (an IPv4 peer of a dual-stack socket) as `1.2.3.4`. */
const plainAddress = (address: string) => address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

function trusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The address a request came from: the socket's peer; when that is a trusted proxy, the nearest address in
 * X-Forwarded-For that is not one. Read from the right: each proxy appends the address it was reached from,
 * and whatever a client wrote further left is not believed.
 */
export function clientAddress(request: IncomingMessage, proxies?: BlockList): string {
  let address = plainAddress(request.socket.remoteAddress ?? '');
  if (!proxies) return address;
  const hops = (request.headersDistinct['x-forwarded-for'] ?? []).flatMap((value) => value.split(',')).map(plainAddress);
  while (trusted(proxies, address) && hops.length) address = hops.pop()!;
  return address;
}

/** The token of `Authorization: Bearer <token>`; the scheme name is case-insensitive (RFC 9110), the token is not. */
export function bearerToken(request: IncomingMessage): string | undefined {
  return /^bearer +(.*)$/is.exec(request.headers.authorization ?? '')?.[1];
}

export function bearerAllowed(request: IncomingMessage, token: string): boolean {
  const given = bearerToken(request);
  if (given === undefined) return false;
  const bytes = Buffer.from(given, 'utf8');
  const wanted = Buffer.from(token, 'utf8');
  return bytes.length === wanted.length && timingSafeEqual(bytes, wanted);
}

/**
 * Reads a JSON body of at most MAX_BODY_BYTES within `deadlineMs`. An oversized body is refused at once but still
 * drained, not cut: closing a socket that has unread data resets it, and the client would lose the 413.
 */
export function readJson(request: IncomingMessage, deadlineMs: number): Promise<unknown> {
  return new Promise((resolve, rejectBody) => {
    if (Number(request.headers['content-length']) > MAX_BODY_BYTES) return rejectBody(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const timer = setTimeout(() => {
      over = true;
      chunks.length = 0;
      rejectBody(new BodyTooSlow());
    }, deadlineMs);
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      over = true;
      clearTimeout(timer);
      chunks.length = 0;
      rejectBody(new BodyTooLarge());
    });
    request.on('error', (error) => (clearTimeout(timer), rejectBody(error)));
    request.on('close', () => clearTimeout(timer));
    request.on('end', () => {
      clearTimeout(timer);
      if (over) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        rejectBody(error);
      }
    });
  });
}
