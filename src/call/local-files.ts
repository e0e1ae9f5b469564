import { constants } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, resolve, sep } from 'node:path';

/**
 * The folders the operator lets tools read from and write to (YEMOT_FILES_DIR). Without this, an agent
 * could upload ~/.ssh/id_rsa to a phone line. Every path is resolved with realpath, so neither a symlink
 * nor `..` leads out of them.
 */
export class LocalFiles {
  private readonly roots: readonly string[];

  constructor(setting: string | undefined) {
    this.roots = (setting ?? '').split(delimiter).map((root) => root.trim()).filter(Boolean).map((root) => resolve(root));
  }

  get enabled(): boolean {
    return this.roots.length > 0;
  }

  /** A regular file inside the allowed folders, at most `maxBytes`; its real path. Throws a `field: rule` message. */
  async readable(field: string, given: string, maxBytes: number): Promise<{ path: string; size: number }> {
    const path = await this.inside(field, given, await this.realOrRefuse(field, this.absolute(field, given)));
    const info = await stat(path);
    if (!info.isFile()) throw new LocalFileRefused(`${field}: not a regular file`);
    if (info.size > maxBytes) throw new LocalFileRefused(`${field}: ${info.size} bytes, more than the ${maxBytes} allowed`);
    return { path, size: info.size };
  }

  async read(field: string, given: string, maxBytes: number): Promise<Buffer> {
    const { path } = await this.readable(field, given, maxBytes);
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Where a write would go: a new or existing regular file inside the allowed folders. Throws a `field: rule` message. */
  async writable(field: string, given: string): Promise<string> {
    const target = this.absolute(field, given);
    const folder = await this.inside(field, given, await this.realOrRefuse(field, dirname(target)));
    const path = `${folder}${sep}${target.slice(dirname(target).length + 1)}`;
    const existing = await lstat(path).catch(() => undefined);
    if (existing && !existing.isFile()) throw new LocalFileRefused(`${field}: exists and is not a regular file`);
    return path;
  }

  /** Writes bytes to a new or existing regular file inside the allowed folders (never through a symlink). */
  async write(field: string, given: string, bytes: Uint8Array): Promise<string> {
    const path = await this.writable(field, given);
    const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(bytes);
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

export class LocalFileRefused extends Error {}
