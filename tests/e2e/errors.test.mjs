// Every bad input is an isError result with a readable message naming the tool and the cause.
import fs from 'node:fs';
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
    await expectError({ pcap_file: path.join(dir, 'missing.pcap') }, /NOT_FOUND: .*missing\.pcap/,
      'missing file');
    await expectError({ pcap_file: dir }, /[A-Z_]+: .*director/i, 'a directory');
    const text = path.join(dir, 'notes.pcap');
    fs.writeFileSync(text, 'this is not a capture file, just some text\n'.repeat(10));
    await expectError({ pcap_file: text }, /[A-Z_]+: .+/, 'a text file');
    await expectError({ pcap_file: exampleCaptures()[0], bpf_filter: 'tcp port' },
      /INVALID_ARGUMENT: .*(filter|bpf)/i, 'bad bpf_filter');
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
      check(/^analyze_capinfos: [A-Z_]+: .+/.test(toolText(r)), `truncated: ${toolText(r)}`);
    } else {
      check(r.structuredContent.capture.warnings.length > 0,
        'a truncated capture is reported in capture.warnings');
    }
    // A header only, cut before the first record ends.
    fs.writeFileSync(cut, whole.subarray(0, 10));
    const h = await call({ pcap_file: cut });
    check(h.isError || h.structuredContent.capture.warnings.length > 0,
      `cut header: ${toolText(h)}`);
  } finally {
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
