// Progress and cancellation, over stdio and over HTTP: a long analyze_capinfos on a big
// generated capture reports progress; notifications/cancelled (the SDK sends it when the
// call's AbortSignal fires) cancels the gRPC call, and the backend stops working promptly
// (its CPU time stops growing); the gateway logs the cancellation; the next call works.
import fs from 'node:fs';
import path from 'node:path';
import {
  check, childPids, connect, connectHttp, cpuTicks, exampleCaptures, run, sleep,
  startHttpGateway, tempDir, writeBigCapture,
} from './lib.mjs';

function backendOf(gatewayPid) {
  return childPids(gatewayPid).find((p) =>
    fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('mcpcapd'));
}

async function busyFor(pid, ms) {
  const before = cpuTicks(pid);
  await sleep(ms);
  return cpuTicks(pid) - before;  // clock ticks (1/100 s)
}

async function exercise(name, client, gatewayPid, big, gatewayLog) {
  const backend = backendOf(gatewayPid);
  check(backend, `${name}: the gateway runs an mcpcapd`);
  const progress = [];
  const controller = new AbortController();
  const started = Date.now();
  // hashes "none": the file hash runs beside the scan and does not poll for cancellation yet.
  const call = client.callTool({ name: 'analyze_capinfos',
    arguments: { pcap_file: big, hashes: 'none' } },
    undefined, { signal: controller.signal, timeout: 120000,
      onprogress: (p) => progress.push(p) });
  call.catch(() => {});
  // Wait until the analysis is visibly running: it uses CPU, or reports reading progress
  // (the first report comes after 250 ms; on a loaded machine CPU samples can miss it).
  const reading = () => progress.some((p) => p.message?.startsWith('read '));
  let busy = 0;
  for (let i = 0; i < 50 && busy < 5 && !reading(); i++) busy = await busyFor(backend, 100);
  check(busy >= 5 || reading(), `${name}: the backend works on the big capture`);
  check(progress.length >= 1 && progress[0].progress === 0, `${name}: progress 0 at the start`);
  controller.abort('test cancels');
  const cancelledAt = Date.now();
  let outcome = 'result';
  try { await call; } catch (e) { outcome = `error: ${e.message}`; }
  check(outcome.startsWith('error'), `${name}: the aborted call ends with an error`);
  // The backend polls for cancellation every 4096 packets: it must go idle quickly.
  await sleep(300);
  const after = await busyFor(backend, 500);
  check(after <= 5, `${name}: backend idle 300 ms after the cancel (used ${after} ticks)`);
  await sleep(100);
  check(/cancelled by the client/.test(gatewayLog()), `${name}: the gateway logs the cancel`);
  check(/analyze_capinfos stopped after \d+ ms: CANCELLED/.test(gatewayLog()),
    `${name}: the backend call ended CANCELLED: ${gatewayLog()}`);
  process.stderr.write(`${name}: ran ${cancelledAt - started} ms, idle after cancel\n`);

  const ok = await client.callTool({ name: 'analyze_capinfos',
    arguments: { pcap_file: exampleCaptures()[0] } });
  check(!ok.isError, `${name}: the next call works`);
}

// 30M records: several seconds of work. Gzipped (8 MB) when the backend reads .gz, else
// plain (900 MB, in a temp dir removed at the end).
async function bigCapture(dir) {
  const probe = path.join(dir, 'probe.pcap.gz');
  await writeBigCapture(probe, 10);
  const { client } = await connect();
  const r = await client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file: probe } });
  await client.close();
  const gz = !r.isError;
  const big = path.join(dir, gz ? 'big.pcap.gz' : 'big.pcap');
  await writeBigCapture(big, 30_000_000);
  return big;
}

run('cancel', async () => {
  const dir = tempDir();
  try {
    const big = await bigCapture(dir);
    const gw = await startHttpGateway();
    try {
      const { client } = await connectHttp(gw.url);
      await exercise('http', client, gw.pid, big, gw.log);
      await client.close();
    } finally {
      gw.stop();
    }

    let stderr = '';
    const { client, transport } = await connect([], 'pipe');
    transport.stderr.on('data', (d) => { stderr += d; });
    await exercise('stdio', client, transport.pid, big, () => stderr);
    await client.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
