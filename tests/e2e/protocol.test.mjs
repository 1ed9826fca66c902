// MCP basics against the real gateway: initialize, ping, tools/list, prompts/list, errors.
import { check, connect, expectRpcError, ResultSchema, run } from './lib.mjs';

run('protocol', async () => {
  const { client } = await connect();
  check(client.getServerVersion()?.name === 'mcpcap', 'serverInfo.name is mcpcap');
  const caps = client.getServerCapabilities();
  check(caps.tools && caps.prompts, 'tools and prompts capabilities');
  await client.ping();

  const { tools } = await client.listTools();
  check(tools.length === 20, `20 tools, got ${tools.length}`);
  for (const t of tools) {
    check(t.description?.length > 20, `${t.name} has a description`);
    check(t.inputSchema?.type === 'object', `${t.name} inputSchema is an object schema`);
    check(t.inputSchema.required?.includes('pcap_file'), `${t.name} requires pcap_file`);
    for (const [k, p] of Object.entries(t.inputSchema.properties)) {
      check(p.description, `${t.name}.${k} has a description`);
    }
    check(t.outputSchema?.type === 'object', `${t.name} has an outputSchema`);
    check(t.annotations?.readOnlyHint === true, `${t.name} is read-only`);
  }
  const tcp = tools.find((t) => t.name === 'analyze_tcp_connections');
  for (const k of ['server_ip', 'server_port', 'detailed', 'max_packets', 'bpf_filter']) {
    check(k in tcp.inputSchema.properties, `analyze_tcp_connections has ${k}`);
  }
  check(tcp.inputSchema.properties.detailed.default === false, 'detailed defaults to false');

  const prompts = await client.listPrompts();
  check(Array.isArray(prompts.prompts), 'prompts/list gives an array');

  await expectRpcError(client.callTool({ name: 'nope', arguments: {} }), -32602, 'unknown tool');
  await expectRpcError(client.request({ method: 'server/discover', params: {} }, ResultSchema),
    -32601, 'server/discover');
  await expectRpcError(client.getPrompt({ name: 'no_such_prompt' }), -32602, 'unknown prompt');
  await client.ping();  // the connection stays usable after errors
  await client.close();
});
