/** Small RIFF/PCM WAV files: the telephony format is 8 kHz, mono, 16-bit. */

const TELEPHONY = { sampleRate: 8000, channels: 1, bitsPerSample: 16 } as const;

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** The PCM samples (the data chunk). */
  data: Uint8Array;
  seconds: number;
}

const HEADER_BYTES = 44;

function header(dataBytes: number, format: { sampleRate: number; channels: number; bitsPerSample: number }): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  const blockAlign = format.channels * (format.bitsPerSample / 8);
  const ascii = (offset: number, text: string) => [...text].forEach((char, i) => view.setUint8(offset + i, char.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, format.bitsPerSample, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return bytes;
}

/** A telephony WAV around these 16-bit samples. */
export function telephonyWav(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES + samples.length * 2);
  bytes.set(header(samples.length * 2, TELEPHONY));
  const view = new DataView(bytes.buffer);
  samples.forEach((sample, i) => view.setInt16(HEADER_BYTES + i * 2, sample, true));
  return bytes;
}

const tones = new Map<number, Uint8Array>();

/** A quiet 440 Hz telephony tone of whole seconds; the same bytes are built once per length. */
export function toneWav(seconds: number): Uint8Array {
  let wav = tones.get(seconds);
  if (!wav) {
    // One period of the tone (1/40 s) written once, then doubled into place: the demo tree holds minutes of audio
    // and `--sandbox` builds it at every start.
    const dataBytes = seconds * TELEPHONY.sampleRate * 2;
    wav = new Uint8Array(HEADER_BYTES + dataBytes);
    wav.set(header(dataBytes, TELEPHONY));
    const view = new DataView(wav.buffer, HEADER_BYTES);
    const periodBytes = Math.min(dataBytes, (TELEPHONY.sampleRate / 40) * 2);
    for (let i = 0; i < periodBytes / 2; i++) view.setInt16(i * 2, Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / TELEPHONY.sampleRate)), true);
    for (let filled = periodBytes; filled < dataBytes; ) {
      const count = Math.min(filled, dataBytes - filled);
      wav.copyWithin(HEADER_BYTES + filled, HEADER_BYTES, HEADER_BYTES + count);
      filled += count;
    }
    tones.set(seconds, wav);
  }
  // Shared, not copied: file bytes are replaced whole (uploads, copies), never written in place.
  return wav;
}

/** The format and length of a PCM WAV; undefined when the bytes are not one. */
export function readWav(bytes: Uint8Array): WavInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < HEADER_BYTES || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let format: Omit<WavInfo, 'data' | 'seconds'> | undefined;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (tag(offset) === 'fmt ' && size >= 16 && view.getUint16(body, true) === 1) {
      format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), bitsPerSample: view.getUint16(body + 14, true) };
    } else if (tag(offset) === 'data' && format && format.sampleRate > 0 && format.channels > 0 && [8, 16].includes(format.bitsPerSample)) {
      const data = bytes.subarray(body, Math.min(bytes.length, body + size));
      return { ...format, data, seconds: data.length / (format.sampleRate * format.channels * (format.bitsPerSample / 8)) };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** Converts a PCM WAV to telephony format: channels mixed, resampled by nearest sample. */
export function toTelephony(wav: WavInfo): Uint8Array {
  const frameBytes = wav.channels * (wav.bitsPerSample / 8);
  const frames = Math.floor(wav.data.length / frameBytes);
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  const sampleAt = (offset: number) => (wav.bitsPerSample === 16 ? view.getInt16(offset, true) : (view.getUint8(offset) - 128) << 8);
  const out = new Int16Array(Math.floor((frames * TELEPHONY.sampleRate) / wav.sampleRate));
  for (let i = 0; i < out.length; i++) {
    const frame = Math.min(frames - 1, Math.floor((i * wav.sampleRate) / TELEPHONY.sampleRate));
    let sum = 0;
    for (let channel = 0; channel < wav.channels; channel++) sum += sampleAt(frame * frameBytes + channel * (wav.bitsPerSample / 8));
    out[i] = Math.round(sum / wav.channels);
  }
  return telephonyWav(out);
}
