import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeValue, applyChanges, expiringLines, IniSyntaxError, parseIni, serializeIni, settings, type IniChange } from '../src/ivr/ini.js';

const roundTrip = (text: string) => serializeIni(parseIni(text));
const apply = (text: string, changes: IniChange[]) => serializeIni(applyChanges(parseIni(text), changes));

/** Pieces ext.ini lines are made of, to make texts that look like real files (and some that do not). */
const piece = fc.constantFrom('type', 'menu', '=', '==', ' ', '\t', ';', '#', '(', ')', '|', '2026-01-01-00-00-00', '\r', '\n', '\r\n', 'א', '/1/2', '\ufeff', 'x');
/** Any UTF-16 code unit (lone surrogates too), with line syntax characters often. */
const anyUnit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), fc.constantFrom('\r', '\n', '=', ';', '(', ')'));
const anyText = fc.string({ unit: anyUnit, maxLength: 200 });
const iniLike = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(''));
const keyName = fc.constantFrom('type', 'digits', 'playfile_end_goto', 'x', 'api_add_0', 'מפתח');
const change: fc.Arbitrary<IniChange> = fc.oneof(
  fc.record({ set: keyName, value: fc.constantFrom('', 'yes', '/', 'a=b', ' spaced ', 'א') }),
  fc.record({ remove: keyName }),
);

describe('parseIni', () => {
  it('reads settings, expiry parts, comments, blanks and other lines', () => {
    const { lines } = parseIni('type=menu\r\n; a comment\n  # another\n\nno equals here\napi_add_0=foo=111\n type(2021-07-29-00-00-00|playfile)=menu\nkey = value \n=orphan');
    expect(lines.map((line) => line.kind)).toEqual(['setting', 'comment', 'comment', 'blank', 'other', 'setting', 'setting', 'setting', 'other']);
    expect(lines[0]).toMatchObject({ key: 'type', value: 'menu', raw: 'type=menu', eol: '\r\n' });
    expect(lines[5]).toMatchObject({ key: 'api_add_0', value: 'foo=111' });
    expect(lines[6]).toMatchObject({ key: 'type', expiry: '2021-07-29-00-00-00|playfile', value: 'menu' });
    expect(lines[7]).toMatchObject({ key: 'key', value: ' value ', raw: 'key = value ' });
    expect(lines[8]).toMatchObject({ raw: '=orphan', eol: '' });
  });

  it('keeps a lone CR inside its line and reads an empty text as no lines', () => {
    expect(parseIni('a=1\rb=2\n').lines).toEqual([{ kind: 'setting', key: 'a', value: '1\rb=2', raw: 'a=1\rb=2', eol: '\n' }]);
    expect(parseIni('').lines).toEqual([]);
    expect(parseIni('\n').lines).toEqual([{ kind: 'blank', raw: '', eol: '\n' }]);
  });

  it('is lossless for any text', () => {
    fc.assert(fc.property(anyText, (text) => roundTrip(text) === text), { numRuns: 1000 });
    fc.assert(fc.property(iniLike, (text) => roundTrip(text) === text), { numRuns: 500 });
    for (const text of ['', '\n', '\r\n', '\r', 'a=1', 'a=1\n', 'a=1\r\n\r\n', '\ufeffa=1\r\nb=2']) expect(roundTrip(text)).toBe(text);
  });
});

describe('activeValue and settings', () => {
  const doc = parseIni('type(2026-01-01-00-00-00|playfile)=menu\ntype=playfile\ndigits=1\ndigits=2\n; note=1\n__proto__=x\n');

  it('the first plain line of a key wins; lines with an expiry are not plain values', () => {
    expect(activeValue(doc, 'type')).toBe('playfile');
    expect(activeValue(doc, 'digits')).toBe('1');
    expect(activeValue(doc, 'note')).toBeUndefined();
    expect(activeValue(doc, 'missing')).toBeUndefined();
  });

  it('settings are the plain keys, as own properties', () => {
    const record = settings(doc);
    expect(Object.keys(record)).toEqual(['type', 'digits', '__proto__']);
    expect(record.type).toBe('playfile');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.hasOwn(record, '__proto__')).toBe(true);
  });

  it('expiringLines lists the clock-bound lines of a key', () => {
    expect(expiringLines(doc, 'type').map((line) => line.expiry)).toEqual(['2026-01-01-00-00-00|playfile']);
    expect(expiringLines(doc, 'digits')).toEqual([]);
  });
});

