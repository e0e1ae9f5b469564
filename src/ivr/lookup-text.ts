/**
 * Words of a Hebrew or English phrase for matching: lowercase, without niqqud, punctuation and filler words.
 * Hebrew glues prefixes (ו ה ל ב מ ש כ) to words and has plural/feminine endings, so a Hebrew word stands for all
 * the forms it could be with those stripped; English words lose a plural or -ing/-ed ending.
 */

const NIQQUD = /[\u0591-\u05bd\u05bf-\u05c7]/g;
const FINAL_LETTERS: Record<string, string> = { ך: 'כ', ם: 'מ', ן: 'נ', ף: 'פ', ץ: 'צ' };
const HEBREW_LETTER = /[\u05d0-\u05ea]/;
const PREFIXES = new Set(['ו', 'ה', 'ל', 'ב', 'מ', 'ש', 'כ']);
/** In final-letter-normalised form: ים is written ימ. */
const SUFFIXES = ['ימ', 'ות', 'ה', 'ת'];

const STOP = new Set([
  'a', 'an', 'the', 'to', 'of', 'for', 'my', 'me', 'i', 'is', 'are', 'be', 'do', 'does', 'how', 'what', 'which', 'when',
  'where', 'that', 'this', 'it', 'in', 'on', 'at', 'and', 'or', 'with', 'from', 'by', 'should', 'can', 'want', 'set',
  'make', 'so', 'then', 'you', 'your', 'if', 'will', 'would', 'happens', 'there', 'they', 'them', 'someone',
  'של', 'את', 'על', 'עם', 'אם', 'כל', 'זה', 'זו', 'מה', 'איך', 'אני', 'יש', 'או', 'גם', 'שלי', 'רוצה', 'להגדיר', 'כדי',
]);

/** Phone keys are words too: "# key" is the hash key. */
const SYMBOLS: Record<string, string> = { '#': ' hash ', '*': ' star ' };

export function words(text: string): string[] {
  const plain = text
    .toLowerCase()
    .replace(/\u05be/g, ' ')
    .replace(NIQQUD, '')
    .replace(/[ךםןףץ]/g, (letter) => FINAL_LETTERS[letter])
    .replace(/[#*]/g, (symbol) => SYMBOLS[symbol])
    // "בSMS", "ה-API": a Hebrew prefix glued to a Latin word.
    .replace(/([\u05d0-\u05ea])(?=[a-z0-9])|([a-z0-9])(?=[\u05d0-\u05ea])/g, '$1$2 ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  return plain.split(' ').filter((word) => word !== '' && !STOP.has(word));
}

function englishStem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The forms a word may stand for; two words match when their forms meet. */
export function forms(word: string): string[] {
  if (!HEBREW_LETTER.test(word)) return [...new Set([word, englishStem(word)])];
  const stems = [word];
  for (let i = 0; i < 2 && stems[i].length > 3 && PREFIXES.has(stems[i][0]); i++) stems.push(stems[i].slice(1));
  const all = stems.flatMap((stem) => [stem, ...SUFFIXES.filter((end) => stem.length - end.length >= 3 && stem.endsWith(end)).map((end) => stem.slice(0, -end.length))]);
  return [...new Set(all)];
}
