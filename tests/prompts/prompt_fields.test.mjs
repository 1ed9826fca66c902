// Every figure a prompt asks the model to read exists in a tool's output: each prompt, rendered
// through the real gateway in every argument combination that changes its calls, is read with
// the strict markup of prompt_markup.mjs, so each backticked span must be a call that parses and
// names a real tool and real arguments of the right type, a tool, an argument, a value the caller
// gave, or a result field found in a tool's whole output schema (mcpcap://schemas/{tool}) (MCP names: `response_time_ms`,
// `next_cursor`). No prompt mentions upload:// handles (no MCP tool makes one). The general
// `triage` prompt is offered and leads from the overview to every focused tool.
import { check, connect, listToolsWithFullSchemas, run } from '../e2e/lib.mjs';
import { renderAll } from './prompt_session.mjs';

const FOCUSED = ['analyze_dns_packets', 'analyze_dhcp_packets', 'analyze_icmp_packets',
  'analyze_sip_packets', 'analyze_tcp_connections', 'analyze_tcp_anomalies',
  'analyze_tcp_retransmissions', 'analyze_traffic_flow', 'analyze_payload',
  'extract_database_queries'];

run('prompt_fields', async () => {
  const { client } = await connect();
  const { tools } = await listToolsWithFullSchemas(client);
  const values = { address: '10.0.0.5', client: '10.0.0.6', server: '10.0.0.5',
    resolver: '10.0.0.53', mac: '00:11:22:33:44:55', port: 443, domain: 'example.com',
    stream: 0, packet: 1 };
  const { prompts, renderings } = await renderAll(client, tools, '/captures/big.pcapng', values);
  const errors = [];
  const fields = new Set();
  for (const r of renderings) {
    for (const e of r.errors) errors.push(`${r.prompt} ${JSON.stringify(r.args)}: ${e}`);
    for (const f of r.fields) fields.add(f);
    if (/upload:\/\//.test(r.text)) errors.push(`${r.prompt}: mentions upload:// handles`);
    if (r.calls.length === 0) errors.push(`${r.prompt}: recommends no call`);
  }
  for (const p of (await client.listPrompts()).prompts) {
    if (/upload:\/\//.test(JSON.stringify(p))) errors.push(`${p.name}: upload:// in its listing`);
  }
  check(errors.length === 0, `${errors.length} markup errors:\n${[...new Set(errors)].join('\n')}`);

  // The general prompt: overview first, then every focused tool, then pages.
  check(prompts.includes('triage'), `a triage prompt is offered: ${prompts}`);
  const triage = renderings.find((r) => r.prompt === 'triage' && r.args.pcap_file);
  const order = triage.calls.map((c) => c.tool);
  check(order[0] === 'analyze_capinfos' && order[1] === 'detect_protocols',
    `triage starts with analyze_capinfos, detect_protocols: ${order}`);
  for (const t of FOCUSED) check(order.includes(t), `triage leads to ${t}`);
  check(/next_cursor/.test(triage.text) && /`cursor`/.test(triage.text), 'triage pages');
  process.stdout.write(`${prompts.length} prompts, ${renderings.length} renderings, ` +
    `${fields.size} distinct result fields cited, all in the output schemas\n`);
  await client.close();
});
