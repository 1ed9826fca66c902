// Every bad input is an isError result with a readable message naming the tool, the reason the
// backend gave (its ErrorInfo reason) and the argument at fault.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { check, connect, exampleCaptures, run, tempDir, toolText } from './lib.mjs';

run('errors', async () => {
  const dir = tempDir();
  const { client } = await connect();
  const call = (args, name = 'analyze_capinfos') => client.callTool({ name, arguments: args });
  async function expectError(args, pattern, what) {
    const r = await call(args);
    check(r.isError === true, `${what}: expected isError, got ${JSON.stringify(r).slice(0, 300)}`);
    const text = toolText(r);
    check(text.startsWith('analyze_capinfos: '), `${what}: message names the tool: ${text}`);
    check(pattern.test(text), `${what}: message ${JSON.stringify(text)} should match ${pattern}`);
    return text;
  }
  try {
    await expectError({ pcap_file: path.join(dir, 'missing.pcap') },
      /^analyze_capinfos: CAPTURE_NOT_FOUND: .*missing\.pcap/, 'missing file');
    await expectError({ pcap_file: dir }, /^analyze_capinfos: NOT_A_CAPTURE_FILE: .*\(field: pcap_file\)$/,
      'a directory');
    const text = path.join(dir, 'notes.pcap');
    fs.writeFileSync(text, 'this is not a capture file, just some text\n'.repeat(10));
    await expectError({ pcap_file: text }, /^analyze_capinfos: NOT_A_CAPTURE_FILE: /, 'a text file');
    // The field is named as the tool's argument, not by its path in the gRPC request.
    await expectError({ pcap_file: exampleCaptures()[0], bpf_filter: 'tcp port' },
      /^analyze_capinfos: BPF_FILTER_INVALID: .* \(field: bpf_filter\)$/, 'bad bpf_filter');
    // A closed set's values are words in any case; others are refused with the list.
    await expectError({ pcap_file: exampleCaptures()[0], hashes: 'md5' },
      /argument 'hashes' must be one of sha256, all, none/, 'bad hashes');
    // Loopback is not fetched unless the gateway is started with --allow-private-urls.
    await expectError({ pcap_file: 'http://127.0.0.1:9/x.pcap' },
      /^analyze_capinfos: URL_NOT_ALLOWED: .*127\.0\.0\.1/, 'a loopback URL');
    await expectError({}, /missing required argument 'pcap_file'/, 'missing pcap_file');
    await expectError({ pcap_file: 'x', verbose: true }, /unknown argument 'verbose'/,
      'unknown argument');
    await expectError({ pcap_file: 'x', max_packets: 'lots' },
      /argument 'max_packets' must be an integer/, 'wrong type');

    // A capture cut in the middle of a record: an error, or a result that says so.
    const whole = fs.readFileSync(exampleCaptures().find((f) => f.endsWith('.pcap')));
    const cut = path.join(dir, 'cut.pcap');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2) + 3));
    const r = await call({ pcap_file: cut });
    if (r.isError) {
      check(/^analyze_capinfos: CAPTURE_DAMAGED: .+/.test(toolText(r)), `truncated: ${toolText(r)}`);
    } else {
      check(r.structuredContent.capture.warnings.length > 0,
        'a truncated capture is reported in capture.warnings');
    }
    // A header only, cut before the first record ends.
    fs.writeFileSync(cut, whole.subarray(0, 10));
    const h = await call({ pcap_file: cut });
    check(h.isError && /^analyze_capinfos: CAPTURE_DAMAGED: /.test(toolText(h)),
      `cut header: ${toolText(h)}`);
  } finally {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // A download that fails is the backend's answer (UNAVAILABLE with a reason), not a backend
  // that died: no "retry, it is being restarted".
  const closedPort = await new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
  const allowed = await connect(['--allow-private-urls']);
  try {
    const r = await allowed.client.callTool({ name: 'analyze_capinfos',
      arguments: { pcap_file: `http://127.0.0.1:${closedPort}/x.pcap` } });
    const text = toolText(r);
    check(r.isError && /^analyze_capinfos: DOWNLOAD_FAILED: /.test(text), `closed port: ${text}`);
    check(!/died/.test(text), `the backend is not said to have died: ${text}`);
  } finally {
    await allowed.client.close();
  }
});
