#!/usr/bin/env node
// Result sizes and end-to-end latency of every tool through the real gateway, as an MCP client
// sees them: the official SDK client (@modelcontextprotocol/sdk, installed by the e2e fixture)
// over stdio and over Streamable HTTP. For each transport it starts its own gateway (which starts
// its own mcpcapd, so every transport begins with a cold result cache), lists the tools, then
// calls every tool twice with only {pcap_file} and the arguments it requires (first = cold,
// second = served by the backend's result cache) and, when the answer lists a cut (capture.partial_listings with a next_cursor, or
// next_page_token before the rename), asks for the next page of the first such listing.
//
//   node tests/bench/mcp_latency.mjs CAPTURE [--transport stdio|http|both] [--tools a,b]
//       [--mcpcap PATH] [--node-dir DIR] [--timeout SECONDS] [--no-validate]
//
//   CAPTURE        a local pcap/pcapng (a big one: build/tools/gencap/mcpcap-gencap
//                  --packets 3000000 --out /tmp/big.pcap)
//   --transport    default both
//   --tools        comma-separated tool names (default: every tool listed)
//   --mcpcap       the gateway (default <repo>/build/gateway/mcpcap; it finds mcpcapd beside it)
//   --node-dir     where the e2e setup installed the SDK (default $MCPCAP_E2E_NODE, then
//                  <repo>/build/e2e-node; `ctest -R e2e_npm_install` in the build dir makes it)
//   --timeout      per-call deadline of the client (default 1200 s; the SDK's own is 60 s)
//   --no-validate  send tools/call as a plain request: no Zod parse of CallToolResult and no
//                  validation of structuredContent against the tool's outputSchema, to tell the
//                  client's own cost apart from the gateway's
//
// Prints, per transport, tools/list bytes and a table (tool, result text bytes, first/second/
// next-page milliseconds, ...), then one JSON line with everything. Not a test: nothing is
// asserted; exit status 1 only when the gateway cannot be started or listed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const flags = new Map();
const positional = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--no-validate' || a === '--help' || a === '-h') flags.set(a, true);
  else if (a.startsWith('--')) {
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(0, eq), a.slice(eq + 1));
    else flags.set(a, argv[++i]);
  } else positional.push(a);
}
if (flags.has('--help') || flags.has('-h') || positional.length !== 1) {
  const head = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  process.stderr.write(`${head.slice(1, head.findIndex((l) => l.startsWith('import'))).join('\n')}\n`);
  process.exit(positional.length === 1 ? 0 : 2);
}

const capture = path.resolve(positional[0]);
const transports = (() => {
  const t = flags.get('--transport') ?? 'both';
  if (t === 'both') return ['stdio', 'http'];
  if (t === 'stdio' || t === 'http') return [t];
  throw new Error(`--transport: stdio, http or both, not ${t}`);
})();
const onlyTools = flags.get('--tools') ? flags.get('--tools').split(',').filter(Boolean) : null;
const mcpcap = path.resolve(flags.get('--mcpcap') ?? path.join(repo, 'build/gateway/mcpcap'));
const nodeDir = path.resolve(
  flags.get('--node-dir') ?? process.env.MCPCAP_E2E_NODE ?? path.join(repo, 'build/e2e-node'));
const timeoutMs = Number(flags.get('--timeout') ?? 1200) * 1000;
const validate = !flags.has('--no-validate');

for (const [what, p] of [['capture', capture], ['gateway', mcpcap]]) {
  if (!fs.existsSync(p)) throw new Error(`${what} not found: ${p}`);
}
if (!fs.existsSync(path.join(nodeDir, 'node_modules/@modelcontextprotocol/sdk'))) {
  throw new Error(`no @modelcontextprotocol/sdk under ${nodeDir}/node_modules: run the e2e setup ` +
                  '(cmake --build build && ctest --test-dir build -R e2e_npm_install) or pass --node-dir');
}

const req = createRequire(path.join(nodeDir, 'package.json'));
const { Client } = req('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport, getDefaultEnvironment } = req(
  '@modelcontextprotocol/sdk/client/stdio.js');
