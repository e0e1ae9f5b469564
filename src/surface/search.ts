import { commandsOf, type ToolSpec } from '../call/command.js';

/**
 * Ranks tools against a request in English or Hebrew: a weighted word match over the table's own words
 * (name, title, commands, keywords, summary, params, toolset), each word worth more the fewer tools carry it. No model.
 * A keyword of several words ("מי התקשר", "call log") is a phrase: its words count little alone and much together,
 * so "מחק קמפיין" on one tool does not make every request with "קמפיין" a delete.
 */

/** How much a word counts by where the entry carries it. */
const WEIGHT = { name: 3, title: 3, keywords: 3, commands: 2, toolset: 1.5, phraseWord: 1, summary: 1, params: 1 } as const;
/** A Hebrew word matched only after taking off a prefix letter (ו, ה, ב, ל, מ, ש, כ) may be a different word. */
const PREFIX_STRIPPED = 0.8;

const STOPWORDS = new Set(
  [
    'a an the to of in on at for from by with and or is are was be it its my me i we our you your this that these those what who which how',
    'do does did can could will would please all any some there here into out up about after before than then now just not no',
    'של את על עם לי שלי זה זו מה מי איך אילו כל יש אני אנחנו או גם רק כמה אם עכשיו',
  ]
    .join(' ')
    .split(' '),
);

const HEBREW = /[\u0590-\u05FF]/;
const HEBREW_PREFIX = /^[והבלמשכ]/;

/** Crude English stemming, enough to meet `logged`/`log`, `calls`/`call`, `queued`/`queue`. */
function stemEnglish(word: string): string {
  let stem = word;
  if (stem.length > 3 && stem.endsWith('s') && !stem.endsWith('ss')) stem = stem.slice(0, -1);
  const suffix = /(ing|ed)$/.exec(stem);
  if (suffix && stem.length - suffix[0].length >= 3) stem = stem.slice(0, -suffix[0].length);
  if (stem.length > 3 && stem.endsWith('e')) stem = stem.slice(0, -1);
  // A doubled last consonant left by a suffix (logg, runn), but not a word's own (call, pass).
  if (suffix && /([^aeiouls])\1$/.test(stem)) stem = stem.slice(0, -1);
  return stem;
}

/** Hebrew singular, plural and past plural (הקלטה, הקלטות; שיחה, שיחות; נשאר, נשארו) meet on one stem. */
function stemHebrew(word: string): string {
  const suffix = /(ים|ות|ה|ת|ו)$/.exec(word);
  return suffix && word.length - suffix[0].length >= 3 ? word.slice(0, -suffix[0].length) : word;
}

const stem = (word: string) => (HEBREW.test(word) ? stemHebrew(word) : stemEnglish(word));

/** Words of a text: camelCase and snake_case split, lower-cased, without stopwords. */
function words(text: string): string[] {
  const split = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return (split.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOPWORDS.has(word));
}

/** A query word's stems with what each is worth: as written, then without up to two Hebrew prefix letters. */
function queryStems(word: string): Array<[string, number]> {
  const stems: Array<[string, number]> = [[stem(word), 1]];
  let rest = word;
  for (let i = 0; i < 2 && HEBREW_PREFIX.test(rest) && rest.length > 3; i++) {
    rest = rest.slice(1);
    stems.push([stem(rest), PREFIX_STRIPPED]);
  }
  return stems;
}

interface Indexed {
  /** Every stem the entry carries, at the weight of the strongest place it appears. */
  terms: Map<string, number>;
  /** The stems of each keyword of several words. */
  phrases: string[][];
}

function indexTool(spec: ToolSpec): Indexed {
  const keywords = spec.keywords ?? [];
  const phrases = keywords.map((keyword) => words(keyword).map(stem)).filter((stems) => stems.length > 1);
  const fields: Array<[string, number]> = [
    [spec.name, WEIGHT.name],
    [spec.title, WEIGHT.title],
    [keywords.filter((keyword) => words(keyword).length === 1).join(' '), WEIGHT.keywords],
    [keywords.filter((keyword) => words(keyword).length > 1).join(' '), WEIGHT.phraseWord],
    [commandsOf(spec).join(' '), WEIGHT.commands],
    [Object.keys(spec.actions ?? {}).join(' '), WEIGHT.commands],
    [spec.toolset, WEIGHT.toolset],
    [spec.summary, WEIGHT.summary],
    [Object.keys(spec.params).join(' '), WEIGHT.params],
  ];
  const terms = new Map<string, number>();
  for (const [text, weight] of fields) {
    for (const word of words(text)) {
      const term = stem(word);
      terms.set(term, Math.max(terms.get(term) ?? 0, weight));
    }
  }
  return { terms, phrases };
}

export interface Match {
  spec: ToolSpec;
  score: number;
}

/** A ranker over these tools: the tools the query's words meet, best first (table order breaks ties). */
export function createSearch(tools: readonly ToolSpec[]): (query: string) => Match[] {
  const indexed = tools.map((spec) => ({ spec, ...indexTool(spec) }));
  const toolsWith = new Map<string, number>();
  for (const { terms } of indexed) for (const term of terms.keys()) toolsWith.set(term, (toolsWith.get(term) ?? 0) + 1);
  const rarity = (term: string) => Math.log(1 + tools.length / (toolsWith.get(term) ?? tools.length));

  return (query) => {
    const asked = [...new Set(words(query))].map(queryStems);
    const said = new Map<string, number>();
    for (const [term, worth] of asked.flat()) said.set(term, Math.max(said.get(term) ?? 0, worth));
    /** A phrase every word of which the query says: worth its words at the keyword weight. */
    const phraseScore = (phrase: string[]) =>
      phrase.every((term) => said.has(term)) ? phrase.reduce((sum, term) => sum + (WEIGHT.keywords - WEIGHT.phraseWord) * said.get(term)! * rarity(term), 0) : 0;
    return indexed
      .map(({ spec, terms, phrases }) => ({
        spec,
        score:
          asked.reduce((sum, stems) => sum + Math.max(0, ...stems.map(([term, worth]) => (terms.get(term) ?? 0) * worth * rarity(term))), 0) +
          phrases.reduce((sum, phrase) => sum + phraseScore(phrase), 0),
      }))
      .filter((match) => match.score > 0)
      .sort((a, b) => b.score - a.score);
  };
}
