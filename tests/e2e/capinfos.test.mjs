// A successful analysis on every example capture; the SDK validates structuredContent against
// the tool's outputSchema (it throws on a mismatch).
import { check, connect, exampleCaptures, run, toolText } from './lib.mjs';

run('capinfos', async () => {
  const captures = exampleCaptures();
  check(captures.length > 0, 'examples/ has captures');
  const { client } = await connect();
  await client.listTools();  // caches the outputSchema validators
  for (const pcap_file of captures) {
    const r = await client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file } });
    check(!r.isError, `${pcap_file}: ${toolText(r)}`);
    const s = r.structuredContent;
    check(s && s.packet_count > 0, `${pcap_file}: packet_count > 0`);
    check(typeof s.file_size_bytes === 'number', '64-bit counters are JSON numbers');
    check(JSON.stringify(JSON.parse(toolText(r))) === JSON.stringify(s),
      'text content is the same JSON');
    check(s.capture?.source === pcap_file, 'capture.source echoes the path');
  }
  // Options travel: max_packets as a string is accepted and caps the read.
  const r = await client.callTool({
    name: 'analyze_capinfos', arguments: { pcap_file: captures[0], max_packets: '2' } });
  check(!r.isError, toolText(r));
  check(r.structuredContent.capture.packets_read <= 2, 'max_packets reached the backend');
  // A closed set's value in any case: "SHA256" is the enum value sha256.
  const hashed = await client.callTool({
    name: 'analyze_capinfos', arguments: { pcap_file: captures[0], hashes: 'SHA256' } });
  check(!hashed.isError && /^[0-9a-f]{64}$/.test(hashed.structuredContent.sha256),
    `hashes in upper case: ${toolText(hashed)}`);
  await client.close();
});
