import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionOf, actionParamOf, paramsOfAction, type Input, type ToolSpec } from '../src/call/command.js';
import { inputSchema } from '../src/call/schema.js';
import { createServer } from '../src/server.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { TOOLS } from '../src/tools/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { storedBytes, storedText, tempFolders, wavBytes } from './files-fixtures.js';
import { startHarness, type Harness } from './harness.js';
import { CONFIRM_PARAM } from '../src/call/confirm.js';
import { REPEAT_PARAM } from '../src/call/spend-guard.js';

/**
 * Issue 25, "The file the person named, and no other": attacks on the paths an agent gives (IVR paths, local
 * files, upload names) and on the text that travels with them. Each refusal names the field and sends nothing.
 */

let sandbox: Sandbox;
let folders: ReturnType<typeof tempFolders>;
let harness: Harness;
let asked: ElicitRequest['params'][] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  folders = tempFolders();
  harness = await startHarness({
    use: sandbox,
    env: { YEMOT_FILES_DIR: folders.allowed },
    capabilities: { elicitation: { form: {} } },
    onElicit: (request) => {
      asked.push(request);
      return { action: 'accept', content: { confirm: true } };
    },
  });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
  folders.remove();
});
beforeEach(() => {
  sandbox.reset();
  asked = [];
});

/** Requests a call sent, without the two-factor probes. */
const sent = (from: number) => harness.since(from).filter((request) => !(request.command === 'MFASession' && request.params.action === 'isPass'));

async function expectRefused(name: string, args: Input, field: string, rule: RegExp, via: Harness = harness) {
  const before = via.sandbox.requests.length;
  const result = await via.call(name, args);
  expect(result.isError, `${name} ${JSON.stringify(args).slice(0, 200)}: ${result.text}`).toBe(true);
  expect(result.json.error, result.text).toBe('INVALID_INPUT');
  // The field itself, or a place inside it: what[1], extIni.title.
  expect(String(result.json.message), result.text).toMatch(new RegExp(`(?:^|: |; )${field.replace(/[.[\]$]/g, '\\$&')}(?:\\[\\d+\\]|\\.\\w+)*: `));
  expect(String(result.json.message), result.text).toMatch(rule);
  expect(via.since(before), JSON.stringify(args).slice(0, 200)).toHaveLength(0);
  return result;
}

describe('ext/ is a folder, not a prefix (GetIVR2DirStats: "ext/1 for extension ext/1")', () => {
  it('delete_files ext/1/000.wav deletes that file, not 1/000.wav; the question and the result show ivr2:/ext/1/000.wav', async () => {
    const before = sandbox.requests.length;
    const result = await harness.call('delete_files', { what: ['ext/1/000.wav'] });
    expect(result.isError, result.text).toBe(false);
    const [request] = sent(before).filter((r) => r.command === 'FileAction');
    expect(request.params.what).toBe('ivr2:/ext/1/000.wav');
    expect(storedBytes(sandbox, 'ext/1/000.wav')).toBeUndefined();
    expect(storedBytes(sandbox, '1/000.wav')).toBeDefined();
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toContain('ivr2:/ext/1/000.wav');
    expect(result.json.reports).toEqual([expect.objectContaining({ what: 'ivr2:/ext/1/000.wav', success: true })]);
  });

  it('write_text_file ext/ext.ini writes the ext folder\'s ext.ini, not the root\'s', async () => {
    const root = storedText(sandbox, 'ext.ini');
    const result = await harness.call('write_text_file', { what: 'ext/ext.ini', contents: 'type=menu\ntitle=ext\n' });
    expect(result.isError, result.text).toBe(false);
    expect(storedText(sandbox, 'ext/ext.ini')).toBe('type=menu\ntitle=ext\n');
    expect(result.json.path).toBe('ivr2:/ext/ext.ini');
    expect(storedText(sandbox, 'ext.ini')).toBe(root);
  });

  it('a root folder named ivr is ivr2:/ivr/…', async () => {
    expect((await harness.call('create_extension', { path: 'ivr2:/ivr', type: 'menu' })).isError).toBe(false);
    expect((await harness.call('create_extension', { path: 'ivr2:/ivr/1', type: 'playfile' })).isError).toBe(false);
    expect(storedText(sandbox, 'ivr/1/ext.ini')).toBe('type=playfile\n');
    await harness.call('change_extension', { path: 'ivr2:/ivr/1', set: { type: 'menu' } });
    expect(storedText(sandbox, 'ivr/1/ext.ini')).toBe('type=menu\n');
  });
});

