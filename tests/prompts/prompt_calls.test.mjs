// Every call a prompt recommends stays within the default result budget (--max-result-chars
// 40,000) as the model would make it: each prompt is rendered through the real gateway in every
// argument combination that changes its calls, its calls are read with the strict markup of
// prompt_markup.mjs (an unparseable call fails), placeholders are filled with hosts of the
// capture, and every distinct call is RUN, then the next page of each listing it cut. Each answer
// must fit in 40,000 characters on its own: not be an error, and not need the gateway's rescue
// (asking again with a smaller max_results, said in capture.warnings), which only happens when
// a default page does not fit.
//
// The capture: mcpcap-gencap's traffic mix (TCP with HTTP, TLS and SSH, DNS, ICMP echo, DHCP;
// IPv6 and VLANs) at 200,000 packets. The mix is the same at any size, and listings are pages of
// 10, so result sizes stop growing once every listing holds more than a page and every
// distribution has its categories: measured with every tool's default call at 50k / 200k / 1M
// packets, the largest answers were 10.8k / 22.7k / 22.8k characters (ICMP) and 23.7k / 23.8k /
// 24.2k (DHCP), every other tool within 1% between 200k and 1M. 200k packets keeps this test
// near 30 s; the 3M-packet run is tests/bench/prompt_budget.sh.
//
//   node prompt_calls.test.mjs [--capture FILE] [--packets N]   (under ctest: no arguments)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { check, connect, listToolsWithFullSchemas, run, tempDir, toolText } from '../e2e/lib.mjs';
import { renderAll } from './prompt_session.mjs';

const BUDGET = 40000;
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

run('prompt_calls', async () => {
  const started = Date.now();
  let pcapFile = flag('--capture');
  if (!pcapFile) {
    const gencap = process.env.MCPCAP_GENCAP;
    check(gencap, 'MCPCAP_GENCAP (mcpcap-gencap) or --capture FILE is needed');
    pcapFile = path.join(tempDir(), 'gencap.pcap');
    execFileSync(gencap, ['--packets', flag('--packets') ?? '200000', '--out', pcapFile],
      { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const { client } = await connect();
  const { tools } = await listToolsWithFullSchemas(client);
  const callTool = async (name, args) => {
    const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 1200000 });
    return { r, text: toolText(r) };
  };

  // Placeholder values: the hosts an analyst would pick from the first answers.
  const dns = (await callTool('analyze_dns_packets', { pcap_file: pcapFile })).r.structuredContent;
  const tcp = (await callTool('analyze_tcp_connections', { pcap_file: pcapFile }))
    .r.structuredContent;
  const dhcp = (await callTool('analyze_dhcp_packets', { pcap_file: pcapFile }))
    .r.structuredContent;
  const values = {
    client: dns.statistics.top_clients[0]?.name ?? '192.0.2.1',
    resolver: dns.statistics.top_servers[0]?.name ?? '192.0.2.53',
    domain: dns.statistics.top_queried_names[0]?.name ?? 'example.com',
    server: tcp.connections[0]?.server.ip ?? '192.0.2.80',
    mac: dhcp.statistics.clients?.[0]?.mac ?? '02:00:00:00:00:01',
    port: 443,
    stream: tcp.connections[0]?.stream_index ?? 0,
    packet: tcp.connections[0]?.first_packet.packet_number ?? 1,
  };
  values.address = values.server;

  const { renderings } = await renderAll(client, tools, pcapFile, values);
  const markup = renderings.flatMap((r) => r.errors.map((e) => `${r.prompt} ${JSON.stringify(r.args)}: ${e}`));
  check(markup.length === 0, `markup errors:\n${[...new Set(markup)].join('\n')}`);

  const calls = new Map();  // distinct calls, with the prompts that recommend them
  for (const r of renderings) {
    for (const c of r.calls) {
      const key = JSON.stringify([c.tool, Object.entries(c.args).sort()]);
      if (!calls.has(key)) calls.set(key, { ...c, prompts: new Set() });
      calls.get(key).prompts.add(r.prompt);
    }
  }

  const problems = [];
  const largest = new Map();
  let pages = 0;
  const judge = (what, c, { r, text }) => {
    const prompts = [...c.prompts].join(', ');
    if (r.isError) problems.push(`${what} (${prompts}) is an error: ${text.slice(0, 300)}`);
    if (text.length > BUDGET) problems.push(`${what} (${prompts}): ${text.length} characters`);
    const rescued = (r.structuredContent?.capture?.warnings ?? [])
      .filter((w) => w.startsWith('mcpcap: max_results'));
    if (rescued.length) problems.push(`${what} (${prompts}) needed the budget's rescue: ${rescued}`);
    if (text.length > (largest.get(c.tool)?.chars ?? -1)) {
      largest.set(c.tool, { chars: text.length, call: what });
    }
  };
  for (const c of calls.values()) {
    const shown = c.span.replace(pcapFile, '<capture>');
    const first = await callTool(c.tool, c.args);
    judge(shown, c, first);
    for (const l of first.r.structuredContent?.capture?.partial_listings ?? []) {
      if (!l.next_cursor) continue;
      pages += 1;
      judge(`${shown} page 2 of ${l.listing}`, c,
        await callTool(c.tool, { ...c.args, cursor: l.next_cursor }));
    }
  }
  const report = [...largest.entries()].map(([t, { chars, call }]) => `  ${t}: ${chars} (${call})`);
  process.stdout.write(`${pcapFile}: ${renderings.length} renderings, ${calls.size} distinct ` +
    `calls and ${pages} next pages run in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `largest answer per tool:\n${report.join('\n')}\n`);
  check(problems.length === 0, `${problems.length} calls over the budget:\n${problems.join('\n')}`);
  await client.close();
});
