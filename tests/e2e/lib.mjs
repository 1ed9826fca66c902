// Shared helpers for the e2e tests: the SDK client (from the fixture's node_modules), a gateway
// connection, and small assertions. Each *.test.mjs exits 0 on success, 1 with a reason.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
export const inspectorBin = path.join(env.nodeDir, 'node_modules', '.bin', 'mcp-inspector');

// The gateway as an MCP client config would start it: a clean environment, no --backend.
export async function connect(args = []) {
  const transport = new StdioClientTransport({
    command: env.bin, args, env: getDefaultEnvironment(), stderr: 'inherit',
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
    const text = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
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
