// Shared helpers for the e2e tests: the SDK client (from the fixture's node_modules), a gateway
// connection, and small assertions. Each *.test.mjs exits 0 on success, 1 with a reason.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

export const env = {
  bin: process.env.MCPCAP_BIN,
  backend: process.env.MCPCAPD_BIN,
  nodeDir: process.env.MCPCAP_E2E_NODE,
  examples: process.env.MCPCAP_EXAMPLES,
};
for (const [k, v] of Object.entries(env)) {
  if (!v) throw new Error(`environment for ${k} missing (run through ctest)`);
}

const req = createRequire(path.join(env.nodeDir, 'package.json'));
export const { Client } = req('@modelcontextprotocol/sdk/client/index.js');
export const { StdioClientTransport, getDefaultEnvironment } = req(
  '@modelcontextprotocol/sdk/client/stdio.js');
export const { ResultSchema, McpError } = req('@modelcontextprotocol/sdk/types.js');
// A client's clean environment (the SDK's default), plus the sanitizers' settings when the suite
// runs under them (scripts/test-sanitized): their reports from every process land in one folder.
export function cleanEnvironment() {
  const kept = {};
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS']) {
    if (process.env[k]) kept[k] = process.env[k];
  }
  return { ...getDefaultEnvironment(), ...kept };
}

export const inspectorBin = path.join(env.nodeDir, 'node_modules', '.bin', 'mcp-inspector');

// The gateway as an MCP client config would start it: a clean environment, no --backend.
export async function connect(args = [], stderr = 'inherit') {
  const transport = new StdioClientTransport({
    command: env.bin, args, env: cleanEnvironment(), stderr,
  });
  const client = new Client({ name: 'mcpcap-e2e', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport, { timeout: 30000 });
  return { client, transport };
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

export async function expectRpcError(promise, code, what) {
  try {
    await promise;
  } catch (e) {
    check(e.code === code, `${what}: expected JSON-RPC error ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`${what}: expected JSON-RPC error ${code}, got a result`);
}

export function toolText(result) {
  return result.content?.find((c) => c.type === 'text')?.text ?? '';
}

// Example captures shipped in examples/ (pcap and pcapng).
export function exampleCaptures() {
  return fs.readdirSync(env.examples).filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
    .map((f) => path.join(env.examples, f));
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mcpcap-e2e-'));
}

// Direct children of a process (the gateway's mcpcapd).
export function childPids(pid) {
  const out = [];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    let text = '';
    try {
      text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;  // the thread ended between listing and reading
    }
    if (text) out.push(...text.split(/\s+/).map(Number));
  }
  return out;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);  // a zombie is dead
  } catch {
    return false;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function run(name, main) {
  main().then(
    () => { process.stdout.write(`${name}: ok\n`); process.exit(0); },
    (e) => { process.stderr.write(`${name}: FAILED: ${e.stack ?? e}\n`); process.exit(1); });
}

export const { StreamableHTTPClientTransport } = req(
  '@modelcontextprotocol/sdk/client/streamableHttp.js');

// `mcpcap --transport http --port 0` (and `extra` flags): resolves once it logs its URL.
// `log()` returns its stderr so far; stop() ends it by pid.
// Over HTTP the private backend only reads under --root (default: the working directory);
// the tests read captures from the source tree and temp dirs, so they allow / unless the
// caller names its own roots.
export function startHttpGateway(extra = []) {
  const roots = extra.includes('--root') ? [] : ['--root', '/'];
  const child = spawn(env.bin, ['--transport', 'http', '--port', '0', ...roots, ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnvironment() });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL logged: ${log}`)), 30000);
    const poll = setInterval(() => {
      const m = /serving MCP at (http:\/\/\S+)/.exec(log);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        child, url: m[1], pid: child.pid, log: () => log,
        stop: () => { try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ } },
      });
    }, 20);
    child.on('exit', (code) => { clearInterval(poll); reject(new Error(`exited ${code}: ${log}`)); });
  });
}

export async function connectHttp(url) {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'mcpcap-e2e', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport, { timeout: 30000 });
  return { client, transport };
}

// CPU time (user + system, in clock ticks) a process has used so far.
export function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

// A capture of `records` tiny Ethernet frames: long to read, whatever the machine. gzip
// (`file` ending in .gz) keeps it small on disk: the backend's work grows with the records.
export async function writeBigCapture(file, records) {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);  // Ethernet
  const rec = Buffer.alloc(16 + 14);
  rec.writeUInt32LE(1700000000, 0);
  rec.writeUInt32LE(14, 8);
  rec.writeUInt32LE(14, 12);
  rec.writeUInt16BE(0x88b5, 16 + 12);  // local experimental EtherType: nothing to dissect
  const chunk = Buffer.concat(Array(4096).fill(rec));
  async function* frames() {
    yield header;
    for (let i = 0; i < Math.ceil(records / 4096); i++) yield chunk;
  }
  const stages = [Readable.from(frames())];
  if (file.endsWith('.gz')) stages.push(zlib.createGzip({ level: 1 }));
  await pipeline(...stages, fs.createWriteStream(file));
}
