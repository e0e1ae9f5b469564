export interface LineSink {
  line(bytes: Buffer): void;
  /** A line longer than the limit ended; `head` is its first bytes, the rest was dropped as it arrived. */
  oversized(head: Buffer): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits a byte stream into newline-terminated lines of at most `maxBytes` each. A longer line is not
 * buffered: only its first `headBytes` are kept while the rest is skipped up to the next newline, so
 * memory stays bounded whatever the peer sends.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private head: Buffer | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly headBytes: number,
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
    if (this.head) return;
    if (this.size + piece.length <= this.maxBytes) {
      this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    this.head = Buffer.concat([...this.parts, piece], Math.min(this.headBytes, this.size + piece.length));
    this.parts = [];
    this.size = 0;
  }

  private finish(): void {
    const { head } = this;
    const bytes = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    this.head = undefined;
    if (head) return this.sink.oversized(head);
    const end = bytes.at(-1) === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    if (end > 0) this.sink.line(bytes.subarray(0, end));
  }
}
