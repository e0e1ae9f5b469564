/**
 * How much text one `.tts` file holds (EXT-INI §5, guardrail 4): the staff's global-settings page gives roughly
 * 150 words per reading (F); one client measured about 1,300 characters per file and caps at 1,000 (F~). Past
 * either a reading may be cut, so a longer text is warned about, and can be split at sentence ends into parts
 * within both.
 */
export const TTS_MAX_WORDS = 150;
export const TTS_MAX_CHARS = 1000;

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;
const fits = (text: string) => text.length <= TTS_MAX_CHARS && wordsIn(text) <= TTS_MAX_WORDS;

/** Why a text may be too long for one `.tts` file, or undefined. */
export function ttsWarning(text: string): string | undefined {
  if (fits(text)) return undefined;
  return `${text.length} characters, ${wordsIn(text)} words: more than one .tts reading is known to hold (about ${TTS_MAX_WORDS} words by the staff's page, ${TTS_MAX_CHARS} characters by a client's measure); the end may be cut. Split it (split: true) or shorten it`;
}

/** Greedy packing of pieces into parts that fit, joined by `glue`; a piece that fits nowhere alone is split by `finer`. */
function pack(pieces: string[], glue: string, finer?: (piece: string) => string[]): string[] {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const joined = current === '' ? piece : `${current}${glue}${piece}`;
    if (fits(joined)) {
      current = joined;
      continue;
    }
    if (current !== '') parts.push(current);
    if (fits(piece) || !finer) current = piece;
    else {
      const split = finer(piece);
      parts.push(...split.slice(0, -1));
      current = split.at(-1) ?? '';
    }
  }
  return current === '' ? parts : [...parts, current];
}

// A word longer than the character cap is cut: nothing else fits it into one reading.
const byWords = (sentence: string) => pack(sentence.split(/\s+/).filter(Boolean).flatMap((word) => word.match(new RegExp(`.{1,${TTS_MAX_CHARS}}`, 'gsu')) ?? []), ' ');

/** The text in parts that each fit one reading, cut after a sentence end (. ! ? or a line break) where possible. */
export function splitTts(text: string): string[] {
  const sentences = text.trim().split(/(?<=[.!?\n])\s+/).filter(Boolean);
  return pack(sentences, ' ', byWords);
}

/** `M1000.tts` → `M1000`: a system message, whose continuation files `M1000-1`, `M1000-2`… play after it in order (§1.3). */
export function continuedMessage(name: string): string | undefined {
  return /^(M\d{4})\.tts$/.exec(name)?.[1];
}

/** The files of a split message: the message itself, then its continuations. */
export const partNames = (message: string, count: number) => Array.from({ length: count }, (_, i) => (i === 0 ? `${message}.tts` : `${message}-${i}.tts`));