describe('look-alike dots (NFKC) are . and ..', () => {
  it.each(['１/．．/2/000.wav', '1/\u2024\u2024/000.wav', '1/\uFE52\uFE52/000.wav'])('delete_files %s is refused naming what', async (what) => {
    await expectRefused('delete_files', { what: [what] }, 'what', /\.\./);
  });
});

describe('the root folder is never a delete, move or overwrite target', () => {
  const ROOTS = [' /', '/', 'ivr2:', 'ivr2:/', 'ivr/', 'IVR2:'];
  it.each(ROOTS)('%j: delete, move source, text file, upload and download are refused naming the field', async (root) => {
    await expectRefused('delete_files', { what: root }, 'what', /root/);
    await expectRefused('delete_files', { what: ['2/000.wav', root] }, 'what', /root/);
    await expectRefused('copy_move_files', { action: 'move', what: root, target: '1/20' }, 'what', /root/);
    await expectRefused('write_text_file', { what: root, contents: 'x' }, 'what', /root/);
    await expectRefused('upload_file', { path: root, base64: 'UklGRg==', fileName: 'a.wav' }, 'path', /root/);
    await expectRefused('download_file', { path: root }, 'path', /root/);
  });

  it('the root stays a folder where a folder is meant: move into it, list it, number an upload into it', async () => {
    expect((await harness.call('copy_move_files', { action: 'move', what: '2/000.wav', target: '/' })).isError).toBe(false);
    expect(storedBytes(sandbox, '000.wav')).toBeDefined();
    expect((await harness.call('read_ivr', { command: 'GetIVR2Dir', path: 'ivr2:' })).isError).toBe(false);
    const numbered = await harness.call('upload_file', { path: '/', base64: wavBytes(10).toString('base64'), fileName: 'a.wav', autoNumbering: true });
    expect(numbered.isError, numbered.text).toBe(false);
  });
});

describe('download_file saveTo is a write that never replaces a file by accident', () => {
  it('an existing file is kept unless overwrite: true', async () => {
    const target = join(folders.allowed, 'kept.wav');
    writeFileSync(target, 'MINE');
    const before = sandbox.requests.length;
    const refused = await harness.call('download_file', { path: '1/000.wav', saveTo: 'kept.wav' });
    expect(refused.isError, refused.text).toBe(true);
    expect(refused.json.error).toBe('INVALID_INPUT');
    expect(String(refused.json.message)).toMatch(/saveTo: .*exists.*overwrite/);
    expect(readFileSync(target, 'utf8')).toBe('MINE');
    expect(sent(before).filter((r) => r.command === 'DownloadFile')).toHaveLength(0);
    await expectRefused('download_file', { path: '1/000.wav', overwrite: true }, 'overwrite', /only with saveTo/);
    const replaced = await harness.call('download_file', { path: '1/000.wav', saveTo: 'kept.wav', overwrite: true });
    expect(replaced.isError, replaced.text).toBe(false);
    expect(readFileSync(target).equals(storedBytes(sandbox, '1/000.wav')!)).toBe(true);
  });

  it.each([
    ['--read-only', { argv: ['--read-only', '--toolsets', 'all'] }],
    ['YEMOT_ALLOW=read,delete', { env: { YEMOT_ALLOW: 'read,delete' } }],
  ])('under %s: NOT_ALLOWED, nothing sent, nothing written; without saveTo it still downloads', async (_label, options) => {
    const limited = await startHarness({ use: sandbox, argv: ['--toolsets', 'all'], ...options, env: { YEMOT_FILES_DIR: folders.allowed, ...('env' in options ? options.env : {}) } });
    try {
      const before = sandbox.requests.length;
      const refused = await limited.call('download_file', { path: '1/000.wav', saveTo: 'policy.wav' });
      expect(refused.isError, refused.text).toBe(true);
      expect(refused.json.error).toBe('NOT_ALLOWED');
      expect(limited.since(before)).toHaveLength(0);
      expect(existsSync(join(folders.allowed, 'policy.wav'))).toBe(false);
      expect((await limited.call('download_file', { path: '1/001.wav' })).isError).toBe(false);
    } finally {
      await limited.close();
    }
  });
});

describe('hard links lead out of YEMOT_FILES_DIR: a file with more than one link is refused', () => {
  it('for an upload (localFile) and for saveTo with overwrite, and the file outside is untouched', async () => {
    const secret = join(folders.outside, 'secret.wav');
    writeFileSync(secret, 'SECRET');
    linkSync(secret, join(folders.allowed, 'linked.wav'));
    await expectRefused('upload_file', { path: '1/030.wav', localFile: 'linked.wav' }, 'localFile', /link/);
    const result = await harness.call('download_file', { path: '1/000.wav', saveTo: 'linked.wav', overwrite: true });
    expect(result.isError, result.text).toBe(true);
    expect(String(result.json.message)).toMatch(/saveTo: .*link/);
    expect(readFileSync(secret, 'utf8')).toBe('SECRET');
  });
});