describe('applyChanges', () => {
  const FILE = 'type=playfile\r\n; keep me\r\nunknown_key=42\r\n\r\nstart = max\r\ntype(2026-01-01-00-00-00|menu)=playfile\r\nplayfile_end_goto=/1\r\n';

  it('sets in place, keeping position, spacing before "=" and line ending; the value is written as given', () => {
    expect(apply(FILE, [{ set: 'start', value: 'min' }])).toBe(FILE.replace('start = max', 'start =min'));
  });

  it('appends a new key with the file\'s own line ending', () => {
    expect(apply(FILE, [{ set: 'random', value: '1' }])).toBe(`${FILE}random=1\r\n`);
    expect(apply('a=1\nb=2\n', [{ set: 'c', value: '3' }])).toBe('a=1\nb=2\nc=3\n');
  });

  it('a file that ends without a line break still does', () => {
    expect(apply('a=1\r\nb=2', [{ set: 'c', value: '3' }])).toBe('a=1\r\nb=2\r\nc=3');
    expect(apply('b=2', [{ set: 'c', value: '3' }])).toBe('b=2\nc=3');
    expect(apply('', [{ set: 'c', value: '3' }])).toBe('c=3\n');
  });

  it('removes the plain lines of a key only', () => {
    expect(apply(FILE, [{ remove: 'type' }])).toBe(FILE.replace('type=playfile\r\n', ''));
    expect(apply('a=1\nb=2\na=3\n', [{ remove: 'a' }])).toBe('b=2\n');
    expect(apply(FILE, [{ remove: 'not_there' }])).toBe(FILE);
  });

  it('sets every duplicate, so the change holds whichever line Yemot reads', () => {
    expect(apply('a=1\nb=2\na=3\n', [{ set: 'a', value: '9' }])).toBe('a=9\nb=2\na=9\n');
  });

  it('never touches expiry lines with a plain set or remove', () => {
    const changed = apply(FILE, [{ set: 'type', value: 'menu' }]);
    expect(changed).toContain('type(2026-01-01-00-00-00|menu)=playfile\r\n');
    expect(changed.startsWith('type=menu\r\n')).toBe(true);
    expect(apply('type(2026-01-01-00-00-00)=menu\n', [{ set: 'type', value: 'api' }])).toBe('type(2026-01-01-00-00-00)=menu\ntype=api\n');
    expect(apply('type(2026-01-01-00-00-00)=menu\n', [{ remove: 'type' }])).toBe('type(2026-01-01-00-00-00)=menu\n');
  });

  it('keeps unknown keys, comments, blanks and order, and applies changes in order', () => {
    const changed = apply(FILE, [{ set: 'start', value: 'min' }, { remove: 'playfile_end_goto' }, { set: 'playfile_end_goto', value: '/' }]);
    expect(changed).toBe('type=playfile\r\n; keep me\r\nunknown_key=42\r\n\r\nstart =min\r\ntype(2026-01-01-00-00-00|menu)=playfile\r\nplayfile_end_goto=/\r\n');
  });

  it('leaves the given document as it was', () => {
    const doc = parseIni(FILE);
    const copy = structuredClone(doc);
    applyChanges(doc, [{ set: 'start', value: 'min' }, { remove: 'type' }, { set: 'new', value: '1' }]);
    expect(doc).toEqual(copy);
  });

  it('keeps every line it was not asked to change, in order (property)', () => {
    fc.assert(
      fc.property(iniLike, fc.array(change, { maxLength: 5 }), (text, changes) => {
        const touched = new Set(changes.map((c) => ('set' in c ? c.set : c.remove)));
        const untouched = (t: string) => parseIni(t).lines.filter((line) => line.kind !== 'setting' || line.expiry !== undefined || !touched.has(line.key)).map((line) => line.raw);
        const after = apply(text, changes);
        expect(untouched(after)).toEqual(untouched(text));
        const final = new Map<string, string | undefined>();
        for (const c of changes) final.set('set' in c ? c.set : c.remove, 'set' in c ? c.value : undefined);
        for (const [key, value] of final) expect(activeValue(parseIni(after), key)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[IniChange, string]>([
    [{ set: '', value: '1' }, 'empty'],
    [{ set: 'a=b', value: '1' }, '"="'],
    [{ set: 'a\nb', value: '1' }, 'line break'],
    [{ set: 'a\rb', value: '1' }, 'line break'],
    [{ set: ';a', value: '1' }, 'comment'],
    [{ set: '#a', value: '1' }, 'comment'],
    [{ set: ' a', value: '1' }, 'space'],
    [{ set: 'a ', value: '1' }, 'space'],
    [{ set: 'type(2026-01-01-00-00-00)', value: '1' }, 'expiry'],
    [{ set: 'a', value: '1\n2' }, 'line break'],
    [{ set: 'a', value: '1\r' }, 'line break'],
    [{ remove: '' }, 'empty'],
    [{ remove: 'a=b' }, '"="'],
  ])('refuses %j, naming the key and the rule', (bad, rule) => {
    const doc = parseIni('a=1\n');
    let caught: unknown;
    try {
      applyChanges(doc, [{ set: 'fine', value: '1' }, bad]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IniSyntaxError);
    const error = caught as IniSyntaxError;
    const key = 'set' in bad ? bad.set : bad.remove;
    expect(error.key).toBe(key);
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toContain(rule);
  });
});
