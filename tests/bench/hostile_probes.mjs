#!/usr/bin/env node
// Replays every probe of "a hostile client cannot crash, starve or read past the roots" against
// the real binaries on loopback and prints one table: probe, expected answer, actual answer,
// latency, and the peak memory (VmHWM) of the process probed.
//
//   node tests/bench/hostile_probes.mjs [--build DIR] [--only REGEX] [--json]
//
// Node's standard library only (http, http2 for gRPC, net, zlib). Every process runs on its own
// free ports with TMPDIR set to a private folder, every loop is bounded, and everything started
// is stopped and removed at the end. Takes a minute or two; exit status 1 if a probe fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const build = path.resolve(opt('--build', path.join(repo, 'build')));
const only = new RegExp(opt('--only', '.'));
const GATEWAY = path.join(build, 'gateway/mcpcap');
const BACKEND = path.join(build, 'backend/mcpcapd');
const MB = 1 << 20;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpcap-probes-'));
const tmp = path.join(work, 'tmp');  // TMPDIR of every process started: leftovers show here
const root = path.join(work, 'root');
fs.mkdirSync(tmp);
fs.mkdirSync(root);
const capture = path.join(root, 'inside.pcap');
fs.copyFileSync(path.join(repo, 'examples/dns_loopback.pcap'), capture);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = new Set();  // child processes to stop at the end
const sockets = new Set();  // client sockets to destroy at the end