describe('an upload\'s fileName is one segment', () => {
  it.each([
    ['../000.wav', /one name/],
    ['a/b.wav', /one name/],
    ['a\\b.wav', /one name/],
    ['..', /one name/],
    ['.', /one name/],
    ['a\uFF0Fb.wav', /one name/],
    ['\u2024\u2024', /one name/],
    ['x\u202Egpj.wav', /U\+202E/],
    ['x\u0007.wav', /U\+0007/],
    [`${'ש'.repeat(128)}.wav`, /255 bytes/],
  ])('%j is refused naming fileName', async (fileName, rule) => {
    await expectRefused('upload_file', { path: '1', base64: 'UklGRg==', fileName, autoNumbering: true }, 'fileName', rule);
  });

  it('a localFile\'s own name travels too, so it is held to the same rule', async () => {
    writeFileSync(join(folders.allowed, '..\\000.wav'), wavBytes(10));
    await expectRefused('upload_file', { path: '1', localFile: '..\\000.wav', autoNumbering: true }, 'localFile', /one name/);
  });

  it('a Hebrew name of up to 255 bytes goes', async () => {
    const fileName = `${'ש'.repeat(120)}.wav`;
    const before = sandbox.requests.length;
    const result = await harness.call('upload_file', { path: '1', base64: wavBytes(10).toString('base64'), fileName, autoNumbering: true });
    expect(result.isError, result.text).toBe(false);
    expect(sent(before).find((r) => r.command === 'UploadFile')?.files[0].filename).toBe(fileName);
  });
});

/**
 * Every string a tool takes, at any depth a schema lets a string sit (a param, an array item, a record value):
 * a value holding one bad character in the param's place.
 */
type Shape = { type?: string; anyOf?: Shape[]; items?: Shape; additionalProperties?: Shape | boolean; enum?: unknown[] };
function holding(shape: Shape, bad: string): unknown {
  const options = shape.anyOf ?? [shape];
  if (options.some((option) => option.type === 'string')) return `a${bad}b`;
  const array = options.find((option) => option.type === 'array' && option.items?.type === 'string');
  if (array) return [`a${bad}b`];
  const record = options.find((option) => option.type === 'object' && typeof option.additionalProperties === 'object');
  if (record) return { title: `a${bad}b` };
  return undefined;
}

/** An example of the tool that may carry `param` (its action uses it), with the bad value in its place. */
function argsCarrying(spec: ToolSpec, param: string, value: unknown): Input {
  const example = spec.examples.find((candidate) => {
    const action = actionOf(spec, candidate);
    // The server's own confirm and repeat go with every action.
    return action === undefined || param === actionParamOf(spec) || param === CONFIRM_PARAM || param === REPEAT_PARAM || paramsOfAction(spec, action).includes(param);
  });
  if (!example) throw new Error(`${spec.name}: no example whose action takes ${param}`);
  return { ...example, [param]: value };
}

