// A hostile client against the real gateway, over stdio and HTTP on loopback: messages nested
// 100,000 deep, lines and bodies over the limit (chunked, compressed), too many headers,
// requests that never finish, hundreds of idle and trickling connections, session and call
// floods, NUL in arguments, completion outside --root, and a client that goes away during a
// call. Assertions are on answers and events (status codes, replies, log lines), not on time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  alive, check, cleanEnvironment, env, exampleCaptures, run, sleep, startHttpGateway,
  tempDir, waitFor, writeBigCapture,
} from './lib.mjs';

const init = (id = 1) => ({ jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {},
    clientInfo: { name: 'hostile', version: '1' } } });
const deep = (n) => `{"jsonrpc":"2.0","id":7,"method":"ping","params":${'['.repeat(n)}${
  ']'.repeat(n)}}`;

// The gateway over stdio with raw lines: `send` writes one, `next` waits for the next reply.
function startStdio(args) {
  const child = spawn(env.bin, args, { stdio: ['pipe', 'pipe', 'pipe'],
    env: cleanEnvironment() });
  let out = '';
  const replies = [];
  child.stdout.on('data', (d) => {
    out += d;
    for (let nl; (nl = out.indexOf('\n')) >= 0; out = out.slice(nl + 1)) {
      replies.push(JSON.parse(out.slice(0, nl)));
    }
  });
  child.stderr.on('data', () => {});
  return {
    child,
    send: (text) => child.stdin.write(`${text}\n`),
    write: (text) => new Promise((r) => { if (child.stdin.write(text)) r(); else child.stdin.once('drain', r); }),
    next: async (what) => { await waitFor(() => replies.length > 0, 60000, what); return replies.shift(); },
  };
}

// One raw HTTP exchange: writes `head` then `body` pieces, resolves with the status line code
// and the text received until the server closes or `done` says the answer is whole.
function raw(url, write, { keepOpen = false } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname);
    let text = '';
    const finish = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text, sock });
    };
    sock.on('data', (d) => {
      text += d;
      const head = text.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(text);
      if (!/^HTTP\/1\.1 100 /.test(text) && head >= 0 && len &&
          text.length >= head + 4 + Number(len[1])) {
        if (!keepOpen) sock.destroy();
        finish();
      }
    });
    sock.on('error', () => {});
    sock.on('close', finish);
    sock.on('connect', () => write(sock));
  });
}

function post(url, body, headers = {}) {
  return fetch(url, { method: 'POST', body,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream',
      ...headers } });
}

async function stdioProbes(root) {
  const gw = startStdio(['--root', root, '--max-message-bytes', '1048576']);
  gw.send(JSON.stringify(init()));
  check((await gw.next('initialize')).result, 'stdio: initialize');
  // 100,000 nested arrays once crashed the gateway.
  gw.send(deep(100000));
  let r = await gw.next('deep reply');
  check(r.error?.code === -32600 && /128/.test(r.error.message), `stdio deep: ${JSON.stringify(r)}`);
  // A line over the limit is answered once, naming it, and the next line is served.
  await gw.write('x'.repeat(3 << 20));
  gw.send('');
  r = await gw.next('overlong reply');
  check(r.error?.code === -32600 && /1048576/.test(r.error.message), `stdio overlong: ${JSON.stringify(r)}`);
  gw.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }));
  r = await gw.next('ping');
  check(r.id === 2 && r.result, `stdio resynchronised: ${JSON.stringify(r)}`);
  // NUL in a path never reaches the backend.
  gw.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: {
    name: 'analyze_capinfos', arguments: { pcap_file: `${root}/a.pcap\u0000/etc/passwd` } } }));
  r = await gw.next('NUL');
  check(r.result?.isError && /NUL/.test(r.result.content[0].text), `stdio NUL: ${JSON.stringify(r)}`);
  // Completion offers only what --root lets a call read.
  gw.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'prompts/list' }));
  const prompts = (await gw.next('prompts')).result.prompts;
  const withFile = prompts.find((p) => p.arguments?.some((a) => a.name === 'pcap_file'));
  if (withFile) {
    for (const value of ['/', '/tmp/', '../', `${root}/../`]) {
      gw.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'completion/complete', params: {
        ref: { type: 'ref/prompt', name: withFile.name }, argument: { name: 'pcap_file', value } } }));
      const values = (await gw.next('completion')).result.completion.values;
      const outside = values.filter((v) => !path.resolve(v).startsWith(`${root}/`));
      check(outside.length === 0, `completion of ${value} stays in the root: ${outside}`);
      if (value.length <= 5) check(values.length === 1, `${value} offers the root's capture: ${values}`);
    }
  }
  check(alive(gw.child.pid), 'stdio: the gateway survived');
  gw.child.stdin.end();
}

