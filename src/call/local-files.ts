import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, resolve, sep } from 'node:path';
import type { ByteSink } from '../client/kinds.js';

/** An upload is read from disk this much at a time. */
const PIECE_BYTES = 256 * 1024;

/**
 * The folders the operator lets tools read from and write to (YEMOT_FILES_DIR). Without this, an agent
 * could upload ~/.ssh/id_rsa to a phone line. Every path is resolved with realpath, so neither a symlink
 * nor `..` leads out of them; a file with a second hard link may be the same file as one outside, so it is
 * refused; and the file is checked again once open, so nothing swapped in between check and open is used.
 */
export class LocalFiles {
  private readonly roots: readonly string[];

  constructor(setting: string | undefined) {
    this.roots = (setting ?? '').split(delimiter).map((root) => root.trim()).filter(Boolean).map((root) => resolve(root));
  }

  get enabled(): boolean {
    return this.roots.length > 0;
  }

  /** A regular file inside the allowed folders, at most `maxBytes`, whole. Throws a `field: rule` message. */
  async read(field: string, given: string, maxBytes: number): Promise<Buffer> {
    const source = await this.source(field, given, maxBytes);
    const pieces: Buffer[] = [];
    for await (const piece of source.read(0, source.size)) pieces.push(piece);
    return Buffer.concat(pieces);
  }

  /**
   * A regular file inside the allowed folders, at most `maxBytes`, read later a piece at a time (an upload is
   * never held whole): checked now, and again on every read, which refuses a file replaced or changed since.
   */
  async source(field: string, given: string, maxBytes: number): Promise<LocalSource> {
    const { handle, info } = await this.openToRead(field, given);
    await handle.close();
    if (info.size > maxBytes) throw new LocalFileRefused(`${field}: ${info.size} bytes, more than the ${maxBytes} allowed`);
    const files = this;
    return {
      size: info.size,
      async *read(start, end) {
        const opened = await files.openToRead(field, given);
        try {
          const now = opened.info;
          if (now.dev !== info.dev || now.ino !== info.ino || now.size !== info.size || now.mtimeMs !== info.mtimeMs) {
            throw new LocalFileRefused(`${field}: ${given} changed while it was being read; nothing past the change was sent`);
          }
          // No more than the size seen: a file that grows while it is read is not read past it.
          for (let position = start; position < end; ) {
            const piece = Buffer.allocUnsafe(Math.min(PIECE_BYTES, end - position));
            const { bytesRead } = await opened.handle.read(piece, 0, piece.byteLength, position);
            if (bytesRead === 0) throw new LocalFileRefused(`${field}: ${given} became shorter while it was being read`);
            position += bytesRead;
            yield piece.subarray(0, bytesRead);
          }
        } finally {
          await opened.handle.close();
        }
      },
    };
  }

