# cmake -DIN=file -DOUT=file.cc -P EmbedBytes.cmake: writes DescriptorSetBytes() returning IN.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT}
  "// Generated from ${IN}; do not edit.\n"
  "#include \"mcpcap/proto/descriptor_set.h\"\n"
  "namespace mcpcap::proto {\n"
  "namespace { const unsigned char kBytes[] = {${bytes}}; }\n"
  "std::string_view DescriptorSetBytes() {\n"
  "  return {reinterpret_cast<const char*>(kBytes), ${size}};\n"
  "}\n"
  "}  // namespace mcpcap::proto\n")
