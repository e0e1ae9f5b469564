import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../src/host/http-guard.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.0.0.2', '127.255.255.254', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.1', '128.0.0.1', '126.255.255.255', '127.0.0.1.evil.example', 'localhost.evil.example', 'example.com', '::ffff:10.0.0.1', ''])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
