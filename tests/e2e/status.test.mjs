// The backend's state as an MCP resource: mcpcap://server/status holds the JSON of
// ServerStatusService.GetServerStatus, read through the gateway's own backend channel.
import path from 'node:path';
import { check, connect, env, run, toolText } from './lib.mjs';

run('status', async () => {
  const { client } = await connect();
  const { resources } = await client.listResources();
  const entry = resources.find((r) => r.uri === 'mcpcap://server/status');
  check(entry && entry.mimeType === 'application/json', `status listed: ${JSON.stringify(resources)}`);
  const read = async () => {
    const { contents } = await client.readResource({ uri: 'mcpcap://server/status' });
    check(contents.length === 1 && contents[0].mimeType === 'application/json', 'one JSON text');
    return JSON.parse(contents[0].text);
  };
  const before = await read();
  for (const key of ['entries', 'memory_bytes', 'memory_limit_bytes', 'hits', 'misses']) {
    check(typeof before.result_cache?.[key] === 'number', `result_cache.${key}: ${JSON.stringify(before)}`);
  }
  check(typeof before.captures_held === 'number', 'captures_held');
  const pcap_file = path.join(env.examples, 'dns_loopback.pcap');
  for (let i = 0; i < 2; i++) {
    const r = await client.callTool({ name: 'analyze_dns_packets', arguments: { pcap_file } });
    check(!r.isError, toolText(r));
  }
  const after = await read();
  const calls = (s) => s.result_cache.hits + s.result_cache.misses + (s.result_cache.joined ?? 0);
  check(calls(after) >= calls(before) + 2, `two calls counted: ${JSON.stringify(after)}`);
  check(after.result_cache.entries >= 1, `a result held: ${JSON.stringify(after)}`);
  await client.close();
});
