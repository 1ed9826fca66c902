// Cancellation, over stdio and over HTTP: notifications/cancelled (the SDK sends it when the
// call's AbortSignal fires) cancels the gRPC call, the gateway logs it, and the backend's only
// worker is freed. The capture is a pcap header and a 4 TiB hole (empty records): reading it
// whole would outlast the test, so the next call ending at all is the event that shows the
// backend stopped working on the cancelled one. No clock is read.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  check, connect, connectHttp, env, exampleCaptures, pcapHeader, run, startHttpGateway, tempDir,
  waitFor,
} from './lib.mjs';

async function exercise(name, client, endless, gatewayLog) {
  const progress = [];
  const controller = new AbortController();
  const call = client.callTool({ name: 'analyze_capinfos',
    arguments: { pcap_file: endless, hashes: 'none' } },
    undefined, { signal: controller.signal, timeout: 120000,
      onprogress: (p) => progress.push(p) });
  call.catch(() => {});
  // The analysis is running once it reports reading progress.
  await waitFor(() => progress.some((p) => p.message?.startsWith('read ')), 60000,
    `${name}: reading progress`);
  check(progress[0].progress === 0, `${name}: progress 0 at the start`);
  controller.abort('test cancels');
  let outcome = 'result';
  try { await call; } catch (e) { outcome = `error: ${e.message}`; }
  check(outcome.startsWith('error'), `${name}: the aborted call ends with an error`);
  await waitFor(() => /cancelled by the client/.test(gatewayLog()), 30000,
    `${name}: the gateway logs the cancel`);
  await waitFor(() => /analyze_capinfos stopped after \d+ ms: CANCELLED/.test(gatewayLog()), 30000,
    `${name}: the backend call ended CANCELLED: ${gatewayLog()}`);
  // One worker: this call runs only once the cancelled analysis has let go of it.
  const ok = await client.callTool({ name: 'analyze_capinfos',
    arguments: { pcap_file: exampleCaptures()[0] } }, undefined, { timeout: 120000 });
  check(!ok.isError, `${name}: the next call works`);
}

// A pcap header (microseconds, Ethernet), then a hole that reads as zeros: empty records.
function endlessCapture(dir) {
  const file = path.join(dir, 'endless.pcap');
  fs.writeFileSync(file, pcapHeader());
  fs.truncateSync(file, 4 * 2 ** 40);
  return file;
}

// A backend of its own with a single worker, shared by both gateways.
async function startBackend(dir) {
  const socket = path.join(dir, 'mcpcapd.sock');
  const child = spawn(env.backend, ['--listen', `unix:${socket}`, '--workers', '1', '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(() => fs.existsSync(socket), 30000, 'the backend socket');
  return { target: `unix:${socket}`, stop: () => child.kill('SIGTERM') };
}

run('cancel', async () => {
  const dir = tempDir();
  const backend = await startBackend(dir);
  try {
    const endless = endlessCapture(dir);
    const gw = await startHttpGateway(['--backend', backend.target]);
    try {
      const { client } = await connectHttp(gw.url);
      await exercise('http', client, endless, gw.log);
      await client.close();
    } finally {
      gw.stop();
    }

    let stderr = '';
    const { client, transport } = await connect(['--backend', backend.target], 'pipe');
    transport.stderr.on('data', (d) => { stderr += d; });
    await exercise('stdio', client, endless, () => stderr);
    await client.close();
  } finally {
    backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
