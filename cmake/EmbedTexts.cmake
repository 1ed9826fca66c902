# cmake -DDIR=texts -DOUT=file.cc -P EmbedTexts.cmake: writes PromptText() and PromptTextNames()
# (backend/prompts/prompt_texts.h) holding every DIR/*.md, each without its final newline.
file(GLOB texts ${DIR}/*.md)
list(SORT texts)
set(arrays "")
set(entries "")
set(i 0)
foreach(text ${texts})
  get_filename_component(name ${text} NAME_WE)
  file(READ ${text} hex HEX)
  string(REGEX REPLACE "0a$" "" hex "${hex}")
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND arrays "const unsigned char k${i}[] = {${bytes}0};\n")
  string(APPEND entries "    {\"${name}\", {reinterpret_cast<const char*>(k${i}), ${size}}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}
  "// Generated from backend/prompts/texts/*.md by cmake/EmbedTexts.cmake; do not edit.\n"
  "#include \"backend/prompts/prompt_texts.h\"\n"
  "#include <utility>\n"
  "namespace mcpcap {\n"
  "namespace {\n"
  "${arrays}"
  "const std::pair<absl::string_view, absl::string_view> kTexts[] = {\n"
  "${entries}"
  "};\n"
  "}  // namespace\n"
  "absl::string_view PromptText(absl::string_view name) {\n"
  "  for (const auto& [key, text] : kTexts) {\n"
  "    if (key == name) return text;\n"
  "  }\n"
  "  return {};\n"
  "}\n"
  "std::vector<absl::string_view> PromptTextNames() {\n"
  "  std::vector<absl::string_view> names;\n"
  "  for (const auto& entry : kTexts) names.push_back(entry.first);\n"
  "  return names;\n"
  "}\n"
  "}  // namespace mcpcap\n")
