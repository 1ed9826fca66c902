// Idle sessions expire (--session-idle-timeout) and --max-sessions bounds them.
import { check, run, sleep, startHttpGateway } from './lib.mjs';

const init = { jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {},
    clientInfo: { name: 'raw', version: '1' } } };
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const post = (url, body, extra = {}) => fetch(url,
  { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });

run('http_expiry', async () => {
  const gw = await startHttpGateway(['--session-idle-timeout', '2s', '--max-sessions', '2',
    '--backend', '127.0.0.1:1']);
  try {
    const a = (await post(gw.url, init)).headers.get('mcp-session-id');
    const b = (await post(gw.url, init)).headers.get('mcp-session-id');
    check(a && b && a !== b, 'two sessions');
    let res = await post(gw.url, init);
    check(res.status === 503, `third session over --max-sessions: 503, got ${res.status}`);
    const ping = { jsonrpc: '2.0', id: 2, method: 'ping' };
    for (let i = 0; i < 3; i++) {  // b stays busy; a idles out
      await sleep(900);
      res = await post(gw.url, ping, { 'mcp-session-id': b });
      check(res.status === 200, 'an active session lives on');
    }
    res = await post(gw.url, ping, { 'mcp-session-id': a });
    check(res.status === 404, `an idle session expires: 404, got ${res.status}`);
    res = await post(gw.url, init);
    check(res.status === 200, 'the expired session made room');
  } finally {
    gw.stop();
  }
});