// ---------------------------------------------------------------- processes and memory

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function start(binary, argv, readyText) {
  const child = spawn(binary, argv, { env: { ...process.env, TMPDIR: tmp }, stdio: 'pipe' });
  started.add(child);
  child.stderrText = '';
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  child.exited.then(() => started.delete(child));
  child.stderr.on('data', (d) => {
    if (child.stderrText.length < 65536) child.stderrText += d;
  });
  if (!readyText) return Promise.resolve(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${binary} not ready in 30 s`)), 30000);
    const check = () => {
      if (child.stderrText.includes(readyText)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stderr.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`${binary} exited: ${child.stderrText.slice(-300)}`));
    });
  });
}

async function startGateway(extra = []) {
  const port = await freePort();
  const child = await start(
    GATEWAY, ['--transport', 'http', '--port', String(port), '--root', root, ...extra],
    'serving MCP');
  child.port = port;
  return child;
}

async function startBackend(extra = []) {
  const port = await freePort();
  const child = await start(BACKEND, ['--listen', `127.0.0.1:${port}`, ...extra], 'serving on');
  child.port = port;
  return child;
}

async function stop(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const done = await Promise.race([child.exited, sleep(15000).then(() => null)]);
  if (!done) {
    child.kill('SIGKILL');
    await child.exited;
  }
}

const alive = (child) => child.exitCode === null && child.signalCode === null;

// Peak resident memory of a process (VmHWM), in MB; null once it is gone.
function peakMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function childrenOf(pid) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function leftovers() {
  return fs.readdirSync(tmp).filter((n) => n.startsWith('mcpcap'));
}

// ---------------------------------------------------------------- HTTP (MCP)

const MCP_HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2025-06-18',
};

// One POST; resolves {status, json, headers, ms} or {error} (never rejects).
function post(port, body, { session, headers = {}, timeoutMs = 20000, agent } = {}) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const h = { ...MCP_HEADERS, ...headers };
    if (session) h['Mcp-Session-Id'] = session;
    const req = http.request(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: h, agent: agent ?? false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          if (text.length < 4 * MB) text += d;
        });
        res.on('end', () => {
          clearTimeout(timer);
          let json = null;
          const data = text.includes('data: ')
            ? text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).pop()
            : text;
          try {
            json = JSON.parse(data);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, json, headers: res.headers, ms: Date.now() - t0 });
        });
      });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ error: `no answer in ${timeoutMs / 1000} s`, ms: Date.now() - t0 });
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: e.code || e.message, ms: Date.now() - t0 });
    });
    req.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  });
}

const rpc = (id, method, params = {}) => ({ jsonrpc: '2.0', id, method, params });

async function initialize(port, opts) {
  const r = await post(port, rpc(1, 'initialize', {
    protocolVersion: '2025-06-18', capabilities: {},
    clientInfo: { name: 'hostile-probes', version: '1' },
  }), opts);
  const session = r.headers?.['mcp-session-id'];
  if (session) {
    await post(port, { jsonrpc: '2.0', method: 'notifications/initialized' }, { session });
  }
  return { ...r, session };
}

const describe = (r) => r.error ? r.error
  : `HTTP ${r.status}${r.json?.error ? ` ${r.json.error.code}` : ''}`;

// Raw request bytes on one socket: resolves the status line (or how the socket ended) once the
// server answers or closes, after at most `limitBytes` were offered.
function rawRequest(port, head, bodyChunks, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    sockets.add(sock);
    let answer = '';
    let sent = 0;
    let finished = false;
    const finish = (what) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ answer: what, sent, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => finish(`no answer in ${timeoutMs / 1000} s`), timeoutMs);
    sock.on('data', (d) => {
      answer += d;
      const line = answer.split('\r\n')[0];
      if (answer.includes('\r\n')) finish(line);
    });
    sock.on('error', (e) => finish(answer.split('\r\n')[0] || `connection ${e.code}`));
    sock.on('close', () => finish(answer.split('\r\n')[0] || 'connection closed, no answer'));
    sock.on('connect', async () => {
      sock.write(head);
      sent += head.length;
      for (const chunk of bodyChunks()) {
        if (finished) return;
        if (!sock.write(chunk)) await new Promise((r) => sock.once('drain', r));
        sent += chunk.length;
      }
    });
  });
}

// ---------------------------------------------------------------- gRPC over HTTP/2

function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}
const field = (num, value) => {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);
};
const frame = (msg) => {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(msg.length, 1);
  return Buffer.concat([head, msg]);
};

// A gRPC call on its own connection. `send(stream)` writes the request; resolves
// {code, message, ms} once the server ends the call (or on timeout).
function grpcCall(port, method, send, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const client = http2.connect(`http://127.0.0.1:${port}`);
    client.on('error', () => {});
    const stream = client.request({
      ':method': 'POST', ':path': method, 'content-type': 'application/grpc', te: 'trailers',
    });
    let done = false;
    const finish = (code, message) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.close();
      client.close();
      client.destroy();
      resolve({ code, message, ms: Date.now() - t0 });
    };
    const fromHeaders = (h) => {
      if (h['grpc-status'] !== undefined) {
        finish(Number(h['grpc-status']), decodeURIComponent(h['grpc-message'] ?? ''));
      }
    };
    const timer = setTimeout(() => finish(null, `no answer in ${timeoutMs / 1000} s`), timeoutMs);
    stream.on('response', fromHeaders);
    stream.on('trailers', fromHeaders);
    stream.on('data', () => {});
    stream.on('error', (e) => finish(null, `stream reset (RST_STREAM ${stream.rstCode ?? e.code})`));
    stream.on('close', () => finish(null, `stream closed (RST ${stream.rstCode})`));
    send(stream, () => done).catch(() => {});
  });
}

const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED',
  'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED'];
const grpcText = (r) => r.code === null ? r.message
  : `${GRPC_CODES[r.code]}: ${r.message.slice(0, 90)}`;

const UPLOAD = '/mcpcap.v1.CaptureUploadService/UploadCapture';
const CAPINFOS = '/mcpcap.v1.CaptureAnalysisService/AnalyzeCapinfos';

// An upload stream left open: `bytes` (0 = none) sent, never finished. Resolves once the server
// ends it; `.opened` resolves once the server answered the stream's headers or a moment passed.
function openUpload(port, bytes) {
  return grpcCall(port, UPLOAD, async (stream) => {
    if (bytes > 0) stream.write(frame(field(1, Buffer.alloc(bytes, 1))));
  }, { timeoutMs: 60000 });
}

async function fullUpload(port) {
  const data = fs.readFileSync(capture);
  return grpcCall(port, UPLOAD, async (stream) => {
    stream.end(frame(Buffer.concat([field(1, data), field(2, 'probe.pcap')])));
  });
}

// ---------------------------------------------------------------- a slow capture server

