// mcpcap --call TOOL JSON: the whole path in one command.
import { spawnSync } from 'node:child_process';
import { check, env, exampleCaptures, run } from './lib.mjs';

run('oneshot', async () => {
  const pcap = exampleCaptures()[0];
  const ok = spawnSync(env.bin, ['--call', 'analyze_capinfos', JSON.stringify({ pcap_file: pcap })],
    { encoding: 'utf8', timeout: 60000 });
  check(ok.status === 0, `exit 0, got ${ok.status}: ${ok.stderr}`);
  const result = JSON.parse(ok.stdout);
  check(result.packet_count > 0 && result.filename, 'prints the structured result');
  check(ok.stdout.includes('\n  "'), 'pretty-printed');
  // A normal stop of the private backend prints nothing on the user's terminal.
  check(ok.stderr === '', `nothing on stderr after a normal call and stop: ${ok.stderr}`);

  const missing = spawnSync(env.bin,
    ['--call', 'analyze_capinfos', '{"pcap_file": "/nonexistent/x.pcap"}'],
    { encoding: 'utf8', timeout: 60000 });
  check(missing.status === 1, `isError exits 1, got ${missing.status}`);
  check(/analyze_capinfos: CAPTURE_NOT_FOUND: /.test(missing.stderr), `message on stderr: ${missing.stderr}`);
  check(missing.stdout === '', 'nothing on stdout');

  const list = spawnSync(env.bin, ['--list-tools'], { encoding: 'utf8' });
  check(list.status === 0 && JSON.parse(list.stdout).tools.length === 20, '--list-tools');

  const backendFlag = spawnSync(env.bin, ['--backend-binary', env.backend, '--max-packets', '3',
    '--call', 'analyze_capinfos', JSON.stringify({ pcap_file: pcap })],
    { encoding: 'utf8', timeout: 60000 });
  check(backendFlag.status === 0, `--backend-binary: ${backendFlag.stderr}`);
  check(JSON.parse(backendFlag.stdout).capture.packets_read <= 3, '--max-packets caps the call');

  // --version: the project version and the git commit of the build, from both binaries.
  for (const [bin, name] of [[env.bin, 'mcpcap'], [env.backend, 'mcpcapd']]) {
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10000 });
    const line = new RegExp(`^${name} \\d+\\.\\d+\\.\\d+ \\(commit ([0-9a-f]{7,}(-dirty)?|unknown)\\)\\n$`);
    check(v.status === 0 && line.test(v.stdout), `${name} --version: ${v.status} ${v.stdout}`);
  }
});
