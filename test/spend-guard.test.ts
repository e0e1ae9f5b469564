import { describe, expect, it } from 'vitest';
import { SpendGuard } from '../src/call/spend-guard.js';

describe('SpendGuard', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('remembers a spend for the window, whatever the key order, and forgets it after', () => {
    const time = clock();
    const guard = new SpendGuard({ windowMs: 60_000, now: time.now });
    guard.record('send_tts', { phones: '0501234567', ttsMessage: 'hi' });
    expect(guard.previous('send_tts', { ttsMessage: 'hi', phones: '0501234567' })).toEqual({ at: 1_000_000, ageMs: 0 });
    time.advance(59_999);
    expect(guard.previous('send_tts', { ttsMessage: 'hi', phones: '0501234567', repeat: true })).toEqual({ at: 1_000_000, ageMs: 59_999 });
    expect(guard.previous('send_tts', { ttsMessage: 'hello', phones: '0501234567' })).toBeUndefined();
    expect(guard.previous('bridge_calls_to_extension', { ttsMessage: 'hi', phones: '0501234567' })).toBeUndefined();
    time.advance(1);
    expect(guard.previous('send_tts', { phones: '0501234567', ttsMessage: 'hi' })).toBeUndefined();
  });

  it('compares nested arguments by value', () => {
    const guard = new SpendGuard({ windowMs: 60_000 });
    guard.record('bridge', { phones: [{ phone: '1', callerId: '2' }] });
    expect(guard.previous('bridge', { phones: [{ callerId: '2', phone: '1' }] })).toBeDefined();
    expect(guard.previous('bridge', { phones: [{ callerId: '2', phone: '3' }] })).toBeUndefined();
  });

  it('is off with a zero window', () => {
    const guard = new SpendGuard({ windowMs: 0 });
    guard.record('send_tts', { a: 1 });
    expect(guard.previous('send_tts', { a: 1 })).toBeUndefined();
  });

  it('stays bounded: the oldest spends are forgotten first', () => {
    const guard = new SpendGuard({ windowMs: 3_600_000, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) guard.record('send_tts', { i });
    expect(guard.previous('send_tts', { i: 999 })).toBeDefined();
    expect(guard.previous('send_tts', { i: 899 })).toBeUndefined();
    expect(guard.previous('send_tts', { i: 0 })).toBeUndefined();
  });
});