  private async openToRead(field: string, given: string): Promise<Opened> {
    const path = await this.inside(field, given, await this.realOrRefuse(field, this.absolute(field, given)));
    // Non-blocking: a named pipe swapped in answers the open at once instead of holding the call.
    return this.openChecked(field, given, path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  }

  /**
   * Where a write would go: a new file inside the allowed folders, or with `overwrite` an existing regular file
   * with no other link. Throws a `field: rule` message.
   */
  async writable(field: string, given: string, overwrite: boolean): Promise<string> {
    const target = this.absolute(field, given);
    const folder = await this.inside(field, given, await this.realOrRefuse(field, dirname(target)));
    const path = `${folder}${sep}${target.slice(dirname(target).length + 1)}`;
    const existing = await lstat(path).catch(() => undefined);
    if (!existing) return path;
    if (!existing.isFile()) throw new LocalFileRefused(`${field}: exists and is not a regular file`);
    if (!overwrite) throw new LocalFileRefused(`${field}: ${given} exists; give overwrite: true to replace it`);
    checkLinks(field, given, existing);
    return path;
  }

  /**
   * Where a download is saved as it arrives: a new file inside the allowed folders, or with `overwrite` an existing
   * one (see writable). Nothing is made before the first piece; the bytes go to a file of their own beside the
   * target, which takes the target's place only when complete.
   */
  async saver(field: string, given: string, overwrite: boolean): Promise<FileSaver> {
    const path = await this.writable(field, given, overwrite);
    const existed = overwrite && (await lstat(path).catch(() => undefined)) !== undefined;
    return new FileSaver(this, field, given, path, existed);
  }

  /**
   * Opens `path` and checks the descriptor (see checkOpened). Refused, it is closed, and a file this open made
   * (O_EXCL: a folder swapped for a link outside, say) is removed while the path still leads to it.
   */
  async openChecked(field: string, given: string, path: string, flags: number): Promise<Opened> {
    const handle = await this.open(field, given, path, flags);
    try {
      return { handle, info: await this.checkOpened(field, given, handle, path) };
    } catch (error) {
      if (flags & constants.O_EXCL && sameFile(await lstat(path).catch(() => undefined), await handle.stat().catch(() => undefined))) await unlink(path).catch(() => undefined);
      await handle.close();
      throw error;
    }
  }

  private absolute(field: string, given: string): string {
    if (!this.enabled) throw new LocalFileRefused(`${field}: local files are turned off; the operator lists the folders tools may use in YEMOT_FILES_DIR`);
    if (given.includes('\0')) throw new LocalFileRefused(`${field}: not a valid path`);
    return isAbsolute(given) ? resolve(given) : resolve(this.roots[0], given);
  }

  private async open(field: string, given: string, path: string, flags: number): Promise<FileHandle> {
    try {
      return await open(path, flags, 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new LocalFileRefused(`${field}: ${given} exists; give overwrite: true to replace it`);
      if (code === 'ELOOP') throw new LocalFileRefused(`${field}: ${given} is a symlink`);
      throw new LocalFileRefused(`${field}: ${given} cannot be opened (${code ?? 'error'})`);
    }
  }

  /** The open file is a regular file with one link, and the path still leads to it inside the allowed folders. */
  private async checkOpened(field: string, given: string, handle: FileHandle, path: string): Promise<Stats> {
    const info = await handle.stat();
    if (!info.isFile()) throw new LocalFileRefused(`${field}: not a regular file`);
    checkLinks(field, given, info);
    const now = await stat(await this.inside(field, given, await this.realOrRefuse(field, path)));
    if (now.dev !== info.dev || now.ino !== info.ino) throw new LocalFileRefused(`${field}: ${given} was replaced while it was opened`);
    return info;
  }

  private async realOrRefuse(field: string, path: string): Promise<string> {
    try {
      return await realpath(path);
    } catch {
      throw new LocalFileRefused(`${field}: ${path} does not exist`);
    }
  }

  private async inside(field: string, given: string, real: string): Promise<string> {
    for (const root of this.roots) {
      const realRoot = await realpath(root).catch(() => undefined);
      if (realRoot && (real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep))) return real;
    }
    throw new LocalFileRefused(`${field}: ${given} is outside the folders in YEMOT_FILES_DIR`);
  }
}

interface Opened {
  handle: FileHandle;
  info: Stats;
}

/** A file read a piece at a time; see LocalFiles.source. */
export interface LocalSource {
  size: number;
  read(start: number, end: number): AsyncIterable<Buffer>;
}

const sameFile = (a: Stats | undefined, b: Stats | undefined) => !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/**
 * A download being saved. The first piece opens the target as a write always did (a new file by O_EXCL, so
 * nothing that appeared since the check is replaced; or, with overwrite, the existing file), checks it on its
 * descriptor, and never writes it: the bytes go to a temporary file beside it, renamed over the target when
 * complete. A failed download leaves the existing file as it was, and no new file behind.
 */
export class FileSaver implements ByteSink {
  private target: Stats | undefined;
  private created = false;
  private temp: { handle: FileHandle; path: string; written: number } | undefined;

  constructor(
    private readonly files: LocalFiles,
    private readonly field: string,
    private readonly given: string,
    readonly path: string,
    private readonly existed: boolean,
  ) {}

  async write(piece: Uint8Array): Promise<void> {
    const temp = (this.temp ??= await this.begin());
    for (let offset = 0; offset < piece.byteLength; ) {
      const { bytesWritten } = await temp.handle.write(piece, offset, piece.byteLength - offset, temp.written);
      offset += bytesWritten;
      temp.written += bytesWritten;
    }
  }

  async close(): Promise<void> {
    const temp = (this.temp ??= await this.begin());
    await temp.handle.close();
    if (!sameFile(await lstat(this.path).catch(() => undefined), this.target)) {
      await this.abort();
      throw new LocalFileRefused(`${this.field}: ${this.given} was replaced while the file was downloaded; nothing was saved`);
    }
    await rename(temp.path, this.path);
    this.temp = undefined;
    this.created = false;
  }

  async abort(): Promise<void> {
    const { temp, target } = this;
    this.temp = undefined;
    this.target = undefined;
    if (temp) {
      await temp.handle.close().catch(() => undefined);
      await unlink(temp.path).catch(() => undefined);
    }
    // Only the file this saver made, and only while the path still leads to it.
    if (this.created && sameFile(await lstat(this.path).catch(() => undefined), target)) await unlink(this.path).catch(() => undefined);
    this.created = false;
  }

  private async begin(): Promise<NonNullable<FileSaver['temp']>> {
    const { files, field, given, path } = this;
    const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;
    // Non-blocking: a named pipe swapped in fails the open at once instead of holding the call.
    const opened = await files.openChecked(field, given, path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | (this.existed ? 0 : O_CREAT | O_EXCL));
    await opened.handle.close();
    this.target = opened.info;
    this.created = !this.existed;
    const tempPath = `${dirname(path)}${sep}.yemot-mcp-${randomBytes(8).toString('hex')}.part`;
    try {
      const temp = await files.openChecked(field, given, tempPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW);
      return { handle: temp.handle, path: tempPath, written: 0 };
    } catch (error) {
      await this.abort();
      throw error;
    }
  }
}

/** A second hard link makes a file inside the folders also a file somewhere else, outside them perhaps. */
function checkLinks(field: string, given: string, info: Stats): void {
  if (info.nlink > 1) throw new LocalFileRefused(`${field}: ${given} has ${info.nlink} hard links; a linked file may also be a file outside YEMOT_FILES_DIR`);
}

export class LocalFileRefused extends Error {}