const { StreamableHTTPClientTransport } = req(
  '@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ResultSchema } = req('@modelcontextprotocol/sdk/types.js');
const sdkVersion = JSON.parse(fs.readFileSync(
  path.join(nodeDir, 'node_modules/@modelcontextprotocol/sdk/package.json'), 'utf8')).version;

const utf8 = (s) => Buffer.byteLength(s, 'utf8');
const round = (ms) => (ms === null ? null : Math.round(ms * 10) / 10);

// ------------------------------------------------------------------------- the gateways

function logTail(text) {
  return text.length > 2000 ? `...${text.slice(-2000)}` : text;
}

async function startStdio() {
  const transport = new StdioClientTransport({
    command: mcpcap, args: [], env: getDefaultEnvironment(), stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (d) => { log = (log + d).slice(-65536); });
  const client = new Client({ name: 'mcpcap-bench', version: '1.0.0' }, { capabilities: {} });
  const t0 = performance.now();
  try {
    await client.connect(transport, { timeout: 60000 });
  } catch (e) {
    throw new Error(`stdio gateway did not start: ${e.message}\n${logTail(log)}`);
  }
  return {
    client, connectMs: performance.now() - t0, log: () => log,
    stop: async () => { await client.close(); },
  };
}

// `mcpcap --transport http --port 0 --root DIR`: the gateway picks a free port and logs its URL.
async function startHttp() {
  const root = path.dirname(capture);
  const t0 = performance.now();
  const child = spawn(mcpcap, ['--transport', 'http', '--host', '127.0.0.1', '--port', '0',
                               '--root', root],
                      { stdio: ['ignore', 'ignore', 'pipe'], env: getDefaultEnvironment() });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-65536); });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { clearInterval(poll); reject(new Error('no URL logged in 60 s')); },
                             60000);
    const poll = setInterval(() => {
      const m = /serving MCP at (http:\/\/\S+)/.exec(log);
      if (!m) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(m[1]);
    }, 10);
    exited.then(({ code, signal }) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`http gateway exited (${code ?? signal})`));
    });
  }).catch((e) => {
    try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
    throw new Error(`${e.message}\n${logTail(log)}`);
  });
  const client = new Client({ name: 'mcpcap-bench', version: '1.0.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  try {
    await client.connect(transport, { timeout: 60000 });
  } catch (e) {
    try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
    throw new Error(`http gateway at ${url}: connect failed: ${e.message}\n${logTail(log)}`);
  }
  return {
    client, url, connectMs: performance.now() - t0, log: () => log,
    stop: async () => {
      try { await transport.terminateSession(); } catch { /* best effort */ }
      await client.close();
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ }
      const killer = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ } },
                                10000);
      await exited;
      clearTimeout(killer);
    },
  };
}

// ------------------------------------------------------------------------- one call

async function call(client, name, args) {
  const t0 = performance.now();
  let result;
  try {
    result = validate
      ? await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })
      : await client.request({ method: 'tools/call', params: { name, arguments: args } },
                             ResultSchema, { timeout: timeoutMs });
  } catch (e) {
    return { ms: performance.now() - t0, error: `${e.code ?? ''} ${e.message}`.trim(), text: '' };
  }
  const ms = performance.now() - t0;
  const text = (result.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('');
  return {
    ms, text, isError: result.isError === true,
    messageBytes: utf8(JSON.stringify(result)),  // the whole result: text + structuredContent
  };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// The same answer but for the time it was made.
function sameAnswer(a, b) {
  const strip = (t) => t.replace(/"analysis_timestamp":\s*"[^"]*"/g, '');
  return strip(a) === strip(b);
}

// The arguments a tool cannot run without: the first packet, the first TCP stream, a common word.
const REQUIRED = {
  get_packet_details: { packet_number: 1 },
  follow_stream: { stream_index: 0 },
  search_packets: { pattern: 'HTTP' },
};

async function measureTool(client, tool) {
  const args = { pcap_file: capture, ...(REQUIRED[tool.name] ?? {}) };
  const row = { tool: tool.name };
  const first = await call(client, tool.name, args);
  row.bytes = utf8(first.text);
  row.chars = first.text.length;
  row.message_bytes = first.messageBytes ?? null;
  row.first_ms = round(first.ms);
  if (first.error || first.isError) {
    row.error = first.error ?? first.text.slice(0, 200);
  }
  const second = await call(client, tool.name, args);
  row.second_ms = round(second.ms);
  row.second_same = second.error ? false : sameAnswer(first.text, second.text);
  if (second.error && !row.error) row.error = `second: ${second.error}`;

  row.page2_ms = null;
  const answer = first.isError ? null : parseJson(first.text);
  const listings = answer?.capture?.partial_listings ?? [];
  const cut = listings.find((l) => l.next_cursor || l.next_page_token);
  row.partial_listings = listings.length;
  if (cut) {
    const props = tool.inputSchema?.properties ?? {};
    const param = 'cursor' in props ? 'cursor' : 'page_token' in props ? 'page_token'
      : cut.next_cursor ? 'cursor' : 'page_token';
    const page = await call(client, tool.name,
                            { ...args, [param]: cut.next_cursor ?? cut.next_page_token });
    row.page2_ms = round(page.ms);
    row.page2_bytes = utf8(page.text);
    row.page2_listing = cut.listing;
    row.page2_param = param;
    if (page.error || page.isError) row.page2_error = page.error ?? page.text.slice(0, 200);
  }
  return row;
}

// ------------------------------------------------------------------------- output

function table(rows, columns) {
  const cells = rows.map((r) => columns.map(([key, fmt]) => {
    const v = r[key];
    if (fmt) return fmt(v, r);
    return v === null || v === undefined ? '-' : String(v);
  }));
  const widths = columns.map(([key], i) => Math.max(key.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i])))
    .join('  ');
  return [line(columns.map(([k]) => k)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)]
    .join('\n');
}

