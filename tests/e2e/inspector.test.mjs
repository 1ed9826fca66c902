// The official inspector CLI against the gateway (exit codes: 0 ok, 5 tool error).
import { spawnSync } from 'node:child_process';
import { check, env, exampleCaptures, inspectorBin, run } from './lib.mjs';

function inspector(args) {
  return spawnSync(inspectorBin, ['--cli', ...args, '--', env.bin],
    { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: process.env.HOME ?? '/tmp' } });
}

run('inspector', async () => {
  const list = inspector(['--method', 'tools/list', '--format', 'json', '-q']);
  check(list.status === 0, `tools/list exit ${list.status}: ${list.stderr}`);
  check(JSON.parse(list.stdout).result.tools.length === 20, 'tools/list shows 20 tools');

  const strict = inspector(['--method', 'tools/list', '--strict', '--format', 'json', '-q']);
  check(strict.status === 0, `--strict finds no schema portability errors: ${strict.stderr}`);

  const call = inspector(['--method', 'tools/call', '--tool-name', 'analyze_capinfos',
    '--tool-args-json', JSON.stringify({ pcap_file: exampleCaptures()[0] }), '--format', 'json',
    '-q']);
  check(call.status === 0, `tools/call exit ${call.status}: ${call.stderr}`);
  check(JSON.parse(call.stdout).result.structuredContent.packet_count > 0, 'structuredContent');

  const bad = inspector(['--method', 'tools/call', '--tool-name', 'analyze_capinfos',
    '--tool-args-json', '{"pcap_file": "/nonexistent.pcap"}', '--format', 'json', '-q']);
  check(bad.status === 5, `isError exits 5, got ${bad.status}`);

  const prompts = inspector(['--method', 'prompts/list', '--format', 'json', '-q']);
  check(prompts.status === 0, `prompts/list exit ${prompts.status}: ${prompts.stderr}`);
});