// Answers every request with headers and then one byte a second; counts open connections.
function slowServer() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '1000000' });
    const timer = setInterval(() => res.write('x'), 1000);
    res.on('close', () => clearInterval(timer));
  });
  server.open = 0;
  server.closedAt = [];
  server.on('connection', (s) => {
    server.open++;
    sockets.add(s);
    s.on('close', () => {
      server.open--;
      server.closedAt.push(Date.now());
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => {
    server.url = `http://127.0.0.1:${server.address().port}/slow.pcap`;
    r(server);
  }));
}

async function waitFor(condition, ms) {
  const give_up = Date.now() + ms;
  while (Date.now() < give_up) {
    if (await condition()) return true;
    await sleep(50);
  }
  return condition();
}

// ---------------------------------------------------------------- the probes

const probes = [];
const probe = (id, name, expected, run) => probes.push({ id, name, expected, run });

function deepJson(depth) {
  return `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${'['.repeat(depth)}${
    ']'.repeat(depth)}}`;
}

probe('1a', '200 KB JSON nesting 100,000 arrays, HTTP', '-32600, gateway alive', async () => {
  const gw = await startGateway();
  const r = await post(gw.port, deepJson(100000));
  await sleep(200);
  const after = alive(gw) ? await initialize(gw.port) : { error: 'gateway died' };
  const peak = peakMb(gw.pid);
  const ok = !r.error && r.json?.error?.code === -32600 && after.status === 200;
  const actual = `${describe(r)}; then ${alive(gw) ? 'alive' : `died (${gw.signalCode ?? gw.exitCode})`}`;
  await stop(gw);
  return { ok, actual, ms: r.ms, peak };
});

// A gateway on stdio: send lines, read replies.
async function stdioGateway() {
  const gw = await start(GATEWAY, ['--root', root]);
  gw.lines = [];
  let buffer = '';
  gw.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      gw.lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
    }
  });
  gw.stdin.on('error', () => {});
  return gw;
}

probe('1b', 'the same JSON on stdio', '-32600, gateway alive', async () => {
  const gw = await stdioGateway();
  const t0 = Date.now();
  gw.stdin.write(`${deepJson(100000)}\n`);
  await waitFor(() => gw.lines.length > 0 || !alive(gw), 20000);
  const ms = Date.now() - t0;
  let reply = null;
  try {
    reply = JSON.parse(gw.lines[0]);
  } catch {
    // none
  }
  gw.stdin.write(`${JSON.stringify(rpc(8, 'ping'))}\n`);
  await waitFor(() => gw.lines.length > 1 || !alive(gw), 5000);
  const peak = peakMb(gw.pid);
  const ok = reply?.error?.code === -32600 && alive(gw);
  const actual = `${reply?.error ? reply.error.code : 'no reply'}; ${
    alive(gw) ? 'alive' : `died (${gw.signalCode ?? gw.exitCode})`}`;
  await stop(gw);
  return { ok, actual, ms, peak };
});

function* megabyteChunks(total, wrap) {
  const block = Buffer.alloc(MB, 0x20);
  for (let i = 0; i < total; i++) yield wrap ? wrap(block) : block;
}

