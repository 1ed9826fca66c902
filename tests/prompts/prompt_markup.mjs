// The markup of the prompt texts (backend/prompts), read strictly. Every `backticked` span of a
// rendered prompt is one of:
//   - a call:      `tool_name(arg=value, ...)`, values "double-quoted strings" (no escapes),
//                  integers, decimals, true or false; the tool and each argument exist;
//   - a tool name: `analyze_dns_packets`;
//   - an argument: `bpf_filter`, or with a value `bpf_filter="host <address>"`;
//   - a result field as MCP shows it: a dotted path such as `statistics.top_clients`, `[]` after
//     each list it goes through (`packets[].answers[]`), read from the root of a tool's output
//     or, when it does not start at a root, from inside an object of one;
//   - a value the caller passed as a prompt argument (a domain, a Call-ID).
// Anything else is a markup error. Placeholders `<name>` stand for what the model picks from
// earlier results; PLACEHOLDERS lists the allowed names.
export const PLACEHOLDERS = ['capture', 'address', 'client', 'server', 'resolver', 'mac', 'port',
  'domain', 'stream', 'packet'];

const NAME = /^[a-z][a-z0-9_]*$/;

// Every backticked span of a text, in order.
export function backticked(text) {
  const spans = [];
  const re = /`([^`\n]*)`/g;
  for (let m; (m = re.exec(text));) spans.push(m[1]);
  const rest = text.replace(re, '');
  if (rest.includes('`')) throw new Error(`an unpaired backtick near: ${rest.slice(rest.indexOf('`') - 60, rest.indexOf('`') + 60)}`);
  return spans;
}

// One value: a JSON-like string without escapes, a number or a boolean. Returns [value, rest].
function parseValue(text) {
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0) throw new Error('an unterminated string');
    const s = text.slice(1, end);
    if (s.includes('\\')) throw new Error('escapes are not part of the markup');
    return [s, text.slice(end + 1)];
  }
  const m = /^(-?\d+(?:\.\d+)?|true|false)/.exec(text);
  if (!m) throw new Error(`not a value: ${text.slice(0, 30)}`);
  const v = m[1] === 'true' ? true : m[1] === 'false' ? false : Number(m[1]);
  return [v, text.slice(m[1].length)];
}

// `name=value` -> [name, value]; throws on anything else.
export function parseArgument(text) {
  const eq = text.indexOf('=');
  const name = text.slice(0, eq);
  if (eq < 0 || !NAME.test(name)) throw new Error(`not name=value: ${text}`);
  const [value, rest] = parseValue(text.slice(eq + 1));
  if (rest !== '') throw new Error(`trailing text after ${name}'s value: ${rest}`);
  return [name, value];
}

export function isCall(span) {
  return /^[a-z][a-z0-9_]*\(/.test(span);
}

// `tool(a=1, b="x")` -> {tool, args}; throws on anything else.
export function parseCall(span) {
  const m = /^([a-z][a-z0-9_]*)\((.*)\)$/.exec(span);
  if (!m) throw new Error(`not tool(args): ${span}`);
  const args = {};
  let rest = m[2];
  while (rest !== '') {
    const eq = rest.indexOf('=');
    const name = rest.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) throw new Error(`bad argument in ${span}: ${rest}`);
    const [value, after] = parseValue(rest.slice(eq + 1));
    if (name in args) throw new Error(`${name} twice in ${span}`);
    args[name] = value;
    if (after === '') break;
    if (!after.startsWith(', ')) throw new Error(`expected ", " in ${span} at: ${after}`);
    rest = after.slice(2);
  }
  return { tool: m[1], args };
}

// Replaces each <placeholder> by values[name]; throws on a name not in PLACEHOLDERS.
export function fillPlaceholders(text, values) {
  return text.replace(/<([^<>]*)>/g, (all, name) => {
    if (!PLACEHOLDERS.includes(name)) throw new Error(`unknown placeholder ${all} in ${text}`);
    if (values[name] === undefined) throw new Error(`no value for ${all}`);
    return String(values[name]);
  });
}

// ------------------------------------------------------------------------- output schemas

function deref(root, node) {
  while (node && node.$ref) {
    const m = /^#\/\$defs\/(.+)$/.exec(node.$ref);
    if (!m) throw new Error(`unexpected $ref ${node.$ref}`);
    node = root.$defs[m[1]];
  }
  return node;
}

// The alternatives a node stands for (anyOf unfolded, $ref followed, null dropped).
function variants(root, node) {
  node = deref(root, node);
  if (!node) return [];
  if (node.anyOf) return node.anyOf.flatMap((n) => variants(root, n));
  if (node.type === 'null') return [];
  return [node];
}

