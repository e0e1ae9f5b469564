// `npm run inspect -- <inspector options>`: the MCP Inspector's CLI (@modelcontextprotocol/inspector-cli, which runs on
// Node 20; the UI inspector wants Node 22) over the built server and its sandbox, printing the answer as JSON, e.g.
// `npm run inspect -- --method tools/list`, `npm run inspect -- --method tools/call --tool-name ivr_tree`. Server
// options go before --method (`npm run inspect -- --toolsets all --method tools/list`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../node_modules/@modelcontextprotocol/inspector-cli/build/', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

// Run from the CLI's own folder: its index.js finds its package.json by a path relative to the working directory
// (1.0.3), and from anywhere else it fails with "Cannot find module …/@modelcontextprotocol/package.json". Its cli.js,
// the package's bin, would print v1's deprecation banner on every run: index.js is the command itself.
const child = spawn(process.execPath, [`${cli}index.js`, process.execPath, entry, '--sandbox', ...process.argv.slice(2)], { cwd: cli, stdio: 'inherit' });
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
