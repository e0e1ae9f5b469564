// Preloaded (node --import) into a server by bench/profile.mjs: every 250 ms it writes the V8 heap spaces and RSS
// to the file named by HEAP_SPACES_OUT, one JSON line each, so RSS can be split into new space, old space, code, etc.
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';

const out = process.env.HEAP_SPACES_OUT;
if (out) {
  setInterval(() => {
    const spaces = {};
    for (const space of v8.getHeapSpaceStatistics()) {
      spaces[space.space_name.replace(/_space$/, '')] = { committedMb: space.space_size / 1048576, usedMb: space.space_used_size / 1048576 };
    }
    const { rss, external, arrayBuffers } = process.memoryUsage();
    appendFileSync(out, `${JSON.stringify({ t: Date.now(), rssMb: rss / 1048576, externalMb: external / 1048576, arrayBuffersMb: arrayBuffers / 1048576, spaces })}\n`);
  }, 250).unref();
}