async function httpLimits(gw) {
  const url = gw.url;
  // Deep nesting, before any session: answered, and the gateway lives on.
  let res = await post(url, deep(100000));
  check(res.status === 400 && (await res.json()).error.code === -32600, `deep: ${res.status}`);
  res = await post(url, JSON.stringify(init()));
  check(res.status === 200, `initialize after the deep message: ${res.status}`);
  const sid = res.headers.get('mcp-session-id');

  const head = (extra) => `POST /mcp HTTP/1.1\r\nHost: ${new URL(url).host}\r\n` +
    `Content-Type: application/json\r\n${extra}\r\n`;
  // A chunked body is refused once its decoded bytes pass the limit, not after reading it all.
  let sent = 0;
  let r = await raw(url, (s) => {
    s.write(head('Transfer-Encoding: chunked\r\n'));
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    const pump = () => {
      while (sent < 2000 && s.writable) {
        sent++;
        if (!s.write(chunk)) return s.once('drain', pump);
      }
    };
    pump();
  });
  check(r.status === 413, `chunked over the limit: 413, got ${r.status} ${r.text.slice(0, 200)}`);
  check(sent < 2000, `the 413 came before the whole 32 MB body was sent (${sent} chunks)`);
  // Compressed bodies are not inflated at all.
  r = await raw(url, (s) => s.write(`${head('Content-Encoding: gzip\r\nContent-Length: 4\r\n')}abcd`));
  check(r.status === 415, `gzip body: 415, got ${r.status}`);
  // Too many header fields, or too large a head: 431.
  r = await raw(url, (s) => s.write(head(Array.from({ length: 200 }, (_, i) => `X-${i}: 1\r\n`).join(''))));
  check(r.status === 431, `200 headers: 431, got ${r.status}`);
  r = await raw(url, (s) => s.write(head(`X-Big: ${'y'.repeat(100000)}\r\n`)));
  check(r.status === 431, `100 KB header: 431, got ${r.status}`);
  // A request that never completes is answered 408 at its deadline (--request-timeout).
  r = await raw(url, (s) => s.write('POST /mcp HTTP/1.1\r\nHost: x'));
  check(r.status === 408, `unfinished request: 408, got ${r.status}`);
  // A Content-Length over the limit: 413 from the head alone.
  r = await raw(url, (s) => s.write(head('Content-Length: 100000000\r\n')));
  check(r.status === 413, `Content-Length over the limit: 413, got ${r.status}`);
  return sid;
}