// The nodes a path reaches from `node`: segments `name` or `name[]`; `[]` only on a list, and
// a list is entered only through `[]`.
function walk(root, node, segments) {
  let current = variants(root, node);
  for (const [i, seg] of segments.entries()) {
    const m = /^([a-z][a-z0-9_]*)(\[\])?$/.exec(seg);
    if (!m) return [];
    const next = [];
    for (const n of current) {
      if (n.type !== 'object' || !n.properties || !(m[1] in n.properties)) continue;
      for (const v of variants(root, n.properties[m[1]])) {
        if (v.type === 'array') {
          if (m[2]) next.push(...variants(root, v.items));
          else if (i === segments.length - 1) next.push(v);
        } else if (!m[2]) {
          next.push(v);
        }
      }
    }
    current = next;
  }
  return current;
}

// Every object node of a schema (where relative paths may start).
function objects(root) {
  const out = [];
  const seen = new Set();
  const visit = (node) => {
    for (const v of variants(root, node)) {
      if (seen.has(v)) continue;
      seen.add(v);
      if (v.type === 'object') {
        out.push(v);
        for (const p of Object.values(v.properties ?? {})) visit(p);
        if (v.additionalProperties && typeof v.additionalProperties === 'object') {
          visit(v.additionalProperties);
        }
      } else if (v.type === 'array') {
        visit(v.items);
      }
    }
  };
  visit(root);
  return out;
}

// Does `path` name a field of one of `tools` (tools/list entries)? Rooted at a tool's output
// first, then from inside any of its objects.
export function fieldExists(path, tools) {
  if (!/^[a-z][a-z0-9_]*(\[\])?(\.[a-z][a-z0-9_]*(\[\])?)*$/.test(path)) return false;
  const segments = path.split('.');
  for (const t of tools) {
    const root = t.outputSchema;
    if (walk(root, root, segments).length > 0) return true;
  }
  for (const t of tools) {
    const root = t.outputSchema;
    for (const o of objects(root)) {
      if (walk(root, o, segments).length > 0) return true;
    }
  }
  return false;
}

// Tools named in a text (as calls or names), by tools/list.
export function toolsNamed(spans, tools) {
  const names = new Set(spans.map((s) => (isCall(s) ? s.slice(0, s.indexOf('(')) : s)));
  return tools.filter((t) => names.has(t.name));
}

// Checks every span of a rendered prompt: returns {calls: [{tool, args, span}], fields: [...],
// errors: [...]}. `values` fills placeholders; `argumentValues` are the prompt's own arguments.
export function readPrompt(text, tools, values, argumentValues) {
  const spans = backticked(text);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const inputs = new Set(tools.flatMap((t) => Object.keys(t.inputSchema.properties ?? {})));
  const named = toolsNamed(spans, tools);
  const calls = [];
  const fields = [];
  const errors = [];
  for (const span of spans) {
    try {
      if (isCall(span)) {
        const { tool, args } = parseCall(fillPlaceholders(span, values));
        const spec = byName.get(tool);
        if (!spec) throw new Error(`no tool ${tool}`);
        const props = spec.inputSchema.properties ?? {};
        for (const [k, v] of Object.entries(args)) {
          if (!(k in props)) throw new Error(`${tool} takes no ${k}`);
          const type = variants(spec.inputSchema, props[k]).map((n) => n.type);
          const ok = typeof v === 'string' ? type.includes('string')
            : typeof v === 'boolean' ? type.includes('boolean')
              : type.includes('number') || (type.includes('integer') && Number.isInteger(v));
          if (!ok) throw new Error(`${tool}: ${k} is ${type.join('|')}, not ${JSON.stringify(v)}`);
        }
        for (const r of spec.inputSchema.required ?? []) {
          if (!(r in args)) throw new Error(`${tool} needs ${r}`);
        }
        calls.push({ tool, args, span });
      } else if (byName.has(span) || inputs.has(span) || argumentValues.includes(span)) {
        // a tool, an argument, or the caller's own value
      } else if (/^[a-z][a-z0-9_]*=/.test(span)) {
        const [name] = parseArgument(fillPlaceholders(span, values));
        if (!inputs.has(name)) throw new Error(`no tool takes ${name}`);
      } else if (fieldExists(span, named.length ? named : tools)) {
        fields.push(span);
      } else {
        throw new Error(`not a call, tool, argument or result field of ${named.map((t) => t.name).join(', ') || 'any tool'}`);
      }
    } catch (e) {
      errors.push(`\`${span}\`: ${e.message}`);
    }
  }
  return { calls, fields, errors };
}

// Every argument combination of a prompt that can change its calls: each argument but pcap_file
// absent or present (each allowed value, or `sample(name)` for free text).
export function argumentCombinations(prompt, allowed, sample) {
  let combos = [{}];
  for (const a of prompt.arguments ?? []) {
    if (a.name === 'pcap_file') continue;
    const choices = allowed(prompt.name, a.name) ?? [sample(a.name)];
    const next = [];
    for (const c of combos) {
      next.push(c);
      for (const v of choices) next.push({ ...c, [a.name]: v });
    }
    combos = next;
  }
  return combos;
}
