// node run_conformance.mjs gateway|fixtures [baseline.yml]
// Starts the server on a free port (--port 0; the URL comes from its log), runs the official
// conformance suite against it, stops it by pid. gateway: the product `mcpcap --transport http`
// on the scenarios any server is scored on, one by one. fixtures: the test-only fixture server
// on the whole active suite, with a baseline of expected failures.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [mode, baseline] = process.argv.slice(2);
const nodeDir = process.env.MCPCAP_E2E_NODE;
const conformance = path.join(nodeDir, 'node_modules', '.bin', 'conformance');
const GENERIC = ['server-initialize', 'ping', 'tools-list', 'prompts-list', 'logging-set-level',
  'server-sse-multiple-streams', 'dns-rebinding-protection'];

function startServer() {
  const [cmd, args] = mode === 'gateway'
    ? [process.env.MCPCAP_BIN, ['--transport', 'http', '--port', '0']]
    : [process.env.MCPCAP_FIXTURE_BIN, ['0']];
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${log}`)), 30000);
    child.stderr.on('data', (d) => {
      log += d;
      process.stderr.write(d);
      const m = /serving MCP at (http:\/\/\S+)/.exec(log);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${log}`)));
  });
}

function runSuite(url, extra) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpcap-conformance-'));
  const r = spawnSync(conformance, ['server', '--url', url, '-o', out, ...extra],
    { encoding: 'utf8', timeout: 240000 });
  fs.rmSync(out, { recursive: true, force: true });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  return r.status;
}

async function main() {
  const { child, url } = await startServer();
  let failed = [];
  try {
    if (mode === 'gateway') {
      for (const scenario of GENERIC) {
        if (runSuite(url, ['--scenario', scenario]) !== 0) failed.push(scenario);
      }
      process.stdout.write(`\npassed: ${GENERIC.filter((s) => !failed.includes(s)).join(', ')}\n`);
    } else {
      if (runSuite(url, ['--expected-failures', baseline]) !== 0) failed = ['(see baseline check)'];
    }
  } finally {
    child.kill('SIGTERM');
  }
  if (failed.length) {
    process.stderr.write(`conformance ${mode}: FAILED: ${failed.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`conformance ${mode}: ok\n`);
  process.exit(0);
}

main().catch((e) => { process.stderr.write(`conformance ${mode}: ${e.stack}\n`); process.exit(1); });
