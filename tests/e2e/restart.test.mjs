// Backend lifecycle: a killed mcpcapd gives an isError result and is restarted; EOF stops it and
// removes its directory; a SIGKILLed gateway takes its backend with it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  alive, check, childPids, connect, env, exampleCaptures, run, sleep, toolText, waitFor,
} from './lib.mjs';

function backendOf(gatewayPid) {
  const pids = childPids(gatewayPid).filter((p) =>
    fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('mcpcapd'));
  return pids[0];
}

function socketDir(pid) {
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const listen = args[args.indexOf('--listen') + 1];
  return path.dirname(listen.replace(/^unix:/, ''));
}

run('restart', async () => {
  const pcap_file = exampleCaptures()[0];
  const { client, transport } = await connect();
  const call = () => client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file } });
  check(!(await call()).isError, 'first call works');

  const gateway = transport.pid;
  const first = backendOf(gateway);
  check(first, 'the gateway runs an mcpcapd child');
  const dir = socketDir(first);
  check(fs.statSync(dir).mode % 0o1000 === 0o700, 'private directory is 0700');

  process.kill(first, 'SIGKILL');
  const r = await call();  // the death may be noticed by this call or before it
  if (r.isError) {
    check(/UNAVAILABLE: .*(died|not available)/.test(toolText(r)), `says why: ${toolText(r)}`);
  }
  let ok = false;
  for (let i = 0; i < 40 && !ok; i++) {
    ok = !(await call()).isError;
    if (!ok) await sleep(250);
  }
  check(ok, 'a later call succeeds on the restarted backend');
  const second = backendOf(gateway);
  check(second && second !== first, 'a new mcpcapd runs');

  // Killed during a call: that call reports the death, the next one works.
  const big = path.join(fs.mkdtempSync(path.join(dir, '..', 'mcpcap-e2e-')), 'big.pcap');
  const example = fs.readFileSync(exampleCaptures().find((f) => f.endsWith('.pcap')));
  fs.writeFileSync(big, Buffer.concat([example.subarray(0, 24),
    ...Array(12000).fill(example.subarray(24))]));  // ~90 MB: a call of a few hundred ms
  const victim = backendOf(gateway);
  const inFlight = client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file: big } });
  await sleep(40);
  process.kill(victim, 'SIGKILL');
  const midCall = await inFlight;
  if (midCall.isError) {
    check(/^analyze_capinfos: UNAVAILABLE: the backend mcpcapd died during the call/
      .test(toolText(midCall)), `the in-flight call says the backend died: ${toolText(midCall)}`);
  } else {
    process.stderr.write('restart: the big call finished before the kill (inconclusive)\n');
  }
  fs.rmSync(path.dirname(big), { recursive: true, force: true });
  // The kill may land just after the big call answered: then the next call may be the one to
  // meet the dying backend. Either way, one call at most reports it.
  let after = await call();
  if (after.isError) {
    check(/UNAVAILABLE: the backend mcpcapd died/.test(toolText(after)), toolText(after));
    after = await call();
  }
  check(!after.isError, `the call after a death succeeds: ${toolText(after)}`);
  const third = backendOf(gateway);

  await client.close();  // EOF on stdin
  await waitFor(() => !alive(third) && !alive(gateway), 10000, 'gateway and backend to exit');
  check(!fs.existsSync(dir), `the private directory ${dir} is removed`);

  // SIGKILL of the gateway: PR_SET_PDEATHSIG ends the backend too.
  const raw = spawn(env.bin, [], { stdio: ['pipe', 'ignore', 'inherit'] });
  let orphan;
  await waitFor(() => (orphan = backendOf(raw.pid)) !== undefined, 15000, 'backend to start');
  const orphanDir = socketDir(orphan);
  raw.kill('SIGKILL');
  await waitFor(() => !alive(orphan), 5000, 'the backend to die with its gateway');
  fs.rmSync(orphanDir, { recursive: true, force: true });  // nobody is left to remove it
});
