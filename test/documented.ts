import { readFileSync } from 'node:fs';

/**
 * The vendor's command index as the docs in docs/ state it, read from the files themselves so that no test
 * keeps a hand list of commands: COMMANDS.md (the seed commands, each a table row, MFASession's actions in a
 * table of their own) and API-CATALOG.md (the rest of the API, one `### Command — ...` section each).
 */

const read = (name: string) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');

export interface DocumentedCommand {
  command: string;
  /** The action values the index lists for it (empty: none, or the catalog does not list them as a table). */
  actions: string[];
  /** The index row or the catalog section: where the command's actions and params are written. */
  text: string;
  source: 'COMMANDS.md' | 'API-CATALOG.md';
}

/** `action a / b / c` or `SipExtensionManagement (Get/Set)`: the values after the field that carries the action. */
function actionsInRow(command: string, params: string): string[] {
  // Drop explanations in parentheses, e.g. "getList (id = queue id)", but keep a bare list such as "(Get/Set)".
  const plain = params.replace(/\([^)]*[^\w/)][^)]*\)/g, '');
  const list = new RegExp(`\\b(?:action|${command})\\b[:\\s(]*(\\w+(?:\\s*/\\s*\\w+)+)`).exec(plain)?.[1];
  return list ? list.split('/').map((value) => value.trim()) : [];
}

function fromIndex(): DocumentedCommand[] {
  const text = read('COMMANDS.md');
  const rows = [...text.matchAll(/^\| \d+ \| (\w+) \| ([^|]*) \|.*$/gm)];
  const mfaActions = [...text.matchAll(/^\| (\w+) \| [^|]* \| (?:nothing|hard)/gm)].map((match) => match[1]);
  return rows.map(([row, command, params]) => ({
    command,
    actions: command === 'MFASession' ? mfaActions : actionsInRow(command, params),
    text: row,
    source: 'COMMANDS.md',
  }));
}

function fromCatalog(): DocumentedCommand[] {
  const sections = read('API-CATALOG.md').split(/^(?=### )/m).slice(1);
  return sections.flatMap((section) => {
    const command = /^### (\w+) —/.exec(section)?.[1];
    return command ? [{ command, actions: [], text: section, source: 'API-CATALOG.md' as const }] : [];
  });
}

export const INDEXED = fromIndex();
export const CATALOGUED = fromCatalog();
export const DOCUMENTED = new Map([...CATALOGUED, ...INDEXED].map((entry) => [entry.command, entry]));
