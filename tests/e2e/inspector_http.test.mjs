// The official inspector CLI against `mcpcap --transport http` (exit codes: 0 ok, 5 tool error).
import { spawnSync } from 'node:child_process';
import { check, exampleCaptures, inspectorBin, run, startHttpGateway } from './lib.mjs';

run('inspector_http', async () => {
  const gw = await startHttpGateway();
  const inspector = (args) => spawnSync(inspectorBin,
    ['--cli', gw.url, '--transport', 'http', ...args, '--format', 'json', '-q'],
    { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: process.env.HOME ?? '/tmp' } });
  try {
    const list = inspector(['--method', 'tools/list']);
    check(list.status === 0, `tools/list exit ${list.status}: ${list.stderr}`);
    const tools = JSON.parse(list.stdout).result.tools;
    check(tools.length === 20 && tools.every((t) => t.inputSchema && t.outputSchema),
      '20 tools with schemas');

    const call = inspector(['--method', 'tools/call', '--tool-name', 'analyze_capinfos',
      '--tool-args-json', JSON.stringify({ pcap_file: exampleCaptures()[0] })]);
    check(call.status === 0, `tools/call exit ${call.status}: ${call.stderr}`);
    check(JSON.parse(call.stdout).result.structuredContent.packet_count > 0, 'structuredContent');

    const bad = inspector(['--method', 'tools/call', '--tool-name', 'analyze_capinfos',
      '--tool-args-json', '{"pcap_file": "/nonexistent.pcap"}']);
    check(bad.status === 5, `isError exits 5, got ${bad.status}`);

    const prompts = inspector(['--method', 'prompts/list']);
    check(prompts.status === 0, `prompts/list exit ${prompts.status}: ${prompts.stderr}`);
    const listed = JSON.parse(prompts.stdout).result.prompts;
    if (listed.length > 0) {
      const p = listed.find((x) => x.arguments?.some((a) => a.name === 'pcap_file')) ?? listed[0];
      const got = inspector(['--method', 'prompts/get', '--prompt-name', p.name,
        '--prompt-args', `pcap_file=${exampleCaptures()[0]}`]);
      check(got.status === 0, `prompts/get exit ${got.status}: ${got.stderr}`);
      check(JSON.parse(got.stdout).result.messages.length > 0, 'prompt messages');
    }
  } finally {
    gw.stop();
  }
});
