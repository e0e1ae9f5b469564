import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** What Redis answers: a string (simple or bulk), an integer, nothing (nil), or a list of those. */
export type Reply = string | number | null | Reply[];

/** An error reply of Redis's own (`-ERR …`, `-WRONGPASS …`, `-OOM …`). */
export class RedisRefusal extends Error {}

export interface RedisAddress {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db?: number;
}

function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

type Parsed = [Reply | RedisRefusal, number] | undefined;

/** One reply from `at`, and where the next begins; undefined while it has not all arrived. */
function parse(buffer: Buffer, at: number): Parsed {
  const end = buffer.indexOf('\r\n', at);
  if (end < 0) return undefined;
  const line = buffer.toString('utf8', at + 1, end);
  const next = end + 2;
  switch (buffer[at]) {
    case 0x2b: // +
      return [line, next];
    case 0x2d: // -
      return [new RedisRefusal(line), next];
    case 0x3a: // :
      return [Number(line), next];
    case 0x24: {
      // $
      const length = Number(line);
      if (length < 0) return [null, next];
      if (buffer.length < next + length + 2) return undefined;
      return [buffer.toString('utf8', next, next + length), next + length + 2];
    }
    case 0x2a: {
      // *
      const length = Number(line);
      if (length < 0) return [null, next];
      const items: Reply[] = [];
      let from = next;
      for (let i = 0; i < length; i++) {
        const item = parse(buffer, from);
        if (!item) return undefined;
        if (item[0] instanceof RedisRefusal) return item;
        items.push(item[0]);
        from = item[1];
      }
      return [items, from];
    }
    default:
      throw new Error('Redis sent something that is not RESP');
  }
}

/** The replies this store asks for are a few hundred bytes; more unread than this is not Redis. */
const MAX_UNREAD_BYTES = 1024 * 1024;
/** After a failed connect, commands fail at once for this long instead of each trying again. */
const RECONNECT_PAUSE_MS = 250;

interface Waiting {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

interface Connection {
  socket: Socket;
  /** Resolves once connected, authenticated and on its database. */
  ready: Promise<Socket>;
  fail: (error: Error) => void;
}

/**
 * A minimal Redis client: one connection, opened on demand, commands pipelined on it and answered in order. A
 * command answers within `deadlineMs` or the connection is dropped (a late answer could no longer be matched), so
 * a stopped or unreachable Redis never holds a call; the next command opens a new connection: recovery needs no
 * timer. No offline queue: a command sent while Redis is away fails at once.
 */
export class RespConnection {
  private current?: Connection;
  private waiting: Waiting[] = [];
  private unread: Buffer = Buffer.alloc(0);
  private pausedUntil = 0;
  private lastFailure = '';

  constructor(
    private readonly address: RedisAddress,
    private readonly deadlineMs: number,
  ) {}

  async command(args: readonly string[]): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    let verdict: NodeJS.Immediate | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // Judged after the poll phase: an instance whose event loop was held up past the deadline (a busy CPU) may
      // have the answer waiting unread, and reads it first; only a Redis that did not answer drops the connection.
      timer = setTimeout(() => {
        verdict = setImmediate(() => {
          const late = new Error(`no answer within ${this.deadlineMs} ms`);
          this.drop(late);
          reject(late);
        });
      }, this.deadlineMs);
    });
    try {
      return await Promise.race([this.open().then((socket) => this.send(socket, args)), deadline]);
    } finally {
      clearTimeout(timer);
      clearImmediate(verdict);
    }
  }

  close(): void {
    this.drop(new Error('closed'));
  }

  private send(socket: Socket, args: readonly string[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      socket.write(encode(args));
    });
  }

  private open(): Promise<Socket> {
    if (this.current) return this.current.ready;
    if (Date.now() < this.pausedUntil) return Promise.reject(new Error(this.lastFailure));
    const { host, port, tls } = this.address;
    const socket = tls ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
    socket.setNoDelay(true);
    let connected = false;
    let fail: (error: Error) => void = () => undefined;
    const ready = new Promise<Socket>((resolve, reject) => {
      fail = reject;
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        connected = true;
        this.handshake(socket).then(() => resolve(socket), (error: Error) => this.drop(error, socket));
      });
    });
    // Nobody may be waiting on it (a deadline already answered them): a failed connect is no unhandled rejection.
    ready.catch(() => undefined);
    const lost = (error: Error) => {
      if (!connected && this.current?.socket === socket) {
        this.lastFailure = `cannot connect to ${host}:${port} (${(error as NodeJS.ErrnoException).code ?? error.message})`;
        this.pausedUntil = Date.now() + RECONNECT_PAUSE_MS;
        return this.drop(new Error(this.lastFailure), socket);
      }
      this.drop(error, socket);
    };
    socket.on('error', lost);
    socket.on('close', () => lost(new Error('the connection closed')));
    socket.on('data', (chunk: Buffer) => this.receive(chunk, socket));
    this.current = { socket, ready, fail };
    return ready;
  }

  private async handshake(socket: Socket): Promise<void> {
    const { username, password, db } = this.address;
    try {
      if (password !== undefined) await this.send(socket, username ? ['AUTH', username, password] : ['AUTH', password]);
      if (db !== undefined) await this.send(socket, ['SELECT', String(db)]);
    } catch (error) {
      // Redis's own words (WRONGPASS, NOAUTH, …): they never repeat the password.
      throw new Error(`Redis refused the connection: ${(error as Error).message}`);
    }
  }

  private receive(chunk: Buffer, socket: Socket): void {
    if (this.current?.socket !== socket) return;
    this.unread = this.unread.length ? Buffer.concat([this.unread, chunk]) : chunk;
    if (this.unread.length > MAX_UNREAD_BYTES) return this.drop(new Error('Redis sent more than any answer holds'), socket);
    let at = 0;
    try {
      for (let parsed = parse(this.unread, at); parsed; parsed = parse(this.unread, at)) {
        const [reply, next] = parsed;
        at = next;
        const waiting = this.waiting.shift();
        if (!waiting) return this.drop(new Error('Redis answered what was not asked'), socket);
        if (reply instanceof RedisRefusal) waiting.reject(reply);
        else waiting.resolve(reply);
      }
    } catch (error) {
      return this.drop(error as Error, socket);
    }
    this.unread = this.unread.subarray(at);
  }

  /** Ends the connection (only `of`, when named: a late event of an old socket leaves a newer one alone) and fails what waits on it. */
  private drop(error: Error, of?: Socket): void {
    const current = this.current;
    if (of && current?.socket !== of) return void of.destroy();
    this.current = undefined;
    current?.socket.destroy();
    current?.fail(error);
    this.unread = Buffer.alloc(0);
    const waiting = this.waiting;
    this.waiting = [];
    for (const one of waiting) one.reject(error);
  }
}
