/**
 * What the IVR model reads, and nothing that writes. Paths are canonical (`/`, `/1/2`). The tool layer backs it
 * with GetIVR2Dir / GetTextFile (or the sandbox); tests with a map.
 */
export interface IvrListing {
  /** Sub-folders; `type`/`title` when the listing already knows them (GetIVR2Dir's extType/extTitle). */
  folders: Array<{ name: string; type?: string; title?: string }>;
  files: Array<{ name: string; size?: number }>;
}

export interface IvrReader {
  /** One folder's content; undefined when the folder does not exist. */
  list(path: string, signal?: AbortSignal): Promise<IvrListing | undefined>;
  /**
   * The settings in effect, already parsed (and with expiry suffixes already decided); undefined without ext.ini.
   * Whether root `ivr.ini` values are merged in is the reader's choice: Yemot applies them to every extension.
   */
  settings(path: string, signal?: AbortSignal): Promise<Record<string, string> | undefined>;
}

export interface IvrTextReader extends IvrReader {
  /** A text file's content (a `.tts` file is read aloud); undefined when it cannot be read. */
  text(path: string, signal?: AbortSignal): Promise<string | undefined>;
}

/** One read per path however often (and however concurrently) it is asked for. */
export function memoized<T>(read: (path: string) => Promise<T>): (path: string) => Promise<T> {
  const done = new Map<string, Promise<T>>();
  return (path) => {
    let pending = done.get(path);
    if (!pending) {
      pending = read(path);
      done.set(path, pending);
    }
    return pending;
  };
}

/** Runs jobs with at most `limit` of them in flight. */
export function limiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    while (running >= limit) await new Promise<void>((wake) => waiting.push(wake));
    running += 1;
    try {
      return await job();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
