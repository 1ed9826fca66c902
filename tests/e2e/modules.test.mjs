// --modules limits the tools offered; unknown modules, transports and bad ports are usage
// errors.
import { spawnSync } from 'node:child_process';
import { check, connect, env, expectRpcError, run } from './lib.mjs';

run('modules', async () => {
  const { client } = await connect(['--modules', 'dns']);
  const { tools } = await client.listTools();
  check(tools.length === 1 && tools[0].name === 'analyze_dns_packets',
    `--modules dns lists only the DNS tool, got ${tools.map((t) => t.name)}`);
  await expectRpcError(client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file: 'x' } }),
    -32602, 'a tool of a disabled module');
  await client.close();

  const { client: tcp } = await connect(['--modules=tcp,capinfos']);
  check((await tcp.listTools()).tools.length === 5, '--modules=tcp,capinfos lists 5 tools');
  await tcp.close();

  const bad = spawnSync(env.bin, ['--modules', 'dns,nope'], { input: '', encoding: 'utf8' });
  check(bad.status === 2, `--modules nope exits 2, got ${bad.status}`);
  check(/unknown module 'nope'.*valid modules: capinfos, dhcp, dns, icmp, packets, payload, sip, tcp/
    .test(bad.stderr), `message lists the valid modules: ${bad.stderr}`);
  check(bad.stdout === '', 'nothing on stdout');

  const transport = spawnSync(env.bin, ['--transport', 'carrier-pigeon'],
    { input: '', encoding: 'utf8' });
  check(transport.status === 2 && /--transport must be stdio or http/.test(transport.stderr),
    `--transport carrier-pigeon: ${transport.status} ${transport.stderr}`);
  const port = spawnSync(env.bin, ['--transport', 'http', '--port', '70000'],
    { input: '', encoding: 'utf8', timeout: 10000 });
  check(port.status === 2, `--port 70000 exits 2, got ${port.status}`);
  const help = spawnSync(env.bin, ['--help'], { encoding: 'utf8' });
  check(/--modules/.test(help.stdout + help.stderr), '--help lists --modules');
});
