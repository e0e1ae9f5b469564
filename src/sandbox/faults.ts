import { STATUS_CODES, type ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'timeout' }
  | { kind: 'reset' }
  /** `retryAfter` is sent as the Retry-After header as given: seconds, or an HTTP date. */
  | { kind: 'http'; status: number; body?: string; contentType?: string; retryAfter?: string }
  | { kind: 'raw'; body: string; contentType?: string }
  | { kind: 'answer'; answer: Record<string, unknown> };

export interface FaultMatch {
  command?: string;
  times?: number;
}

const KINDS = new Set<unknown>(['timeout', 'reset', 'http', 'raw', 'answer']);

interface Entry {
  fault: Fault;
  command?: string;
  remaining: number;
}

/** Pending faults, consumed in the order they were injected. */
export class FaultQueue {
  private entries: Entry[] = [];

  add(fault: Fault, match: FaultMatch = {}): void {
    if (!KINDS.has(fault?.kind)) throw new TypeError(`sandbox fault: unknown kind ${String(fault?.kind)}`);
    if (fault.kind === 'http' && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
      throw new RangeError(`sandbox fault: HTTP status must be an integer 200..599, got ${fault.status}`);
    }
    const times = match.times ?? 1;
    if (!(Number.isInteger(times) && times >= 1)) throw new RangeError(`sandbox fault: times must be a positive integer, got ${times}`);
    this.entries.push({ fault, command: match.command, remaining: times });
  }

  /** The first pending fault for this command, consumed once. */
  take(command: string): Fault | undefined {
    const index = this.entries.findIndex((entry) => entry.command === undefined || entry.command === command);
    if (index < 0) return undefined;
    const entry = this.entries[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.entries.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.entries = [];
  }

  get size(): number {
    return this.entries.length;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

function errorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Answers (or deliberately fails to answer) with the fault. `timeout` leaves the response open. */
export function applyFault(fault: Fault, res: ServerResponse): void {
  switch (fault.kind) {
    case 'timeout':
      return;
    case 'reset': {
      const full = JSON.stringify({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox', note: 'this answer is cut short by the connection reset' });
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(full), Connection: 'keep-alive' });
      res.write(full.slice(0, 24), () => res.socket?.destroy());
      // If the write never completes, destroy the socket anyway.
      setTimeout(() => res.socket?.destroy(), 50).unref();
      return;
    }
    case 'http': {
      const body = fault.status === 204 || fault.status === 304 ? '' : (fault.body ?? errorPage(fault.status));
      res.writeHead(fault.status, {
        'Content-Type': fault.contentType ?? 'text/html; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'keep-alive',
        ...(fault.retryAfter !== undefined && { 'Retry-After': fault.retryAfter }),
      });
      res.end(body);
      return;
    }
    case 'raw':
      res.writeHead(200, { 'Content-Type': fault.contentType ?? JSON_TYPE, 'Content-Length': Buffer.byteLength(fault.body), Connection: 'keep-alive' });
      res.end(fault.body);
      return;
    case 'answer': {
      const body = JSON.stringify(fault.answer);
      res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body), Connection: 'keep-alive' });
      res.end(body);
      return;
    }
  }
}
