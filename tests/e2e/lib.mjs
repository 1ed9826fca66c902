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

// tools/list with each tool's whole output schema (the resource mcpcap://schemas/{tool}) in
// place of the cut one tools/list offers.
export async function listToolsWithFullSchemas(client) {
  const { tools } = await client.listTools();
  for (const t of tools) {
    const r = await client.readResource({ uri: `mcpcap://schemas/${t.name}` });
    t.outputSchema = JSON.parse(r.contents[0].text);
  }
  return { tools };
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

// A capture of many small conversations, so that every listing of every tool holds more than a
// page: DNS queries (some NXDOMAIN, some unanswered), HTTP over TCP (some refused with RST),
// ICMP echoes and port unreachables, each from its own client. Checksums are right.
// A pcap file header: microsecond timestamps, snaplen 65535, Ethernet.
export function pcapHeader() {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  return header;
}

export function writeTrafficCapture(file, { dns = 300, tcp = 120, icmp = 120 } = {}) {
  const records = [];
  let t = 1700000000 * 1e6;
  const ip4 = (s) => Buffer.from(s.split('.').map(Number));
  const sum16 = (buf, init = 0) => {
    let s = init;
    for (let i = 0; i + 1 < buf.length; i += 2) s += buf.readUInt16BE(i);
    if (buf.length % 2) s += buf[buf.length - 1] << 8;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return s;
  };
  const checksum = (buf, init = 0) => (~sum16(buf, init)) & 0xffff;
  function frame(src, dst, proto, l4) {
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + l4.length, 2);
    ip.writeUInt16BE(records.length & 0xffff, 4);
    ip[8] = 64;
    ip[9] = proto;
    ip4(src).copy(ip, 12);
    ip4(dst).copy(ip, 16);
    ip.writeUInt16BE(checksum(ip), 10);
    if (proto === 6 || proto === 17) {
      const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, proto]),
        Buffer.from([l4.length >> 8, l4.length & 0xff])]);
      const at = proto === 6 ? 16 : 6;
      l4.writeUInt16BE(0, at);
      l4.writeUInt16BE(checksum(l4, sum16(pseudo)) || 0xffff, at);
    }
    const eth = Buffer.alloc(14);
    Buffer.from([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1]).copy(eth, 0);
    eth.writeUInt16BE(0x0800, 12);
    const data = Buffer.concat([eth, ip, l4]);
    const rec = Buffer.alloc(16);
    t += 1000;
    rec.writeUInt32LE(Math.floor(t / 1e6), 0);
    rec.writeUInt32LE(t % 1e6, 4);
    rec.writeUInt32LE(data.length, 8);
    rec.writeUInt32LE(data.length, 12);
    records.push(rec, data);
  }
  const udp = (sport, dport, payload) => {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(sport, 0);
    h.writeUInt16BE(dport, 2);
    h.writeUInt16BE(8 + payload.length, 4);
    return Buffer.concat([h, payload]);
  };
  const tcpSeg = (sport, dport, seq, ack, flags, payload = Buffer.alloc(0)) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(sport, 0);
    h.writeUInt16BE(dport, 2);
    h.writeUInt32BE(seq >>> 0, 4);
    h.writeUInt32BE(ack >>> 0, 8);
    h[12] = 5 << 4;
    h[13] = flags;
    h.writeUInt16BE(65535, 14);
    return Buffer.concat([h, payload]);
  };
  const client = (net, i) => `10.${net}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  const dnsName = (name) => Buffer.concat([...name.split('.').map(
    (l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  for (let i = 0; i < dns; i++) {
    const name = dnsName(`host-${i}.zone${i % 7}.example.com`);
    const q = Buffer.concat([Buffer.from([i >> 8, i & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      name, Buffer.from([0, 1, 0, 1])]);
    frame(client(1, i), '10.0.0.53', 17, udp(20000 + i, 53, q));
    if (i % 11 === 10) continue;  // unanswered
    const nx = i % 5 === 4;
    const head = Buffer.from([i >> 8, i & 0xff, 0x81, nx ? 0x83 : 0x80, 0, 1, 0, nx ? 0 : 1, 0, 0,
      0, 0]);
    const answer = nx ? Buffer.alloc(0) : Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4,
      192, 0, 2, i % 250]);
    frame('10.0.0.53', client(1, i), 17,
      udp(53, 20000 + i, Buffer.concat([head, name, Buffer.from([0, 1, 0, 1]), answer])));
  }
  for (let j = 0; j < tcp; j++) {
    const c = client(2, j);
    const s = '10.0.0.80';
    const cp = 30000 + j;
    let cs = 1000 * j + 1;
    let ss = 5000000 + 1000 * j;
    frame(c, s, 6, tcpSeg(cp, 80, cs, 0, 0x02));
    if (j % 9 === 8) {  // refused
      frame(s, c, 6, tcpSeg(80, cp, 0, cs + 1, 0x14));
      continue;
    }
    frame(s, c, 6, tcpSeg(80, cp, ss, cs + 1, 0x12));
    cs += 1;
    ss += 1;
    frame(c, s, 6, tcpSeg(cp, 80, cs, ss, 0x10));
    const req = Buffer.from(`GET /item/${j} HTTP/1.1\r\nHost: shop.example.com\r\n\r\n`);
    frame(c, s, 6, tcpSeg(cp, 80, cs, ss, 0x18, req));
    cs += req.length;
    const resp = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    frame(s, c, 6, tcpSeg(80, cp, ss, cs, 0x18, resp));
    ss += resp.length;
    frame(c, s, 6, tcpSeg(cp, 80, cs, ss, 0x11));
    cs += 1;
    frame(s, c, 6, tcpSeg(80, cp, ss, cs, 0x11));
    ss += 1;
    frame(c, s, 6, tcpSeg(cp, 80, cs, ss, 0x10));
  }
  for (let k = 0; k < icmp; k++) {
    const c = client(3, k);
    const echo = (type) => {
      const m = Buffer.alloc(16);
      m[0] = type;
      m.writeUInt16BE(k, 4);
      m.writeUInt16BE(1, 6);
      m.writeUInt16BE(checksum(m), 2);
      return m;
    };
    frame(c, '10.0.0.1', 1, echo(8));
    if (k % 2) {
      frame('10.0.0.1', c, 1, echo(0));
    } else {  // a port unreachable quoting a UDP datagram the client sent
      const quoted = Buffer.concat([Buffer.from([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0]),
        ip4(c), ip4('10.0.0.1'), udp(40000 + k, 9999, Buffer.alloc(0))]);
      const m = Buffer.concat([Buffer.from([3, 3, 0, 0, 0, 0, 0, 0]), quoted]);
      m.writeUInt16BE(checksum(m), 2);
      frame('10.0.0.1', c, 1, m);
    }
  }
  fs.writeFileSync(file, Buffer.concat([pcapHeader(), ...records]));
}

// The value at a dotted path of a result ("statistics.unique_domains"), or undefined.
export function atPath(result, path) {
  return path.split('.').reduce((v, k) => (v === undefined ? undefined : v[k]), result);
}
