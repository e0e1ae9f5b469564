export interface LineSink {
  line(bytes: Buffer): void;
  /** A line longer than the limit ended; `head` and `tail` are its first and last bytes, the rest was dropped as it arrived. */
  oversized(head: Buffer, tail: Buffer): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into newline-terminated lines of at most `maxBytes` each. A longer line is not
 * buffered: only its first and last `edgeBytes` are kept (a message's id may be at either end) while the
 * rest is skipped up to the next newline, so memory stays bounded whatever the peer sends.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer | undefined;
  /** Of an oversized line, the pieces that hold at least its last edgeBytes. */
  private tail: Buffer[] = [];
  private tailSize = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly edgeBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      this.take(chunk.subarray(start, newline === -1 ? chunk.length : newline));
      if (newline === -1) return;
      this.finish();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  end(): void {
    if (this.size > 0 || this.head) this.finish();
  }

  private take(piece: Buffer): void {
    if (this.head) return this.keepTail(piece);
    if (this.size + piece.length <= this.maxBytes) {
      this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    const all = [...this.parts, piece];
    this.head = Buffer.concat(all, Math.min(this.edgeBytes, this.size + piece.length));
    this.parts = [];
    this.size = 0;
    for (const part of all) this.keepTail(part);
  }

  private keepTail(piece: Buffer): void {
    if (!piece.length) return;
    this.tail.push(piece);
    this.tailSize += piece.length;
    while (this.tailSize - this.tail[0].length >= this.edgeBytes) this.tailSize -= this.tail.shift()!.length;
  }

  private finish(): void {
    const { head, parts, size, tail, tailSize } = this;
    this.parts = [];
    this.size = 0;
    this.head = undefined;
    this.tail = [];
    this.tailSize = 0;
    if (head) {
      const end = Buffer.concat(tail, tailSize);
      return this.sink.oversized(head, end.subarray(Math.max(0, end.length - this.edgeBytes)));
    }
    // One piece (a line within one chunk, the usual case) is used as it is, not copied.
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
    const end = bytes.at(-1) === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    if (end > 0) this.sink.line(bytes.subarray(0, end));
  }
}