const requestHead = (port, extra) =>
  `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
  `Accept: application/json, text/event-stream\r\n${extra}\r\n`;

probe('2a', 'chunked 200 MB body', '413 early, gateway peak < 100 MB', async () => {
  const gw = await startGateway();
  const r = await rawRequest(gw.port, requestHead(gw.port, 'Transfer-Encoding: chunked\r\n'),
    () => megabyteChunks(200, (b) => Buffer.concat([Buffer.from('100000\r\n'), b,
      Buffer.from('\r\n')])));
  const peak = peakMb(gw.pid);
  await stop(gw);
  return { ok: r.answer.includes(' 413') && peak < 100,
    actual: `${r.answer} after ${Math.round(r.sent / MB)} MB sent`, ms: r.ms, peak };
});

function gzipBomb(megabytes) {
  return new Promise((resolve) => {
    const gz = zlib.createGzip({ level: 9 });
    const parts = [];
    gz.on('data', (d) => parts.push(d));
    gz.on('end', () => resolve(Buffer.concat(parts)));
    const block = Buffer.alloc(MB, 0x20);
    let i = 0;
    const pump = () => {
      while (i < megabytes) {
        i++;
        if (!gz.write(block)) return gz.once('drain', pump);
      }
      gz.end();
    };
    pump();
  });
}

probe('2b', 'gzip body inflating to 400 MB', '413 (or 415), gateway peak < 100 MB', async () => {
  const bomb = await gzipBomb(400);
  const gw = await startGateway();
  const r = await rawRequest(gw.port, requestHead(gw.port,
    `Content-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n`), function* () {
    yield bomb;
  });
  await sleep(300);
  const peak = peakMb(gw.pid);
  await stop(gw);
  return { ok: /\s41[35]/.test(r.answer) && peak < 100,
    actual: `${r.answer} (${Math.round(bomb.length / 1024)} KB sent)`, ms: r.ms, peak };
});

probe('2c', '25,000 headers of 8 KB', '431, gateway peak < 100 MB', async () => {
  const gw = await startGateway();
  const value = 'v'.repeat(8192);
  const r = await rawRequest(gw.port, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\n`,
    function* () {
      for (let i = 0; i < 25000; i++) yield Buffer.from(`X-Pad-${i}: ${value}\r\n`);
      yield Buffer.from('Content-Length: 0\r\n\r\n');
    });
  const peak = peakMb(gw.pid);
  await stop(gw);
  return { ok: r.answer.includes(' 431') && peak < 100,
    actual: `${r.answer} after ${Math.round(r.sent / MB)} MB of headers`, ms: r.ms, peak };
});

probe('3', 'completion/complete of /tmp/, ../ and /work/', '0 paths outside --root',
  async () => {
    const gw = await startGateway();
    const s = await initialize(gw.port);
    const list = await post(gw.port, rpc(2, 'prompts/list'), { session: s.session });
    const prompt = list.json?.result?.prompts?.[0]?.name ?? 'none';
    let outside = 0;
    const counts = [];
    let ms = 0;
    for (const value of ['/tmp/', '../', '/work/']) {
      const r = await post(gw.port, rpc(3, 'completion/complete', {
        ref: { type: 'ref/prompt', name: prompt }, argument: { name: 'pcap_file', value },
      }), { session: s.session });
      ms = Math.max(ms, r.ms);
      const values = r.json?.result?.completion?.values ?? [];
      const total = r.json?.result?.completion?.total ?? values.length;
      const out = values.filter((v) => !path.resolve(root, v).startsWith(`${root}/`)).length;
      outside += out;
      counts.push(`${value} ${out}/${total}`);
    }
    const peak = peakMb(gw.pid);
    await stop(gw);
    return { ok: outside === 0, actual: `outside: ${counts.join(', ')}`, ms, peak };
  });

probe('4a', 'a new client while 300 connections idle', 'served in < 1 s', async () => {
  const gw = await startGateway();
  const idle = [];
  for (let i = 0; i < 300; i++) {
    const s = net.connect(gw.port, '127.0.0.1');
    s.on('error', () => {});
    sockets.add(s);
    idle.push(s);
  }
  await sleep(500);
  const r = await initialize(gw.port, { timeoutMs: 25000 });
  idle.forEach((s) => s.destroy());
  const peak = peakMb(gw.pid);
  await stop(gw);
  return { ok: r.status === 200 && r.ms < 1000, actual: describe(r), ms: r.ms, peak };
});

probe('4b', 'a new client while 70 clients trickle 1 byte / 3 s', 'served in < 1 s',
  async () => {
    const gw = await startGateway();
    const head = requestHead(gw.port, 'Content-Length: 100\r\n');
    const trickle = [];
    for (let i = 0; i < 70; i++) {
      const s = net.connect(gw.port, '127.0.0.1');
      s.on('error', () => {});
      sockets.add(s);
      s.at = 0;
      trickle.push(s);
    }
    const tick = () => trickle.forEach((s) => {
      if (s.at < head.length) s.write(head[s.at++]);
    });
    tick();
    const timer = setInterval(tick, 3000);
    await sleep(3500);
    const r = await initialize(gw.port, { timeoutMs: 25000 });
    clearInterval(timer);
    trickle.forEach((s) => s.destroy());
    const peak = peakMb(gw.pid);
    await stop(gw);
    return { ok: r.status === 200 && r.ms < 1000, actual: describe(r), ms: r.ms, peak };
  });