async function sessionAndCallShares(gw, big) {
  // Sessions per client address (--max-sessions-per-client 3): the 4th is refused.
  const sessions = [];
  for (let i = 0; i < 3; i++) {
    const res = await post(gw.url, JSON.stringify(init()));
    check(res.status === 200, `session ${i}: ${res.status}`);
    sessions.push({ 'mcp-session-id': res.headers.get('mcp-session-id') });
  }
  let res = await post(gw.url, JSON.stringify(init()));
  check(res.status === 429, `4th session from one address: 429, got ${res.status}`);
  // A long call holds the session's only call slot (--max-calls-per-session 1) ...
  const call = (id, pcap_file) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call',
    params: { name: 'analyze_capinfos', arguments: { pcap_file, hashes: 'none' } } });
  const body = call(1, big);
  const longCall = await new Promise((resolve) => {
    const { hostname, port } = new URL(gw.url);
    const s = net.connect(Number(port), hostname, () => {
      s.write(`POST /mcp HTTP/1.1\r\nHost: ${new URL(gw.url).host}\r\nContent-Type: application/json\r\n` +
        `Accept: application/json\r\nMcp-Session-Id: ${sessions[0]['mcp-session-id']}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      resolve(s);
    });
  });
  await sleep(300);  // let it be admitted before the next call of that session
  let refused = 0;
  for (let i = 0; i < 50 && refused === 0; i++) {
    res = await post(gw.url, call(2, exampleCaptures()[0]), sessions[0]);
    if (res.status === 429) refused++; else await sleep(100);
  }
  check(refused === 1, 'a second call of the busy session: 429');
  // ... but ping and cancellation of that session are served, and other sessions call freely.
  res = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }), sessions[0]);
  check(res.status === 200 && (await res.json()).result, `ping while busy: ${res.status}`);
  res = await post(gw.url, call(4, exampleCaptures()[0]), sessions[1]);
  const other = await res.json();
  check(res.status === 200 && other.result && !other.result.isError, `another session's call: ${JSON.stringify(other)}`);
  // The long call's client goes away: the call is cancelled in the backend.
  longCall.destroy();
  await waitFor(() => /analyze_capinfos stopped after \d+ ms: CANCELLED/.test(gw.log()), 60000,
    `the abandoned call cancelled: ${gw.log()}`);
}

async function slowClients(gw) {
  // 300 idle connections and 50 that trickle a request a byte at a time: a normal client is
  // served while all of them are still open.
  const { hostname, port } = new URL(gw.url);
  const open = [];
  let closed = 0;
  const connect = () => new Promise((resolve) => {
    const s = net.connect(Number(port), hostname, () => resolve(s));
    s.on('error', () => {});
    s.on('close', () => { closed++; });
    open.push(s);
  });
  for (let i = 0; i < 300; i++) await connect();
  const tricklers = [];
  for (let i = 0; i < 50; i++) tricklers.push(await connect());
  const text = 'POST /mcp HTTP/1.1\r\nHost: x\r\n';
  let pos = 0;
  const trickle = setInterval(() => {
    if (pos < text.length) for (const s of tricklers) s.write(text[pos]);
    pos++;
  }, 200);
  try {
    await sleep(500);
    const res = await post(gw.url, JSON.stringify(init()));
    check(res.status === 200, `a normal client among 350 slow ones: ${res.status}`);
    const ping = await post(gw.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }),
      { 'mcp-session-id': res.headers.get('mcp-session-id') });
    check(ping.status === 200, `ping among 350 slow ones: ${ping.status}`);
    check(closed === 0, `served while every slow connection was still open (${closed} closed)`);
  } finally {
    clearInterval(trickle);
    for (const s of open) s.destroy();
  }
}

async function connectionCap(gw) {
  // --max-connections-per-client 16: 40 idle connections from one address leave at most 16
  // open (the oldest idle ones make room), and a new client is still served.
  const { hostname, port } = new URL(gw.url);
  const socks = [];
  let closed = 0;
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => {
      const s = net.connect(Number(port), hostname, resolve);
      s.on('error', () => {});
      s.on('close', () => { closed++; });
      socks.push(s);
    });
  }
  const res = await post(gw.url, JSON.stringify(init()));
  check(res.status === 200, `served at the per-client cap: ${res.status}`);
  await waitFor(() => closed >= 40 - 16 + 1, 30000, `idle connections over the cap closed (${closed})`);
  for (const s of socks) s.destroy();
}

run('hostile', async () => {
  const dir = tempDir();
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  fs.copyFileSync(exampleCaptures()[0], path.join(root, 'a.pcap'));
  fs.writeFileSync(path.join(dir, 'outside.pcap'), 'x');
  try {
    await stdioProbes(root);

    const limits = await startHttpGateway(['--root', '/', '--max-message-bytes', '1048576',
      '--request-timeout', '1s']);
    try {
      await httpLimits(limits);
      check(alive(limits.pid), 'http: the gateway survived the limits probes');
    } finally {
      limits.stop();
    }

    const big = path.join(dir, 'big.pcap.gz');
    await writeBigCapture(big, 30_000_000);
    const shares = await startHttpGateway(['--root', '/', '--max-sessions-per-client', '3',
      '--max-calls-per-session', '1']);
    try {
      await sessionAndCallShares(shares, big);
    } finally {
      shares.stop();
    }

    const slow = await startHttpGateway(['--root', '/', '--max-connections-per-client', '1000',
      '--connection-idle-timeout', '120s', '--request-timeout', '120s']);
    try {
      await slowClients(slow);
    } finally {
      slow.stop();
    }

    const capped = await startHttpGateway(['--root', '/', '--max-connections-per-client', '16']);
    try {
      await connectionCap(capped);
    } finally {
      capped.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
