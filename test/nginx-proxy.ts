import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** nginx and openssl often live in an sbin directory that a normal user's PATH leaves out. */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

export const EXAMPLE = new URL('../examples/nginx/yemot-mcp.conf', import.meta.url);

/** One access-log line: which instance served which session, and what nginx answered. */
export interface Served {
  /** The request's Mcp-Session-Id ('' for initialize). */
  sessionId: string;
  /** The Mcp-Session-Id the answer carried (an initialize's new session). */
  sentSessionId: string;
  /** Every instance nginx tried, in order (nginx writes "-" where an internal redirect used none). */
  upstreams: string[];
  upstreamStatus: string;
  status: number;
  method: string;
  uri: string;
}

const LOG_FORMAT = "'$http_mcp_session_id|$sent_http_mcp_session_id|$upstream_addr|$upstream_status|$status|$request_method|$uri'";

function parseLine(line: string): Served {
  const [sessionId, sentSessionId, upstreams, upstreamStatus, status, method, uri] = line.split('|');
  const blank = (value: string) => (value === '-' ? '' : value);
  return {
    sessionId: blank(sessionId),
    sentSessionId: blank(sentSessionId),
    upstreams: upstreams.split(/, | : /).filter((address) => address !== '-'),
    upstreamStatus,
    status: Number(status),
    method,
    uri,
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The shipped example with only what a test must change; every rewrite must find its target, or the test is not testing the example. */
function adapt(example: string, rewrites: Array<[RegExp, string]>): string {
  return rewrites.reduce((text, [pattern, replacement]) => {
    if (!pattern.test(text)) throw new Error(`the example no longer contains ${pattern}; update test/nginx-proxy.ts`);
    return text.replace(pattern, replacement);
  }, example);
}

export interface ProxyOptions {
  /** The example's instance ports (3001, 3002) become these. */
  instancePorts: [number, number];
  port: number;
  /** The name the certificate is made for (besides 127.0.0.1). */
  publicName: string;
}

export interface Proxy {
  /** The certificate clients must trust. */
  ca: string;
  log: () => Served[];
  stop: () => Promise<void>;
}

async function acceptsConnections(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).once('error', () => resolve(false));
      socket.unref();
      socket.once('connect', () => socket.destroy());
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nginx did not listen on ${port} within 10 s:\n${stderr()}`);
}

/** The certificate, the adapted example and the nginx.conf around it, all in `home`; returns the nginx.conf path. */
function writeSite(home: string, openssl: string, options: ProxyOptions): string {
  const cert = join(home, 'cert.pem');
  const key = join(home, 'key.pem');
  execFileSync(openssl, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-keyout', key, '-out', cert, '-subj', `/CN=${options.publicName}`,
    '-addext', `subjectAltName=DNS:${options.publicName},IP:127.0.0.1`,
  ], { stdio: 'ignore', timeout: 10_000 });

  const [a, b] = options.instancePorts;
  const site = adapt(readFileSync(EXAMPLE, 'utf8'), [
    [/127\.0\.0\.1:3001/g, `127.0.0.1:${a}`],
    [/127\.0\.0\.1:3002/g, `127.0.0.1:${b}`],
    [/listen 443 ssl;/, `listen 127.0.0.1:${options.port} ssl;`],
    [/ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`],
    [/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`],
  ]);
  writeFileSync(join(home, 'yemot-mcp.conf'), site);
  const accessLog = join(home, 'access.log');
  writeFileSync(accessLog, '');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(home, kind)};`);
  const conf = join(home, 'nginx.conf');
  writeFileSync(
    conf,
    [
      // As root the workers would switch to "nobody", whose group is missing on Debian, and could not enter this directory.
      process.getuid?.() === 0 ? 'user root root;' : '',
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(home, 'nginx.pid')};`,
      `error_log ${join(home, 'error.log')} warn;`,
      'events { worker_connections 256; }',
      'http {',
      ...temp,
      `  log_format sessions ${LOG_FORMAT};`,
      `  access_log ${accessLog} sessions;`,
      `  include ${join(home, 'yemot-mcp.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  return conf;
}

/**
 * Runs the shipped example under a throwaway nginx: a self-signed certificate, every path in a temporary
 * directory (runs as any user, touches neither /etc nor /var), and an access log of sessions and instances.
 */
export async function startProxy(nginx: string, openssl: string, options: ProxyOptions): Promise<Proxy> {
  const home = mkdtempSync(join(tmpdir(), 'yemot-nginx-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      // TERM is nginx's fast shutdown; QUIT would wait for the open event streams.
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const conf = writeSite(home, openssl, options);
    child = spawn(nginx, ['-p', home, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.on('error', (error) => (stderr += `${error.message}\n`));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const errorLog = join(home, 'error.log');
    await acceptsConnections(options.port, child, () => `${stderr}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ca: readFileSync(join(home, 'cert.pem'), 'utf8'),
    log: () => readFileSync(join(home, 'access.log'), 'utf8').split('\n').filter(Boolean).map(parseLine),
    stop,
  };
}
