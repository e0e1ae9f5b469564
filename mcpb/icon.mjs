// The bundle's icon, drawn here rather than committed as a binary: a white dot with three waves on a
// blue rounded square, 512×512 (the size Claude Desktop recommends), encoded as an 8-bit RGBA PNG.
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 512;
const BLUE = [31, 78, 140, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

const inRoundedSquare = (x, y, radius) => {
  const dx = Math.max(radius - x, 0, x - (SIZE - 1 - radius));
  const dy = Math.max(radius - y, 0, y - (SIZE - 1 - radius));
  return dx * dx + dy * dy <= radius * radius;
};

/** A dot (the caller) and three arcs (the call going out), centred left of the middle. */
function isMark(x, y) {
  const dx = x - 176;
  const dy = y - 256;
  const distance = Math.hypot(dx, dy);
  if (distance <= 44) return true;
  const facingRight = dx > 0 && Math.abs(dy) <= dx * 1.1;
  return facingRight && [110, 180, 250].some((radius) => Math.abs(distance - radius) <= 20);
}

function pixel(x, y) {
  if (!inRoundedSquare(x, y, 96)) return CLEAR;
  return isMark(x, y) ? WHITE : BLUE;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, RGBA, deflate, adaptive filters, no interlace
  const rowBytes = 1 + SIZE * 4;
  const raw = Buffer.alloc(rowBytes * SIZE); // every row starts with filter type 0 (none)
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), y * rowBytes + 1 + x * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
