import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { findProgram, freePort } from './nginx-proxy.js';

/** Debian's redis-server (installed by .ci/run); undefined where it could not be installed: the Redis tests are skipped. */
export const redisServerPath = findProgram('redis-server');

export interface Redis {
  port: number;
  url: string;
  /** Stops it (SIGKILL: nothing is saved, and it never was). */
  stop: () => Promise<void>;
  /** Starts it again on the same port, empty. */
  start: () => Promise<void>;
  /** SIGSTOP and SIGCONT: alive, connected, and silent. */
  pause: () => void;
  resume: () => void;
}

async function listening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server did not listen on ${port} within 10 s:\n${output()}`);
}

/** A throwaway redis-server on a free loopback port, with no persistence; `args` add to (and override) its settings. */
export async function startRedis(args: string[] = []): Promise<Redis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    child = spawn(redisServerPath!, [...args, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await listening(port, child, () => output);
  };
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start, pause: () => child?.kill('SIGSTOP'), resume: () => child?.kill('SIGCONT') };
}