probe('5a', '40 upload streams opened, no byte sent; then an upload',
  'the upload becomes a capture', async () => {
    const be = await startBackend();
    const open = [];
    for (let i = 0; i < 40; i++) open.push(openUpload(be.port, 0));
    await sleep(500);
    const r = await fullUpload(be.port);
    const peak = peakMb(be.pid);
    await stop(be);
    await Promise.all(open);
    return { ok: r.code === 0, actual: grpcText(r), ms: r.ms, peak };
  });

probe('5b', '8 unfinished uploads with 1 byte each; then another upload',
  'RESOURCE_EXHAUSTED naming unfinished uploads', async () => {
    const be = await startBackend();
    const open = [];
    for (let i = 0; i < 8; i++) open.push(openUpload(be.port, 1));
    await sleep(500);
    const r = await fullUpload(be.port);
    const peak = peakMb(be.pid);
    await stop(be);
    await Promise.all(open);
    return { ok: r.code === 8 && /unfinished/.test(r.message), actual: grpcText(r), ms: r.ms,
      peak };
  });

probe('5c', 'an upload that stops sending (idle timeout 2 s)',
  'DEADLINE_EXCEEDED after ~2 s', async () => {
    const be = await startBackend(['--upload-idle-timeout-seconds', '2']);
    const r = await Promise.race([openUpload(be.port, 1),
      sleep(10000).then(() => ({ code: null, message: 'still open after 10 s', ms: 10000 }))]);
    const peak = peakMb(be.pid);
    await stop(be);
    return { ok: r.code === 4, actual: grpcText(r), ms: r.ms, peak };
  });

probe('6', 'one gRPC message declared and sent as 1 GiB',
  'refused; backend peak < 100 MB', async () => {
    const be = await startBackend();
    const before = peakMb(be.pid);
    let sent = 0;
    const r = await grpcCall(be.port, CAPINFOS, async (stream, done) => {
      const head = Buffer.alloc(5);
      head.writeUInt32BE(1 << 30, 1);
      stream.write(head);
      const block = Buffer.alloc(MB, 0x41);
      for (let i = 0; i < 1024 && !done(); i++) {
        if (!stream.write(block)) {
          await Promise.race([new Promise((res) => stream.once('drain', res)), sleep(5000)]);
        }
        sent += MB;
      }
      if (!done()) stream.end();
    }, { timeoutMs: 60000 });
    await sleep(200);
    const peak = peakMb(be.pid);
    await stop(be);
    const refused = (r.code !== null && r.code !== 0) || /reset/.test(r.message);
    return { ok: refused && peak < 100,
      actual: `${grpcText(r)} after ${Math.round(sent / MB)} MB; peak ${before} -> ${peak} MB`,
      ms: r.ms, peak };
  });

probe('7a', 'ping while 48 slow URL calls run', 'ping answers in < 1 s', async () => {
  const slow = await slowServer();
  const gw = await startGateway(['--allow-private-urls']);
  const s = await initialize(gw.port);
  const calls = [];
  for (let i = 0; i < 48; i++) {
    calls.push(post(gw.port, rpc(100 + i, 'tools/call', {
      name: 'analyze_capinfos', arguments: { pcap_file: slow.url },
    }), { session: s.session, timeoutMs: 8000 }));
  }
  await sleep(1500);
  const other = await initialize(gw.port);
  const ping = await post(gw.port, rpc(9, 'ping'), { session: other.session, timeoutMs: 5000 });
  const peak = peakMb(gw.pid);
  await stop(gw);
  await Promise.all(calls);
  slow.close();
  return { ok: ping.status === 200 && !ping.json?.error && ping.ms < 1000,
    actual: `ping ${describe(ping)}`, ms: ping.ms, peak };
});

