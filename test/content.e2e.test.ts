import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { Logger } from '../src/core/log.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { fileBytes, findFile } from '../src/sandbox/vfs.js';
import { createServer } from '../src/server.js';
import { TOOLS } from '../src/tools/index.js';

/** The table's download_file alone: how a binary answer becomes MCP content. */
const downloadFile = TOOLS.find((spec) => spec.name === 'download_file')!;

let sandbox: Sandbox;
let app: App;
let client: Client;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
  const credentials = { token: sandbox.token };
  app = createApp({ ...loadConfig([], {}), credentials }, { apiUrl: sandbox.url, credentials, log: new Logger('error', () => undefined) });
  const server = createServer({ ctx: app.ctx, tools: [downloadFile], version: 'test' });
  client = new Client({ name: 'content-test', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  closeServer = () => server.close();
  // Lists the tools so the SDK client checks every structuredContent against the listed output schema.
  await client.listTools();
});
afterAll(async () => {
  await client.close();
  await closeServer();
  await app.close();
  await sandbox.close();
});
afterEach(() => sandbox.clearFaults());

const download = async (path: string) => (await client.callTool({ name: 'download_file', arguments: { path } })) as CallToolResult;
const simulatorBytes = (...segments: string[]) => Buffer.from(fileBytes(findFile(sandbox.account.ivr, segments)!));

describe('a binary answer as MCP content', () => {
  it('a WAV comes back as an audio block whose base64 decodes to the simulator bytes, described in structuredContent', async () => {
    const result = await download('ivr2:/1/10/002.wav');
    const expected = simulatorBytes('1', '10', '002.wav');
    expect(result.isError).toBeFalsy();
    expect(result.content).toHaveLength(2);
    const [text, audio] = result.content;
    expect(audio).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
    expect(audio.type === 'audio' && Buffer.from(audio.data, 'base64').equals(expected)).toBe(true);
    const structured = { contentType: 'audio/wav', size: expected.length, file: 'ivr2:/1/10/002.wav' };
    expect(result.structuredContent).toEqual(structured);
    expect(text).toEqual({ type: 'text', text: JSON.stringify(structured) });
  });

  it('a text file (ext.ini) is an embedded resource holding its text', async () => {
    const result = await download('ivr2:/5/ext.ini');
    expect(result.content[1]).toEqual({
      type: 'resource',
      resource: { uri: 'ivr2:/5/ext.ini', mimeType: 'text/plain', text: simulatorBytes('5', 'ext.ini').toString('utf8') },
    });
  });

  it('a file of no media type Yemot names is an embedded resource blob', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    sandbox.injectFault({ kind: 'raw', contentType: 'application/octet-stream', body: bytes.toString('latin1') }, { command: 'DownloadFile' });
    const result = await download('ivr2:/1/data.bin');
    expect(result.content[1]).toEqual({ type: 'resource', resource: { uri: 'ivr2:/1/data.bin', mimeType: 'application/octet-stream', blob: expect.any(String) } });
    expect(result.structuredContent).toMatchObject({ contentType: 'application/octet-stream', file: 'ivr2:/1/data.bin' });
  });

  it('an answer typed as an image is an image block', async () => {
    sandbox.injectFault({ kind: 'raw', contentType: 'image/png', body: 'png bytes' }, { command: 'DownloadFile' });
    const result = await download('ivr2:/1/logo.png');
    expect(result.content[1]).toEqual({ type: 'image', mimeType: 'image/png', data: Buffer.from('png bytes').toString('base64') });
    expect(result.structuredContent).toMatchObject({ contentType: 'image/png', size: 9 });
  });

  it('a file that spells the session token carries it redacted, and says so', async () => {
    const ini = `type=api\napi_link=https://example.com/hook?token=${sandbox.token}\n`;
    sandbox.injectFault({ kind: 'raw', contentType: 'application/octet-stream', body: ini }, { command: 'DownloadFile' });
    const result = await download('ivr2:/9/ext.ini');
    const delivered = (result.content[1] as { resource: { text: string } }).resource.text;
    expect(delivered).toBe(ini.replace(sandbox.token, '[redacted]'));
    expect(result.structuredContent).toMatchObject({ size: delivered.length, redacted: expect.stringContaining('[redacted]') });
  });

  it('a missing file is an error result with NOT_FOUND and no media', async () => {
    const result = await download('ivr2:/1/no-such.wav');
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toHaveLength(1);
    const error = JSON.parse((result.content[0] as { text: string }).text);
    expect(error).toMatchObject({ error: 'NOT_FOUND', command: 'DownloadFile', status: '404' });
  });
});
