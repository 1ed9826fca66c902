// --profile and --tools choose the tools offered (and the prompts of their modules) for small
// contexts; unknown names are usage errors listing the valid ones. tools/list stays within
// 60,000 bytes with every tool, and a profile is much smaller.
import { spawn, spawnSync } from 'node:child_process';
import { check, cleanEnvironment, connect, env, expectRpcError, run } from './lib.mjs';

// The bytes of the tools/list response line a stdio client receives.
function toolsListBytes(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(env.bin, args, { stdio: ['pipe', 'pipe', 'inherit'], env: cleanEnvironment() });
    let out = Buffer.alloc(0);
    const timer = setTimeout(() => { child.kill(); reject(new Error('no tools/list reply')); }, 30000);
    child.stdout.on('data', (d) => {
      out = Buffer.concat([out, d]);
      const lines = out.toString('utf8').split('\n');
      for (const line of lines.slice(0, -1)) {  // complete lines only
        if (!line.startsWith('{') || JSON.parse(line).id !== 2) continue;
        clearTimeout(timer);
        child.stdin.end();
        resolve(Buffer.byteLength(line, 'utf8'));
        return;
      }
    });
    const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    send({ id: 1, method: 'initialize', params: {
      protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
  });
}

run('profiles', async () => {
  const { client } = await connect(['--profile', 'overview']);
  const names = (await client.listTools()).tools.map((t) => t.name);
  check(JSON.stringify(names) === JSON.stringify(
    ['analyze_capinfos', 'analyze_dns_packets', 'analyze_tcp_connections', 'detect_protocols',
      'list_conversations', 'get_protocol_hierarchy']),
  `--profile overview: ${names}`);
  await expectRpcError(client.callTool({ name: 'analyze_sip_packets', arguments: { pcap_file: 'x' } }),
    -32602, 'a tool outside the profile');
  // Prompts follow the modules that keep a tool: DNS and TCP, not SIP or DHCP.
  const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
  check(prompts.includes('security_analysis') && !prompts.some((p) => /^(sip|dhcp)_/.test(p)),
    `prompts of the profile's modules: ${prompts}`);
  await client.close();

  // Every flag given filters: --tools within --modules.
  const { client: two } = await connect(['--tools', 'analyze_capinfos,analyze_tcp_anomalies,detect_protocols',
    '--modules', 'tcp,capinfos']);
  const twoNames = (await two.listTools()).tools.map((t) => t.name);
  check(JSON.stringify(twoNames) === JSON.stringify(['analyze_capinfos', 'analyze_tcp_anomalies']),
    `--tools and --modules together: ${twoNames}`);
  await two.close();

  const bad = spawnSync(env.bin, ['--profile', 'tiny'], { input: '', encoding: 'utf8' });
  check(bad.status === 2 && /unknown profile 'tiny'.*valid profiles: all, overview, troubleshooting, security/
    .test(bad.stderr), `--profile tiny: ${bad.status} ${bad.stderr}`);
  const badTool = spawnSync(env.bin, ['--tools', 'analyze_capinfos,nope'], { input: '', encoding: 'utf8' });
  check(badTool.status === 2 && /unknown tool 'nope'.*valid tools: analyze_capinfos, /.test(badTool.stderr),
    `--tools nope: ${badTool.status} ${badTool.stderr}`);
  const none = spawnSync(env.bin, ['--profile', 'overview', '--modules', 'sip'],
    { input: '', encoding: 'utf8' });
  check(none.status === 2 && /leave no tool/.test(none.stderr), `no tool left: ${none.stderr}`);
  const help = spawnSync(env.bin, ['--help'], { encoding: 'utf8' });
  check(/--profile/.test(help.stdout + help.stderr) && /--max_result_chars|--max-result-chars/
    .test(help.stdout + help.stderr), '--help lists --profile and --max-result-chars');

  const sizes = {};
  for (const profile of ['all', 'overview', 'troubleshooting', 'security']) {
    sizes[profile] = await toolsListBytes(['--profile', profile]);
  }
  process.stdout.write(`tools/list bytes per profile: ${JSON.stringify(sizes)}\n`);
  check(sizes.all <= 60000, `tools/list with every tool: ${sizes.all} bytes, over 60,000`);
  check(sizes.overview < sizes.all / 2, `overview is small: ${sizes.overview} bytes`);
  check(sizes.troubleshooting < sizes.all && sizes.security < sizes.all, 'profiles are subsets');
});
