/**
 * Which files a caller can hear. Yemot plays `.wav` and `.ogg`, and reads `.tts` text aloud (EXT-INI §1.2);
 * other audio formats are converted on upload, so one left as `.mp3` is not something Yemot plays.
 */
export type FileKind = 'audio' | 'tts' | 'other';

/** Content files by kind; system messages (`M0000`, `M1000`, …) apart, whatever their format. */
export interface FileCounts {
  audio: number;
  tts: number;
  messages: number;
  other: number;
  total: number;
}

const SYSTEM_MESSAGE = /^M[0-9]{4}(?:-[0-9]+)?\.[^.]+$/;

const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1].toLowerCase();

export function fileKind(name: string): FileKind {
  const extension = extensionOf(name);
  if (extension === 'wav' || extension === 'ogg') return 'audio';
  return extension === 'tts' ? 'tts' : 'other';
}

export function countFiles(files: ReadonlyArray<{ name: string }>): FileCounts {
  const counts = { audio: 0, tts: 0, messages: 0, other: 0, total: files.length };
  for (const file of files) {
    const kind = fileKind(file.name);
    counts[kind !== 'other' && SYSTEM_MESSAGE.test(file.name) ? 'messages' : kind] += 1;
  }
  return counts;
}

// When one message exists in several formats the reference does not say which plays; we take audio first.
const RANK: Record<FileKind, number> = { audio: 0, tts: 1, other: 2 };

/** The file of a system message (`M0000`, `M1000`, …) in a folder: exactly that name, capital M (§1.3). */
export function messageFile(files: ReadonlyArray<{ name: string }>, message: string): string | undefined {
  return files
    .filter((file) => file.name.startsWith(`${message}.`) && !file.name.slice(message.length + 1).includes('.'))
    .filter((file) => fileKind(file.name) !== 'other')
    .sort((a, b) => RANK[fileKind(a.name)] - RANK[fileKind(b.name)] || a.name.localeCompare(b.name))[0]?.name;
}
