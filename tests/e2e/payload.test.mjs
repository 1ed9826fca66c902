// The three payload tools through the real gateway and backend, on our own loopback captures:
// structuredContent validated by the SDK against each tool's outputSchema, and the facts read
// from the streams (protocol by content, request lines, paired queries).
import path from 'node:path';
import { check, connect, env, run, toolText } from './lib.mjs';

const data = path.join(path.dirname(env.examples), 'tests', 'analysis', 'payload', 'data');
const example = (name) => path.join(env.examples, name);

run('payload', async () => {
  const { client } = await connect();
  await client.listTools();  // caches the outputSchema validators

  const detected = await client.callTool({
    name: 'detect_protocols', arguments: { pcap_file: example('http_loopback.pcap') } });
  check(!detected.isError, toolText(detected));
  const flows = detected.structuredContent.flows;
  check(flows.length > 0 && flows.every((f) => f.protocol === 'http'),
    `every flow of http_loopback.pcap is HTTP: ${JSON.stringify(flows.map((f) => f.protocol))}`);
  check(detected.structuredContent.protocols[0].protocol === 'http', 'totals by protocol');

  const payload = await client.callTool({
    name: 'analyze_payload', arguments: { pcap_file: example('http_loopback.pcap') } });
  check(!payload.isError, toolText(payload));
  const first = payload.structuredContent.flows[0];
  check(first.messages.some((m) => m.direction === 'client_to_server' && m.fields.method),
    'requests are read with their fields');
  check(typeof first.messages[0].hex_preview === 'string', 'messages carry previews');

  const queries = await client.callTool({
    name: 'extract_database_queries',
    arguments: { pcap_file: path.join(data, 'mysql_session.pcap') } });
  check(!queries.isError, toolText(queries));
  const q = queries.structuredContent;
  check(q.total_queries > 0 && q.by_protocol.mysql === q.total_queries,
    `MySQL queries found: ${JSON.stringify(q.by_protocol)}`);
  check(q.queries.every((x) => ['ok', 'error', 'no_response'].includes(x.status)),
    'each query has a status');

  const wrong = await client.callTool({
    name: 'extract_database_queries',
    arguments: { pcap_file: example('http_loopback.pcap'), protocol: 'oracle' } });
  check(wrong.isError && /INVALID_ARGUMENT: .*oracle.* \(field: protocol\)$/.test(toolText(wrong)),
    `unknown protocol: ${toolText(wrong)}`);
  await client.close();
});