const fixed = (v) => (v === null || v === undefined ? '-' : v.toFixed(1));

async function runTransport(kind) {
  const gw = kind === 'stdio' ? await startStdio() : await startHttp();
  const out = { transport: kind, connect_ms: round(gw.connectMs) };
  if (gw.url) out.url = gw.url;
  try {
    // The transport's floor: the median of a few pings.
    const pings = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      await gw.client.ping({ timeout: 60000 });
      pings.push(performance.now() - t);
    }
    out.ping_ms = round(pings.sort((a, b) => a - b)[pings.length >> 1]);
    // tools/list on the wire, then through the SDK's listTools, which also compiles a validator
    // per outputSchema (callTool uses them).
    let t0 = performance.now();
    let listed = await gw.client.request({ method: 'tools/list', params: {} }, ResultSchema,
                                         { timeout: 60000 });
    out.tools_list_ms = round(performance.now() - t0);
    out.tools_list_bytes = utf8(JSON.stringify(listed));
    if (validate) {
      t0 = performance.now();
      listed = await gw.client.listTools(undefined, { timeout: 60000 });
      out.tools_list_sdk_ms = round(performance.now() - t0);
    }
    const tools = listed.tools.filter((t) => !onlyTools || onlyTools.includes(t.name));
    const missing = (onlyTools ?? []).filter((n) => !listed.tools.some((t) => t.name === n));
    if (missing.length) out.unknown_tools = missing;
    out.tools = [];
    for (const tool of tools) {
      const row = await measureTool(gw.client, tool);
      out.tools.push(row);
      process.stderr.write(`[${kind}] ${tool.name}: ${row.bytes} B, first ${row.first_ms} ms, ` +
                           `second ${row.second_ms} ms, page2 ${row.page2_ms ?? '-'} ms\n`);
    }
  } finally {
    await gw.stop();
  }
  return out;
}

function print(result) {
  const lines = [
    '',
    `== ${result.transport}${result.url ? ` (${result.url})` : ''}: connect ${result.connect_ms} ms, ` +
      `ping ${result.ping_ms} ms (median of 7), tools/list ${result.tools_list_bytes} bytes in ` +
      `${result.tools_list_ms} ms` +
      (result.tools_list_sdk_ms !== undefined
        ? ` (SDK listTools with validators: ${result.tools_list_sdk_ms} ms)` : '') +
      (result.unknown_tools ? `; unknown tools: ${result.unknown_tools.join(',')}` : ''),
    table(result.tools, [
      ['tool'], ['bytes'], ['first_ms', fixed], ['second_ms', fixed], ['page2_ms', fixed],
      ['page2_bytes'], ['same', (_, r) => (r.second_same ? 'yes' : 'NO')],
      ['msg_bytes', (_, r) => String(r.message_bytes ?? '-')],
      ['note', (_, r) => [
        r.error ? `error: ${r.error.replace(/\s+/g, ' ').slice(0, 80)}` : '',
        r.page2_listing ? `page2 of ${r.page2_listing}` : '',
        r.page2_error ? `page2 error: ${r.page2_error.replace(/\s+/g, ' ').slice(0, 80)}` : '',
        r.chars > 40000 ? `over 40000 chars (${r.chars})` : '',
      ].filter(Boolean).join('; ')],
    ]),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const stat = fs.statSync(capture);
  const summary = {
    capture, capture_bytes: stat.size, gateway: mcpcap, sdk: sdkVersion, node: process.version,
    validate, started: new Date().toISOString(), transports: [],
  };
  process.stdout.write(`capture ${capture} (${(stat.size / 1e6).toFixed(1)} MB), gateway ${mcpcap}, ` +
                       `SDK ${sdkVersion}, ${validate ? 'callTool (validating)' : 'plain tools/call'}\n`);
  for (const kind of transports) {
    const result = await runTransport(kind);
    summary.transports.push(result);
    print(result);
  }
  process.stdout.write(`\n${JSON.stringify(summary)}\n`);
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`mcp_latency: ${e.stack ?? e}\n`);
  process.exit(1);
});