const STRING_PARAMS = TOOLS.flatMap((spec) => {
  const json = z.toJSONSchema(inputSchema(spec), { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Shape> };
  return Object.entries(json.properties).flatMap(([param, shape]) => (holding(shape, 'x') === undefined ? [] : [{ spec, param, shape }]));
});

describe('text the API would choke on never leaves', () => {
  it('finds the string params of the whole table, nested ones included', () => {
    const names = STRING_PARAMS.map(({ spec, param }) => `${spec.name}.${param}`);
    expect(names).toEqual(expect.arrayContaining(['send_tts.ttsMessage', 'send_sms.message', 'write_text_file.contents', 'change_extension.set', 'create_extension.branches', 'manage_queue.callIds', 'upload_file.fileName', 'download_file.saveTo']));
    expect(names.length).toBeGreaterThan(100);
  });

  it.each(STRING_PARAMS.map(({ spec, param, shape }) => [`${spec.name}.${param}`, spec, param, shape] as const))(
    '%s: a NUL or U+202E is refused naming it, nothing sent',
    async (_label, spec, param, shape) => {
      await expectRefused(spec.name, argsCarrying(spec, param, holding(shape, '\u0000')), param, /U\+0000/);
      await expectRefused(spec.name, argsCarrying(spec, param, holding(shape, '\u202E')), param, /U\+202E/);
    },
  );

  it('multi-line fields keep tabs and line breaks; Hebrew marks U+200E/U+200F stay everywhere', async () => {
    const contents = 'type=menu\r\ntitle=\u200Fשלום\u200E\tx\n';
    const written = await harness.call('write_text_file', { what: '1/ext.ini', contents });
    expect(written.isError, written.text).toBe(false);
    expect(storedText(sandbox, '1/ext.ini')).toBe(contents);
    const before = sandbox.requests.length;
    const sms = await harness.call('send_sms', { message: 'שורה\nשורה\u200F', phones: '0501234567' });
    expect(sms.isError, sms.text).toBe(false);
    expect(sent(before).find((r) => r.command === 'SendSms')?.params.message).toBe('שורה\nשורה\u200F');
    await expectRefused('send_sms', { message: 'a\u0000b', phones: '0501234567' }, 'message', /U\+0000/);
    await expectRefused('update_template', { templateId: 1, description: 'one\nline' }, 'description', /U\+000A/);
  });
});

describe('numbers never leave in exponent notation', () => {
  it('transfer_units: amount is positive with at most 2 decimals; 1e-7 and 0.001 are refused, 2.5 goes as 2.5', async () => {
    await expectRefused('transfer_units', { destination: '0779999999', amount: 1e-7 }, 'amount', /2 decimals/);
    await expectRefused('transfer_units', { destination: '0779999999', amount: 0.001 }, 'amount', /2 decimals/);
    const before = sandbox.requests.length;
    const result = await harness.call('transfer_units', { destination: '0779999999', amount: 2.5 });
    expect(result.isError, result.text).toBe(false);
    expect(sent(before).find((r) => r.command === 'TransferUnits')?.params.amount).toBe('2.5');
  });

  const NUMBER_PARAMS = TOOLS.flatMap((spec) => {
    const json = z.toJSONSchema(inputSchema(spec), { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Shape> };
    return Object.entries(json.properties).flatMap(([param, shape]) => ((shape.anyOf ?? [shape]).some((option) => option.type === 'number' || option.type === 'integer') ? [[`${spec.name}.${param}`, spec, param] as const] : []));
  });
  it.each(NUMBER_PARAMS)('%s: 1e-7 and 1e21 are refused naming it', async (_label, spec, param) => {
    for (const value of [1e-7, 1e21]) await expectRefused(spec.name, argsCarrying(spec, param, value), param, /./);
  });

  it('an ext.ini value given as a number: 1e21 is refused naming it', async () => {
    await expectRefused('change_extension', { path: '1', set: { x: 1e21 } }, 'set.x', /exponent/);
    await expectRefused('create_extension', { path: '9', type: 'menu', extIni: { x: 1e21 } }, 'extIni.x', /exponent/);
  });
});

describe('unknown keys are refused by name, __proto__ and constructor included', () => {
  const parsed = (json: string) => JSON.parse(json) as Input;
  it.each([
    ['__proto__', '{"command":"GetIVR2Dir","path":"1","__proto__":{"path":"2"}}'],
    ['__proto__', '{"command":"GetIVR2Dir","path":"1","__proto__":1}'],
    ['constructor', '{"command":"GetIVR2Dir","path":"1","constructor":1}'],
  ])('%s, through an SDK client', async (key, json) => {
    const result = await expectRefused('read_ivr', parsed(json), key, /not a parameter/);
    expect(String(result.json.message)).toContain(`${key}: not a parameter`);
  });

  it('inside a nested object (bridge_calls_to_extension phones)', async () => {
    await expectRefused('bridge_calls_to_extension', { ...TOOLS.find((t) => t.name === 'bridge_calls_to_extension')!.examples[0], phones: [parsed('{"phone":"0501234567","callerId":"0501234567","__proto__":{"x":1}}')] }, '__proto__', /not a parameter/);
  });

  it('through discovery mode\'s yemot_call', async () => {
    const server = createServer({ ctx: harness.app.ctx, tools: harness.app.tools, version: 'test', toolMode: 'discover' });
    const client = new Client({ name: 'attack', version: '1.0.0' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    try {
      const before = sandbox.requests.length;
      const result = await client.callTool({ name: 'yemot_call', arguments: { name: 'read_ivr', arguments: parsed('{"command":"GetIVR2Dir","path":"1","__proto__":{"x":1}}') } });
      const json = JSON.parse((result.content as Array<{ text: string }>)[0].text);
      expect(json.error).toBe('INVALID_INPUT');
      expect(json.message).toContain('__proto__: not a parameter');
      expect(sandbox.requests.slice(before)).toHaveLength(0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

