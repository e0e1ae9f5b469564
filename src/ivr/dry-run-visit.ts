import { fileKind, messageFile } from './nav-files.js';
import type { IvrListing } from './nav-reader.js';
import { childOf } from './navigation.js';

export type EndKind = 'hangup' | 'endpoint' | 'unmodelled' | 'waiting' | 'invalid' | 'loop' | 'max-steps';

/** What a module does with the caller: where the call goes next, or that the dry run stops here. */
export type Outcome =
  | { kind: 'go'; target: string; label: string; decidedBy: string }
  | { kind: 'back'; label: string; decidedBy?: string }
  | { kind: 'stay'; action: string; decidedBy: string }
  | { kind: 'end'; end: EndKind; action: string; reason: string };

export interface Result {
  outcome: Outcome;
  /** Keys the module consumed. */
  used?: number;
}

/** One extension as the caller meets it; modules add what the caller hears and what the model leaves out. */
export interface Visit {
  path: string;
  settings: Record<string, string>;
  listing: IvrListing;
  keys: string;
  hear: string[];
  notes: string[];
  list(path: string): Promise<IvrListing | undefined>;
  /** Adds a file of `folder` to what the caller hears (a `.tts` file as its text). */
  play(folder: string, name: string): Promise<void>;
  /** Plays a system message: this extension's file, else the root `Messages` folder's (EXT-INI §1.3). */
  message(id: string): Promise<string | undefined>;
}

const TTS_CHARS = 200;

export interface Reads {
  list(path: string): Promise<IvrListing | undefined>;
  text(path: string): Promise<string | undefined>;
}

export function visitOf(reads: Reads, path: string, settings: Record<string, string>, listing: IvrListing, keys: string): Visit {
  const hear: string[] = [];
  const notes: string[] = [];
  const play = async (folder: string, name: string) => {
    const file = childOf(folder, name);
    if (fileKind(name) !== 'tts') {
      hear.push(file);
      return;
    }
    const text = (await reads.text(file))?.replace(/\s+/g, ' ').trim();
    if (text === undefined) hear.push(`TTS: (${file} could not be read)`);
    else hear.push(`TTS: ${text.length > TTS_CHARS ? `${text.slice(0, TTS_CHARS - 1)}…` : text}`);
  };
  return {
    path,
    settings,
    listing,
    keys,
    hear,
    notes,
    list: reads.list,
    play,
    async message(id) {
      const own = messageFile(listing.files, id);
      if (own) {
        await play(path, own);
        // The reference does not say which format plays when there are several: the dry run's pick is a guess, said so.
        const others = listing.files.filter((file) => file.name !== own && messageFile([file], id) !== undefined).map((file) => file.name);
        if (others.length) notes.push(`${others.join(', ')} beside ${own}: the reference does not say which plays; this run takes ${own}`);
        return own;
      }
      const shared = messageFile((await reads.list('/Messages'))?.files ?? [], id);
      if (shared) await play('/Messages', shared);
      return shared;
    },
  };
}