probe('7b', 'an HTTP client that goes away during a URL call',
  'backend drops the download in < 5 s', async () => {
    const slow = await slowServer();
    const gw = await startGateway(['--allow-private-urls']);
    const s = await initialize(gw.port);
    const req = post(gw.port, rpc(5, 'tools/call', {
      name: 'analyze_capinfos', arguments: { pcap_file: slow.url },
    }), { session: s.session, timeoutMs: 1500 });  // gives up and closes its connection
    await waitFor(() => slow.open > 0, 5000);
    await req;
    const t0 = Date.now();
    const dropped = await waitFor(() => slow.open === 0, 8000);
    const ms = Date.now() - t0;
    const peak = peakMb(gw.pid);
    await stop(gw);
    slow.close();
    return { ok: dropped && ms < 5000,
      actual: dropped ? `download dropped after ${ms} ms` : 'download still running after 8 s',
      ms, peak };
  });

probe('7c', '1,000 initialize calls from one address',
  'a per-client cap refuses them before the table (1000) is full', async () => {
    const gw = await startGateway();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let accepted = 0;
    let firstRefusal = '';
    const t0 = Date.now();
    for (let i = 0; i < 1000; i += 8) {
      const batch = await Promise.all(Array.from({ length: Math.min(8, 1000 - i) },
        () => post(gw.port, rpc(1, 'initialize', {
          protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'f', version: '1' },
        }), { agent })));
      for (const r of batch) {
        if (r.status === 200) accepted++;
        else if (!firstRefusal) firstRefusal = describe(r);
      }
    }
    const ms = Date.now() - t0;
    agent.destroy();
    const peak = peakMb(gw.pid);
    await stop(gw);
    return { ok: accepted < 1000,
      actual: `${accepted} accepted${firstRefusal ? `, then ${firstRefusal}` : ''}`, ms, peak };
  });

probe('8a', 'pcap_file "inside.pcap\\0/etc/passwd" over gRPC', 'INVALID_ARGUMENT', async () => {
  const be = await startBackend();
  const r = await grpcCall(be.port, CAPINFOS, async (stream) => {
    stream.end(frame(field(1, `${capture}\0/etc/passwd`)));
  });
  const peak = peakMb(be.pid);
  await stop(be);
  return { ok: r.code === 3, actual: grpcText(r), ms: r.ms, peak };
});

probe('8b', 'the same pcap_file through the gateway', 'an error naming the NUL', async () => {
  const gw = await startGateway();
  const s = await initialize(gw.port);
  const r = await post(gw.port, rpc(4, 'tools/call', {
    name: 'analyze_capinfos', arguments: { pcap_file: `${capture}\0/etc/passwd` },
  }), { session: s.session });
  const text = JSON.stringify(r.json ?? {});
  const peak = Math.max(peakMb(gw.pid) ?? 0, ...childrenOf(gw.pid).map((p) => peakMb(p) ?? 0));
  await stop(gw);
  const refused = r.json?.error || r.json?.result?.isError;
  return { ok: Boolean(refused) && /NUL/.test(text),
    actual: refused ? `refused: ${text.match(/[^"]*NUL[^"]*/)?.[0]?.slice(0, 80) ?? text.slice(0, 80)}`
      : `answered: ${text.match(/"filename[^,]*/)?.[0] ?? text.slice(0, 80)}`, ms: r.ms, peak };
});

// A stdio gateway whose backend is in the middle of downloading a (slow) capture URL.
async function stdioGatewayMidAnalysis(slow) {
  const gw = await start(GATEWAY, ['--root', root, '--allow-private-urls']);
  gw.stdin.on('error', () => {});
  const send = (m) => gw.stdin.write(`${JSON.stringify(m)}\n`);
  send(rpc(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {},
    clientInfo: { name: 'p', version: '1' } }));
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send(rpc(2, 'tools/call', { name: 'analyze_capinfos', arguments: { pcap_file: slow.url } }));
  await waitFor(() => slow.open > 0, 15000);
  return gw;
}

probe('9a', 'the gateway stops (SIGTERM) during an analysis', 'no temp folder left',
  async () => {
    const slow = await slowServer();
    const before = new Set(leftovers());
    const gw = await stdioGatewayMidAnalysis(slow);
    const peak = Math.max(peakMb(gw.pid) ?? 0, ...childrenOf(gw.pid).map((p) => peakMb(p) ?? 0));
    const t0 = Date.now();
    gw.kill('SIGTERM');
    await Promise.race([gw.exited, sleep(20000)]);
    const ms = Date.now() - t0;
    await sleep(200);
    const left = leftovers().filter((n) => !before.has(n));
    slow.close();
    await stop(gw, 'SIGKILL');
    return { ok: left.length === 0,
      actual: left.length ? `left: ${left.join(' ')}` : 'none left', ms, peak };
  });

