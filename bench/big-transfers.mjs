// Issue 30's big transfers against the built server, its resident set sampled every 10 ms while each runs: a saveTo
// download, a localFile upload and a large JSON answer. Used by bench/run.mjs (200 MB and 100 MB) and by
// test/transfer-memory.test.ts (smaller sizes, within the suite's time).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const MB = 1024 * 1024;

/**
 * A Yemot API on loopback whose files and answers are made as they are sent: nothing of their size is held here either.
 * DownloadFile answers `fileBytes`, GetIVR2Dir a listing of about `answerBytes`; a request naming "small" gets a small one.
 */
export function fakeApi({ fileBytes, answerBytes }) {
  let received = 0;
  /** Writes `total` bytes made by `piece`, 64 KB at a time, as fast as the socket takes them. */
  const pour = (res, total, piece, end = '') => {
    let index = 0;
    let sent = 0;
    const more = () => {
      while (sent < total) {
        let block = '';
        while (block.length < 64 * 1024 && sent + block.length < total) block += piece(index++);
        sent += block.length;
        if (!res.write(block, 'latin1')) return void res.once('drain', more);
      }
      res.end(end);
    };
    more();
  };
  const server = createServer((req, res) => {
    const command = req.url.split('/').pop().split('?')[0];
    let small = false;
    req.on('data', (chunk) => {
      received += chunk.length;
      small ||= chunk.includes('small');
    });
    req.on('end', () => {
      if (command === 'DownloadFile') {
        const size = small ? 1024 : fileBytes;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
        // Sizes are whole multiples of the piece (or smaller than one): exactly Content-Length bytes go.
        const piece = 'R'.repeat(Math.min(size, 64 * 1024));
        return pour(res, size, () => piece);
      }
      if (command === 'GetIVR2Dir') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"responseStatus":"OK","thisPath":"/1","dirs":[],"files":[');
        const file = (index) => `${index ? ',' : ''}{"name":"${String(index).padStart(7, '0')}.wav","size":${index},"fileType":"AUDIO","date":"2024-01-01 10:00:00"}`;
        return pour(res, small ? 1000 : answerBytes, file, ']}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ responseStatus: 'OK', success: true, isPass: true, isPassInThisSession: true }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/ym/api/`, received: () => received, close: () => new Promise((done) => server.close(done)) }),
    ),
  );
}

export const rssOf = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

/**
 * One big call on a server of its own (so no transfer inherits another's garbage), over stdio with the files toolset,
 * the response cap at 256 MiB and confirmation off (the operator's choice). A small call of the same path first (the HTTP client loads, the path compiles), then
 * the big one, sampled. Answers its result, the RSS before it, the peak, and what the peak added.
 */
export async function measureTransfer({ entry, api, dir, tool, small, big }) {
  const env = {
    PATH: process.env.PATH ?? '',
    YEMOT_API_URL: api.url,
    YEMOT_TOKEN: 'memory-test-token-0123456789',
    YEMOT_TOOLSETS: 'files',
    YEMOT_FILES_DIR: dir,
    YEMOT_STATE_DIR: dir,
    YEMOT_MAX_RESPONSE_BYTES: String(256 * MB),
    // An upload to a named file asks the person first; memory is measured on the transfer itself.
    YEMOT_CONFIRM: '0',
  };
  const transport = new StdioClientTransport({ command: process.execPath, args: [entry], env, stderr: 'ignore' });
  const client = new Client({ name: 'memory', version: '1' });
  await client.connect(transport);
  const pid = transport.pid;
  const call = (args) => client.callTool({ name: tool, arguments: args }, undefined, { timeout: 120_000 });
  try {
    const warm = await call(small);
    if (warm.isError) throw new Error(`${tool} (small): ${JSON.stringify(warm.content).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    const started = performance.now();
    try {
      const result = await call(big);
      peak = Math.max(peak, rssOf(pid));
      return { result, before, peak, added: peak - before, ms: performance.now() - started };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await client.close();
  }
}
