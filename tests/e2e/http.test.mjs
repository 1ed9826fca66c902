// Streamable HTTP end to end: the SDK client over `mcpcap --transport http` (tools with schemas,
// prompts with arguments, completion, progress during a call), then the transport's status
// codes with raw requests, and several sessions with concurrent calls.
import {
  check, connectHttp, expectRpcError, exampleCaptures, run, startHttpGateway, tempDir,
} from './lib.mjs';

async function post(url, body, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream',
      ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const init = { jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {},
    clientInfo: { name: 'raw', version: '1' } } };

run('http', async () => {
  const gw = await startHttpGateway();
  try {
    const { client } = await connectHttp(gw.url);
    const { tools } = await client.listTools();
    check(tools.length === 20, `20 tools, got ${tools.length}`);
    for (const t of tools) {
      check(t.description && t.inputSchema?.type === 'object' && t.outputSchema,
        `${t.name} has a description, inputSchema and outputSchema`);
    }

    const pcap_file = exampleCaptures()[0];
    const progress = [];
    const r = await client.callTool({ name: 'analyze_capinfos', arguments: { pcap_file } },
      undefined, { onprogress: (p) => progress.push(p) });
    check(!r.isError && r.structuredContent.packet_count > 0, 'capinfos over HTTP');
    check(progress.length >= 2 && progress.at(-1).progress === progress.at(-1).total,
      `progress from 0 to total: ${JSON.stringify(progress)}`);

    const { prompts } = await client.listPrompts();
    for (const p of prompts) check(p.description, `prompt ${p.name} has a description`);
    if (prompts.length === 0) {
      process.stderr.write('http: the backend lists no prompts yet: prompts/get not exercised\n');
    } else {
      const withFile = prompts.find((p) => p.arguments?.some((a) => a.name === 'pcap_file'));
      check(withFile, 'some prompt takes pcap_file');
      const got = await client.getPrompt({ name: withFile.name, arguments: { pcap_file } });
      check(got.messages.length > 0 && got.messages[0].content.text, 'prompt text');
      const done = await client.complete({ ref: { type: 'ref/prompt', name: withFile.name },
        argument: { name: 'pcap_file', value: '' } });
      check(Array.isArray(done.completion.values), 'completion values');
    }
    await expectRpcError(client.getPrompt({ name: 'no_such_prompt' }), -32602, 'unknown prompt');
    await expectRpcError(client.callTool({ name: 'nope', arguments: {} }), -32602, 'unknown tool');
    await client.setLoggingLevel('debug');
    const sessionId = client.transport.sessionId;
    check(/^[0-9a-f]{32}$/.test(sessionId), `session id ${sessionId}`);

    // Several sessions, several calls in flight in each.
    const others = await Promise.all([1, 2, 3].map(() => connectHttp(gw.url)));
    const calls = others.flatMap(({ client: c }) => [1, 2].map(() =>
      c.callTool({ name: 'analyze_capinfos', arguments: { pcap_file } })));
    for (const x of await Promise.all(calls)) check(!x.isError, 'concurrent calls succeed');
    for (const o of others) await o.client.close();

    // Status codes of the 2025-11-25 transport.
    const sid = { 'mcp-session-id': sessionId };
    const ping = { jsonrpc: '2.0', id: 9, method: 'ping' };
    let res = await post(gw.url, ping);
    check(res.status === 400, `no session id: 400, got ${res.status}`);
    res = await post(gw.url, ping, { 'mcp-session-id': '0'.repeat(32) });
    check(res.status === 404, `unknown session: 404, got ${res.status}`);
    res = await post(gw.url, ping, { ...sid, 'mcp-protocol-version': '1999-01-01' });
    check(res.status === 400, `bad protocol version: 400, got ${res.status}`);
    res = await post(gw.url, ping, { ...sid, 'mcp-protocol-version': '2025-03-26' });
    check(res.status === 200 && (await res.json()).result, 'ping with an older version: 200');
    res = await post(gw.url, { jsonrpc: '2.0', method: 'notifications/progress',
      params: { progressToken: 1, progress: 1 } }, sid);
    check(res.status === 202 && (await res.text()) === '', `notification: 202, got ${res.status}`);
    res = await post(gw.url, { jsonrpc: '2.0', id: 5, result: {} }, sid);
    check(res.status === 202, `response: 202, got ${res.status}`);
    res = await post(gw.url, '{oops', sid);
    check(res.status === 400 && (await res.json()).error.code === -32700, 'bad JSON: 400');
    res = await post(gw.url, [ping], sid);
    check(res.status === 400, `batch: 400, got ${res.status}`);
    res = await post(gw.url, init, { origin: 'http://evil.example.com' });
    check(res.status === 403, `foreign Origin: 403, got ${res.status}`);
    res = await fetch(gw.url, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    check(res.status === 415, `text/plain: 415, got ${res.status}`);
    res = await fetch(gw.url, { headers: { accept: 'text/event-stream', ...sid } });
    check(res.status === 405, `GET: 405, got ${res.status}`);
    res = await post(gw.url, 'x'.repeat(5 << 20), sid);
    check(res.status === 413, `5 MiB body: 413, got ${res.status}`);
    res = await post(gw.url, init);
    check(res.status === 200 && res.headers.get('mcp-session-id'), 'raw initialize');
    const raw = { 'mcp-session-id': res.headers.get('mcp-session-id') };
    res = await fetch(gw.url, { method: 'DELETE', headers: raw });
    check(res.status === 200, `DELETE: 200, got ${res.status}`);
    res = await post(gw.url, ping, raw);
    check(res.status === 404, `after DELETE: 404, got ${res.status}`);
    res = await fetch(gw.url, { method: 'DELETE', headers: raw });
    check(res.status === 404, `second DELETE: 404, got ${res.status}`);

    await client.close();
  } finally {
    gw.stop();
  }

  // --root reaches the private backend: a capture outside the allowed root is refused.
  const root = tempDir();
  const confined = await startHttpGateway(['--root', root]);
  try {
    const { client } = await connectHttp(confined.url);
    const r = await client.callTool({ name: 'analyze_capinfos',
      arguments: { pcap_file: exampleCaptures()[0] } });
    check(r.isError && /^analyze_capinfos: CAPTURE_OUTSIDE_ROOTS: /.test(r.content[0].text),
      `outside --root refused: ${JSON.stringify(r.content)}`);
    await client.close();
  } finally {
    confined.stop();
  }
});
