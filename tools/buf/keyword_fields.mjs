// Fails when a field of the contract is named after a keyword of a language whose generated code
// uses field names as they are: Python (msg.from is a syntax error), C++ (protoc renames class to
// class_) and JavaScript. Go and Java generate CamelCase names (Type, getType()), which no keyword
// of theirs can match. Reads the contract through `buf build` (BUF: the buf binary).
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const python = `False None True and as assert async await break class continue def del elif else
  except finally for from global if import in is lambda nonlocal not or pass raise return try while
  with yield`;
const cpp = `alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t
  char16_t char32_t class compl concept const consteval constexpr constinit const_cast continue
  co_await co_return co_yield decltype default delete do double dynamic_cast else enum explicit
  export extern false float for friend goto if inline int long mutable namespace new noexcept not
  not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
  return short signed sizeof static static_assert static_cast struct switch template this
  thread_local throw true try typedef typeid typename union unsigned using virtual void volatile
  wchar_t while xor xor_eq`;
const javascript = `await break case catch class const continue debugger default delete do else
  enum export extends false finally for function if implements import in instanceof interface let
  new null package private protected public return static super switch this throw true try typeof
  var void while with yield`;
const keywords = new Set(`${python} ${cpp} ${javascript}`.split(/\s+/));

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const image = JSON.parse(execFileSync(process.env.BUF ?? 'buf',
  ['build', '--exclude-imports', '-o', '-#format=json'], { cwd: root, maxBuffer: 64 << 20 }));

const bad = [];
const visit = (file, prefix, message) => {
  const name = `${prefix}.${message.name}`;
  for (const field of message.field ?? []) {
    if (keywords.has(field.name)) bad.push(`${file}: ${name}.${field.name}`);
  }
  for (const nested of message.nestedType ?? []) visit(file, name, nested);
};
for (const file of image.file) {
  for (const message of file.messageType ?? []) visit(file.name, file.package, message);
}
if (bad.length > 0) {
  console.error(`fields named after a language keyword (rename them to say what they hold):\n  ${
    bad.join('\n  ')}`);
  process.exit(1);
}
console.log(`no field of ${image.file.length} contract files is named after a keyword`);