probe('9b', 'the gateway is killed (SIGKILL) during an analysis; then one more call',
  'no temp folder left after the next start', async () => {
    const slow = await slowServer();
    const gw = await stdioGatewayMidAnalysis(slow);
    const kids = childrenOf(gw.pid);
    gw.kill('SIGKILL');
    await gw.exited;
    await waitFor(() => kids.every((p) => !fs.existsSync(`/proc/${p}`)), 15000);
    const afterKill = leftovers();
    const t0 = Date.now();
    const next = await start(GATEWAY, ['--root', root, '--call', 'analyze_capinfos',
      JSON.stringify({ pcap_file: capture })]);
    await Promise.race([next.exited, sleep(30000)]);
    const ms = Date.now() - t0;
    const left = leftovers();
    slow.close();
    await stop(next, 'SIGKILL');
    return { ok: left.length === 0,
      actual: `after kill: ${afterKill.length}, after next start: ${left.length}`, ms,
      peak: null };
  });

probe('10', 'a 300 MB stdio line without newline', 'an error naming the limit, peak < 100 MB',
  async () => {
    const gw = await stdioGateway();
    const t0 = Date.now();
    const block = Buffer.alloc(MB, 0x20);
    let sent = 0;
    for (let i = 0; i < 300 && alive(gw) && gw.lines.length === 0; i++) {
      if (!gw.stdin.write(block)) {
        await Promise.race([new Promise((r) => gw.stdin.once('drain', r)), sleep(40000)]);
      }
      sent += MB;
      if (Date.now() - t0 > 45000) break;
    }
    await waitFor(() => gw.lines.length > 0 || !alive(gw), 5000);
    const ms = Date.now() - t0;
    const peak = peakMb(gw.pid);
    const reply = gw.lines[0] ?? '';
    await stop(gw);
    const said = reply ? reply.match(/"message":"([^"]*)"/)?.[1]?.slice(0, 70) ?? reply.slice(0, 70)
      : `no reply after ${Math.round(sent / MB)} MB`;
    return { ok: /limit|too long|bytes/i.test(reply) && peak < 100, actual: said, ms, peak };
  });

// ---------------------------------------------------------------- run and report

async function main() {
  for (const binary of [GATEWAY, BACKEND]) {  // probes that need a missing one fail alone
    if (!fs.existsSync(binary)) process.stderr.write(`${binary} is missing: build it first\n`);
  }
  const rows = [];
  for (const p of probes) {
    if (!only.test(p.id)) continue;
    let row;
    try {
      row = await Promise.race([p.run(),
        sleep(120000).then(() => ({ ok: false, actual: 'probe timed out (120 s)', ms: 120000 }))]);
    } catch (e) {
      row = { ok: false, actual: `probe error: ${e.message.slice(0, 80)}`, ms: null };
    }
    rows.push({ id: p.id, probe: p.name, expected: p.expected, ...row });
    process.stderr.write(`${p.id} ${row.ok ? 'ok' : 'FAIL'}: ${row.actual} (${row.ms} ms, ${
      row.peak ?? '-'} MB)\n`);
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    const cols = [['id', 3], ['probe', 44], ['expected', 40], ['actual', 56], ['ms', 6],
      ['peak', 7], ['ok', 4]];
    const cell = (v, w) => String(v ?? '-').slice(0, w).padEnd(w);
    console.log(cols.map(([c, w]) => cell(c === 'peak' ? 'peak_mb' : c, w)).join(' '));
    for (const r of rows) {
      console.log(cols.map(([c, w]) => cell(c === 'ok' ? (r.ok ? 'yes' : 'NO') : r[c], w))
        .join(' '));
    }
  }
  return rows.every((r) => r.ok) ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} finally {
  for (const s of sockets) s.destroy();
  await Promise.all([...started].map((c) => stop(c, 'SIGKILL')));
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(code);
