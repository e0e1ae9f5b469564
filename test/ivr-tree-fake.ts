import type { IvrTextReader } from '../src/ivr/dry-run.js';

/** An IVR in memory: folder path → its settings and files (name → content). */
export interface FakeFolder {
  ini?: Record<string, string>;
  files?: Record<string, string>;
}

export interface FakeIvr extends IvrTextReader {
  /** How often each `list:<path>`, `settings:<path>`, `text:<path>` was asked for. */
  reads: Map<string, number>;
  maxInFlight: number;
}

const parentPath = (path: string) => (path.lastIndexOf('/') === 0 ? '/' : path.slice(0, path.lastIndexOf('/')));

export function fakeIvr(folders: Record<string, FakeFolder>): FakeIvr {
  const children = new Map<string, string[]>();
  for (const path of Object.keys(folders)) {
    if (path === '/') continue;
    const parent = parentPath(path);
    children.set(parent, [...(children.get(parent) ?? []), path.slice(path.lastIndexOf('/') + 1)]);
  }
  let inFlight = 0;
  const fake: FakeIvr = {
    reads: new Map(),
    maxInFlight: 0,
    list: (path) => read(`list:${path}`, () => {
      const folder = folders[path];
      if (!folder) return undefined;
      const files = Object.entries(folder.files ?? {}).map(([name, content]) => ({ name, size: content.length }));
      if (folder.ini) files.push({ name: 'ext.ini', size: 10 });
      return { folders: (children.get(path) ?? []).map((name) => ({ name })), files };
    }),
    settings: (path) => read(`settings:${path}`, () => folders[path]?.ini),
    text: (path) => read(`text:${path}`, () => folders[parentPath(path)]?.files?.[path.slice(path.lastIndexOf('/') + 1)]),
  };
  async function read<T>(what: string, answer: () => T): Promise<T> {
    fake.reads.set(what, (fake.reads.get(what) ?? 0) + 1);
    inFlight += 1;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 0));
    inFlight -= 1;
    return answer();
  }
  return fake;
}

/**
 * The planted IVR of the tests: a root menu whose keys 1-8 each lead to one kind of module.
 * 8 is a loop: /8 sends to /8/1, which sends back up to /8.
 */
export const PLANTED: Record<string, FakeFolder> = {
  '/': { ini: { type: 'menu', title: 'Main' }, files: { 'M1000.wav': '', 'M0000.tts': 'Welcome to the line' } },
  '/1': { ini: { type: 'playfile', title: 'Sales', playfile_end_goto: '/' }, files: { '000.wav': '', '001.tts': 'File one speaks', '000.txt': 'x' } },
  '/2': { ini: { type: 'queue' }, files: {} },
  '/3': { ini: { type: 'api', api_link: 'https://example.com/ivr', api_end_goto: '/6' } },
  '/4': { ini: { type: 'go_to_folder', go_to_folder: '/1' } },
  '/5': { ini: { type: 'go_to_folder_time', go_to_folder_time_1: '/1.08:00-12:00.*.*.*', go_to_folder_time_error_goto: '/6' } },
  '/6': { ini: { type: 'hangup' }, files: { 'M0000.wav': '' } },
  '/7': { ini: { type: 'menu', timeout_goto: '/9' }, files: { 'M1000.tts': 'Press 1 for news' } },
  '/7/1': { ini: { type: 'play_and_return' }, files: { 'M0002.wav': '' } },
  '/8': { ini: { type: 'go_to_folder', go_to_folder: '1' } },
  '/8/1': { ini: { type: 'go_to_folder', go_to_folder: '..' } },
};

/**
 * A generated IVR of `count` extensions, filled breadth first with up to `fanout` sub-folders (`1`…) each.
 * Returns the folders and each path's number of sub-folders.
 */
export function generatedIvr(count: number, fanout = 9): { folders: Record<string, FakeFolder>; subFolders: Map<string, number> } {
  const folders: Record<string, FakeFolder> = {};
  const subFolders = new Map<string, number>();
  const queue = ['/'];
  let made = 0;
  while (made < count) {
    const path = queue.shift() as string;
    made += 1;
    subFolders.set(path, 0);
    if (path !== '/') {
      const parent = parentPath(path);
      subFolders.set(parent, (subFolders.get(parent) ?? 0) + 1);
    }
    const depth = path === '/' ? 0 : path.split('/').length - 1;
    folders[path] = { ini: { type: 'menu', title: `Branch ${path}` }, files: { 'M1000.wav': '' } };
    if (depth >= 3) folders[path] = { ini: { type: 'playfile', title: `Lesson ${made}`, playfile_end_goto: '/' }, files: { '000.wav': '', '001.wav': '', '002.tts': 'x' } };
    for (let key = 1; key <= fanout; key += 1) queue.push(path === '/' ? `/${key}` : `${path}/${key}`);
  }
  return { folders, subFolders };
}
