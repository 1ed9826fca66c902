// The result budget (--max-result-chars): with default arguments every tool's answer fits in N
// characters of text, which is compact JSON equal to structuredContent; an answer the budget
// cut says so and pages on with next_cursor, and the pages of every cut listing add up to the
// whole listing exactly once, in order. A max_results the caller gives is obeyed exactly.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { atPath, check, connect, env, run, tempDir, toolText, writeTrafficCapture } from './lib.mjs';

// Small enough that ten entries of any listing overflow it, large enough for the DNS statistics
// (about 4,000 characters on this capture) and one entry of each listing: the answers are cut, not
// reduced to statistics only, so their cursors can be followed.
const BUDGET = 6000;

run('budget', async () => {
  const pcap_file = path.join(tempDir(), 'traffic.pcap');
  writeTrafficCapture(pcap_file);
  const { client } = await connect(['--max-result-chars', String(BUDGET)]);
  const { tools } = await client.listTools();  // the SDK validates results against outputSchema
  check(tools.length === 20, `20 tools, got ${tools.length}`);
  check(tools.every((t) => t._meta === undefined), 'a budget under 50,000 is not declared');

  const call = async (name, args) => {
    const r = await client.callTool({ name, arguments: { pcap_file, ...args } });
    check(!r.isError, `${name}: ${toolText(r)}`);
    const text = toolText(r);
    check(isDeepStrictEqual(JSON.parse(text), r.structuredContent),
      `${name}: the text is the structured content`);
    check(!/\n/.test(text), `${name}: compact JSON`);
    return { text, result: r.structuredContent };
  };
  const extra = { analyze_traffic_flow: { server_ip: '10.0.0.80' },
    get_packet_details: { packet_number: 1 }, follow_stream: { stream_index: 0 },
    search_packets: { pattern: 'example' } };
  const lowered = [];
  for (const t of tools) {
    const { text, result } = await call(t.name, extra[t.name] ?? {});
    check(text.length <= BUDGET, `${t.name}: ${text.length} characters, over ${BUDGET}`);
    if (result.capture.warnings.some((w) => /^mcpcap: max_results \d+ instead of 10/.test(w))) {
      lowered.push(t.name);
      check(result.capture.partial_listings.length > 0, `${t.name}: a cut answer says what is left`);
    }
  }
  // The capture holds hundreds of DNS messages, connections and ICMP messages: ten of each
  // would not fit.
  for (const name of ['analyze_dns_packets', 'analyze_tcp_connections', 'analyze_icmp_packets']) {
    check(lowered.includes(name), `${name} was cut to the budget (lowered: ${lowered})`);
  }

  // An explicit max_results is obeyed, budget or not.
  const ten = await call('analyze_dns_packets', { max_results: 10 });
  check(ten.result.packets.length === 10 && ten.text.length > BUDGET,
    `max_results 10 gives 10 packets (${ten.text.length} characters)`);
  check(!ten.result.capture.warnings.some((w) => w.startsWith('mcpcap:')), 'and no note');

  // Every listing the budget cut pages to its end from the reduced answer: each entry once,
  // in the order of the whole listing, every page within the budget.
  const paged = {  // without `detailed`, analyze_tcp_connections lists ten connections at most
    analyze_dns_packets: {}, analyze_tcp_connections: { detailed: true }, analyze_icmp_packets: {} };
  const followed = [];
  for (const [name, args] of Object.entries(paged)) {
    const whole = (await call(name, { ...args, max_results: 10000 })).result;
    check(whole.capture.partial_listings.length === 0, `${name}: max_results 10000 holds all`);
    const first = (await call(name, args)).result;
    for (const listing of first.capture.partial_listings) {
      const all = atPath(whole, listing.listing);
      check(Array.isArray(all) && all.length === listing.total,
        `${name}: ${listing.listing} has ${listing.total} entries in the whole answer`);
      const seen = [...atPath(first, listing.listing)];
      let cursor = listing.next_cursor;
      for (let pages = 0; cursor && pages < 1000; pages++) {
        const { text, result } = await call(name, { ...args, cursor });
        check(text.length <= BUDGET, `${name} page: ${text.length} characters`);
        const page = atPath(result, listing.listing);
        check(page.length > 0, `${name}: a page of ${listing.listing} gets on`);
        seen.push(...page);
        cursor = result.capture.partial_listings.find((l) => l.listing === listing.listing)
          ?.next_cursor;
      }
      check(isDeepStrictEqual(seen, all),
        `${name}: the pages of ${listing.listing} add up to it (${seen.length} of ${all.length})`);
      followed.push(`${name}:${listing.listing}=${all.length}`);
    }
  }
  process.stdout.write(`cut to ${BUDGET}: ${lowered.join(', ')}\npaged: ${followed.join(', ')}\n`);
  await client.close();

  // Above the threshold where a client would save results to files, each tool declares it.
  const list = spawnSync(env.bin, ['--list-tools', '--max-result-chars', '120000'],
    { encoding: 'utf8' });
  check(list.status === 0, list.stderr);
  for (const t of JSON.parse(list.stdout).tools) {
    check(t._meta?.['anthropic/maxResultSizeChars'] === 120000, `${t.name} declares 120000`);
  }
});
