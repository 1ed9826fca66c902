// Renders every prompt through the real gateway (prompts/get, as a client reads it) in every
// argument combination that can change its calls, and reads each rendering with the strict
// markup of prompt_markup.mjs. Shared by the prompt tests and tests/bench/prompt_budget.sh.
import { argumentCombinations, readPrompt } from './prompt_markup.mjs';

// Argument values a caller might give, from the capture where one is known.
export function sampleArguments(values) {
  return (name) => ({
    server_ip: values.server, target_ip: values.server, host_ip: values.client,
    client_ip: values.client, expected_server: values.resolver, server_port: '443', port: '443',
    domain: values.domain, client_mac: values.mac, call_id: 'a84b4c76e66710@pc33.example.com',
    user: '1001',
  }[name] ?? 'sample');
}

// {prompts: [names], renderings: [{prompt, args, text, calls, fields, errors}]}.
export async function renderAll(client, tools, pcapFile, values) {
  const { prompts } = await client.listPrompts();
  const allowed = new Map();
  for (const p of prompts) {
    for (const a of p.arguments ?? []) {
      if (a.name === 'pcap_file') continue;
      const done = await client.complete({ ref: { type: 'ref/prompt', name: p.name },
        argument: { name: a.name, value: '' } });
      if (done.completion.values.length) allowed.set(`${p.name}.${a.name}`, done.completion.values);
    }
  }
  const sample = sampleArguments(values);
  const renderings = [];
  for (const p of prompts) {
    const combos = argumentCombinations(p, (prompt, arg) => allowed.get(`${prompt}.${arg}`),
      sample);
    // Without pcap_file too: the text then names the capture by the <capture> placeholder.
    for (const [args, withFile] of [...combos.map((c) => [c, true]), [{}, false]]) {
      const given = withFile ? { pcap_file: pcapFile, ...args } : args;
      const got = await client.getPrompt({ name: p.name, arguments: given });
      const text = got.messages.map((m) => m.content.text).join('\n');
      const read = readPrompt(text, tools, { ...values, capture: pcapFile },
        Object.values(given));
      renderings.push({ prompt: p.name, args: given, text, ...read });
    }
  }
  return { prompts: prompts.map((p) => p.name), renderings };
}
