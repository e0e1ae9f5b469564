import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, resolve, sep } from 'node:path';

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

  /** A regular file inside the allowed folders, at most `maxBytes`. Throws a `field: rule` message. */
  async read(field: string, given: string, maxBytes: number): Promise<Buffer> {
    const path = await this.inside(field, given, await this.realOrRefuse(field, this.absolute(field, given)));
    // Non-blocking: a named pipe swapped in answers the open at once instead of holding the call.
    const handle = await this.open(field, given, path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const { size } = await this.checkOpened(field, given, handle, path);
      if (size > maxBytes) throw new LocalFileRefused(`${field}: ${size} bytes, more than the ${maxBytes} allowed`);
      // No more than the size seen: a file that grows while it is read is not read past it.
      const bytes = Buffer.alloc(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.subarray(0, filled);
    } finally {
      await handle.close();
    }
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
   * Writes bytes to a new file inside the allowed folders, or with `overwrite` over an existing one: never through
   * a symlink, never a file that appeared since the check (O_EXCL), and truncated only once it is known to be
   * the file inside.
   */
  async write(field: string, given: string, bytes: Uint8Array, overwrite: boolean): Promise<string> {
    const path = await this.writable(field, given, overwrite);
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (overwrite ? 0 : constants.O_EXCL);
    const handle = await this.open(field, given, path, flags);
    try {
      await this.checkOpened(field, given, handle, path);
      await handle.truncate(0);
      await handle.write(bytes, 0, bytes.byteLength, 0);
    } finally {
      await handle.close();
    }
    return path;
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

/** A second hard link makes a file inside the folders also a file somewhere else, outside them perhaps. */
function checkLinks(field: string, given: string, info: Stats): void {
  if (info.nlink > 1) throw new LocalFileRefused(`${field}: ${given} has ${info.nlink} hard links; a linked file may also be a file outside YEMOT_FILES_DIR`);
}

export class LocalFileRefused extends Error {}
