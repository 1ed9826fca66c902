// Paging through MCP: a tool's answer names each listing it holds only part of, with its
// next_cursor (the contract's next_page_token, renamed for MCP by (mcp_name)); passing it as
// cursor brings the next page of that listing, and the pages add up to the whole listing. The
// contract's names page_token/next_page_token never appear to an MCP client. The SDK validates every structuredContent against the outputSchema;
// enum values, times and spans come out as a model reads them.
import path from 'node:path';
import { check, connect, env, run, toolText } from './lib.mjs';

run('paging', async () => {
  const pcap_file = path.join(env.examples, 'dns_loopback.pcap');
  const { client } = await connect();
  await client.listTools();  // caches the outputSchema validators
  const call = async (args) => {
    const r = await client.callTool({ name: 'analyze_dns_packets', arguments: args });
    check(!r.isError, toolText(r));
    return r.structuredContent;
  };

  const whole = await call({ pcap_file, max_results: 1000 });
  const all = whole.packets.map((p) => p.packet_number);
  check(all.length > 5, `dns_loopback.pcap lists ${all.length} messages`);
  check(whole.capture.partial_listings.length === 0, 'a complete answer has nothing to page');
  const p = whole.packets[0];
  check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(p.timestamp), `RFC 3339: ${p.timestamp}`);
  check(p.protocol === 'udp' || p.protocol === 'tcp', `lowercase transport: ${p.protocol}`);
  check(typeof p.source.ip === 'string' && typeof p.source.port === 'number', 'endpoint');
  const answered = whole.packets.find((x) => x.response_time_ms !== undefined);
  check(answered && typeof answered.response_time_ms === 'number', 'a span in ms');

  const seen = [];
  let page = await call({ pcap_file, max_results: 4 });
  for (let n = 0; n < 50; n++) {
    seen.push(...page.packets.map((x) => x.packet_number));
    const listing = page.capture.partial_listings.find((l) => l.listing === 'packets');
    check(listing && listing.total === all.length, 'the cut listing says its total');
    check(!('next_page_token' in listing), 'next_page_token is next_cursor in MCP');
    if (!listing.next_cursor) break;
    page = await call({ pcap_file, max_results: 4, cursor: listing.next_cursor });
    check(page.unanswered_queries.length === 0, 'a page fills only its listing');
  }
  check(JSON.stringify(seen) === JSON.stringify(all), `pages add up: ${seen} vs ${all}`);

  const stats = await call({ pcap_file, max_results: 0 });
  check(stats.packets.length === 0 && stats.statistics.queries > 0, 'statistics only');
  const bad = await client.callTool({
    name: 'analyze_dns_packets', arguments: { pcap_file, cursor: 'bogus' } });
  check(bad.isError && /INVALID_ARGUMENT.*\(field: cursor\)/.test(toolText(bad)), toolText(bad));
  check(!/page_token/.test(toolText(bad)), `the error names the MCP argument: ${toolText(bad)}`);
  // The contract's own name is no MCP argument: refused like any unknown one.
  const old = await client.callTool({
    name: 'analyze_dns_packets', arguments: { pcap_file, page_token: 'x' } });
  check(old.isError && /unknown argument 'page_token'; accepted: .*cursor/.test(toolText(old)),
    toolText(old));
  const { tools } = await client.listTools();
  for (const t of tools) {
    const text = JSON.stringify([t.inputSchema, t.outputSchema, t.description]);
    check(!/page_token/.test(text), `${t.name} lists no page_token/next_page_token`);
    check(t.inputSchema.properties.cursor?.type === 'string', `${t.name} takes a cursor`);
  }
  await client.close();
});
