// Progress end to end, over stdio and over HTTP: a tools/call with a progressToken on a big
// generated capture gets several notifications/progress from the backend's Analyze stream, in
// bytes of the file (growing, total = the file's size, a "read ... of ... MB (N packets)"
// message), and the same result as a call without a token (the unary RPC). A capture URL
// reports its download first ("downloaded ..."), then the reading on top of it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  check, connect, connectHttp, env, run, sleep, startHttpGateway, tempDir, writeBigCapture,
} from './lib.mjs';

const MB = /^(read|downloaded) \d+\.\d of \d+\.\d (MB|kB)( \(\d+ packets\))?$/;

async function callWithProgress(client, args) {
  const progress = [];
  const r = await client.callTool({ name: 'analyze_capinfos', arguments: args },
    undefined, { timeout: 120000, onprogress: (p) => progress.push(p) });
  return { r, progress };
}

function checkGrowing(name, progress) {
  for (let i = 1; i < progress.length; i++) {
    check(progress[i].progress > progress[i - 1].progress,
      `${name}: progress grows: ${JSON.stringify(progress.slice(i - 1, i + 1))}`);
  }
}

async function exercise(name, client, big, url) {
  const size = fs.statSync(big).size;
  const { r, progress } = await callWithProgress(client, { pcap_file: big, hashes: 'none' });
  check(!r.isError, `${name}: the call works: ${JSON.stringify(r.content)}`);
  const reads = progress.filter((p) => p.message?.startsWith('read '));
  process.stderr.write(`${name}: ${progress.length} notifications, ${reads.length} of reading\n`);
  check(progress[0].progress === 0, `${name}: progress 0 at the start`);
  // At least one report strictly inside the read (how many depends on the machine's speed).
  check(reads.some((p) => p.progress > 0 && p.progress < size),
    `${name}: a report while reading: ${JSON.stringify(progress)}`);
  checkGrowing(name, progress);
  for (const p of reads) {
    check(p.total === size, `${name}: total is the file's size ${size}: ${JSON.stringify(p)}`);
    check(MB.test(p.message), `${name}: message: ${p.message}`);
  }
  // The SDK runs notification handlers a microtask later than response handlers, so it can
  // drop the last notification when it arrives in the same read as the result: the end is
  // checked on the wire (rawCall) instead.
  check(progress.at(-1).progress <= size, `${name}: never past the size`);

  // The same analysis without a token: the unary RPC, the same result.
  const plain = await client.callTool({ name: 'analyze_capinfos',
    arguments: { pcap_file: big, hashes: 'none' } }, undefined, { timeout: 120000 });
  check(JSON.stringify(plain.structuredContent) === JSON.stringify(r.structuredContent),
    `${name}: the streamed result equals the unary one`);

  if (!url) return;
  const d = await callWithProgress(client, { pcap_file: url, hashes: 'none' });
  check(!d.r.isError, `${name}: the URL call works: ${JSON.stringify(d.r.content)}`);
  const downloads = d.progress.filter((p) => p.message?.startsWith('downloaded '));
  const afterwards = d.progress.filter((p) => p.message?.startsWith('read '));
  process.stderr.write(`${name}: URL: ${downloads.length} download and ${afterwards.length} ` +
    'reading notifications\n');
  check(downloads.length >= 2, `${name}: download progress: ${JSON.stringify(d.progress)}`);
  check(afterwards.length >= 1, `${name}: reading progress after the download`);
  checkGrowing(`${name} URL`, d.progress);
  for (const p of downloads) check(p.total === 2 * size, `${name}: download + reading total`);
  check(d.progress.at(-1).progress <= 2 * size, `${name}: the URL call never passes 2 x size`);
  check(d.r.structuredContent.packet_count === r.structuredContent.packet_count,
    `${name}: same packets from the URL`);
}

// tools/call over a raw stdio exchange with the gateway: every line it writes for the call, in
// order, up to and including the result.
async function rawCall(args) {
  const child = spawn(env.bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = [];
  let buffered = '';
  const done = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      for (let nl; (nl = buffered.indexOf('\n')) >= 0; buffered = buffered.slice(nl + 1)) {
        const message = JSON.parse(buffered.slice(0, nl));
        lines.push(message);
        if (message.id === 2) resolve(lines);
      }
    });
    child.on('exit', (code) => reject(new Error(`the gateway exited (${code}) before the result`)));
  });
  const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
  send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {},
    clientInfo: { name: 'raw', version: '1' } } });
  send({ method: 'notifications/initialized' });
  send({ id: 2, method: 'tools/call', params: { name: 'analyze_capinfos', arguments: args,
    _meta: { progressToken: 'p' } } });
  try {
    return await done;
  } finally {
    child.stdin.end();
    child.kill();
  }
}

// The last notification of a call, on the wire, ends it: at the total when the call worked,
// "stopped before the end" when it failed.
async function checkTheEnd(big) {
  const size = fs.statSync(big).size;
  const ok = (await rawCall({ pcap_file: big, hashes: 'none' }))
    .filter((m) => m.method === 'notifications/progress' || m.id === 2);
  check(ok.at(-1).result && !ok.at(-1).result.isError, 'raw: the call works');
  const last = ok.at(-2).params;
  check(last.progress === size && last.total === size,
    `raw: the last notification is at the file's size ${size}: ${JSON.stringify(last)}`);
  const bad = (await rawCall({ pcap_file: big, bpf_filter: 'tcp port' }))
    .filter((m) => m.method === 'notifications/progress' || m.id === 2);
  check(bad.at(-1).result?.isError, 'raw: a bad filter fails the call');
  check(/^stopped before the end: BPF_FILTER_INVALID$/.test(bad.at(-2).params.message),
    `raw: a failed call says so: ${JSON.stringify(bad.at(-2).params)}`);
}

// Serves `file` slowly (about 1.5 s), with its length, so the download is seen in progress.
function serveSlowly(file) {
  const body = fs.readFileSync(file);
  const server = http.createServer(async (req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream',
      'content-length': body.length });
    const piece = Math.ceil(body.length / 15);
    for (let at = 0; at < body.length; at += piece) {
      res.write(body.subarray(at, at + piece));
      await sleep(100);
    }
    res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

run('progress', async () => {
  const dir = tempDir();
  try {
    // 40M tiny records, gzipped (about 10 MB on disk): long enough to read that progress is
    // reported while reading even on an idle machine.
    const big = path.join(dir, 'big.pcap.gz');
    await writeBigCapture(big, 40_000_000);
    const server = await serveSlowly(big);
    const url = `http://127.0.0.1:${server.address().port}/big.pcap.gz`;
    try {
      const gw = await startHttpGateway(['--allow-private-urls']);
      try {
        const { client } = await connectHttp(gw.url);
        await exercise('http', client, big, url);
        await client.close();
      } finally {
        gw.stop();
      }
      const { client } = await connect();
      await exercise('stdio', client, big, null);
      await client.close();
      await checkTheEnd(big);
    } finally {
      server.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
