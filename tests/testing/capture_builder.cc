#include "tests/testing/capture_builder.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace mcpcap::testing {

std::string BuildPcap(const std::vector<TestPacket>& packets, uint32_t link_type, bool nanosecond,
                      bool big_endian, uint32_t snaplen, uint16_t major) {
  ByteWriter w(big_endian);
  w.U32(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
  w.U16(major);
  w.U16(4);
  w.U32(0);  // thiszone
  w.U32(0);  // sigfigs
  w.U32(snaplen);
  w.U32(link_type);
  for (const TestPacket& p : packets) {
    w.U32(static_cast<uint32_t>(p.ts_sec));
    w.U32(p.ts_frac);
    w.U32(static_cast<uint32_t>(p.data.size()));
    w.U32(p.origlen ? p.origlen : static_cast<uint32_t>(p.data.size()));
    w.Raw(p.data);
  }
  return w.bytes();
}

void PcapngBuilder::Option(ByteWriter& w, uint16_t code, const std::string& value) {
  if (value.empty()) return;
  w.U16(code);
  w.U16(static_cast<uint16_t>(value.size()));
  w.Raw(value);
  w.Pad4();
}

void PcapngBuilder::Block(uint32_t type, const std::string& body) {
  ByteWriter w(big_endian_);
  const uint32_t length = static_cast<uint32_t>(12 + body.size());
  w.U32(type);
  w.U32(length);
  w.Raw(body);
  w.U32(length);
  out_ += w.bytes();
}

PcapngBuilder& PcapngBuilder::Section(const std::string& hardware, const std::string& os,
                                      const std::string& application, const std::string& comment) {
  ByteWriter w(big_endian_);
  w.U32(0x1a2b3c4d);
  w.U16(1);
  w.U16(0);
  w.U64(~uint64_t{0});  // section length not given
  Option(w, 1, comment);
  Option(w, 2, hardware);
  Option(w, 3, os);
  Option(w, 4, application);
  if (w.bytes().size() > 16) w.U32(0);  // opt_endofopt
  Block(0x0a0d0d0a, w.bytes());
  return *this;
}

PcapngBuilder& PcapngBuilder::Interface(uint16_t link_type, uint32_t snaplen, uint8_t tsresol,
                                        const std::string& name, const std::string& filter) {
  ByteWriter w(big_endian_);
  w.U16(link_type);
  w.U16(0);
  w.U32(snaplen);
  Option(w, 2, name);
  if (tsresol != 0xff) Option(w, 9, std::string(1, static_cast<char>(tsresol)));
  if (!filter.empty()) Option(w, 11, std::string(1, '\0') + filter);
  if (w.bytes().size() > 8) w.U32(0);
  Block(1, w.bytes());
  return *this;
}

PcapngBuilder& PcapngBuilder::Packet(uint32_t interface_id, uint64_t ts, const std::string& data,
                                     uint32_t origlen) {
  ByteWriter w(big_endian_);
  w.U32(interface_id);
  w.U32(static_cast<uint32_t>(ts >> 32));
  w.U32(static_cast<uint32_t>(ts));
  w.U32(static_cast<uint32_t>(data.size()));
  w.U32(origlen ? origlen : static_cast<uint32_t>(data.size()));
  w.Raw(data);
  w.Pad4();
  Block(6, w.bytes());
  return *this;
}

PcapngBuilder& PcapngBuilder::SimplePacket(const std::string& data, uint32_t origlen) {
  ByteWriter w(big_endian_);
  w.U32(origlen ? origlen : static_cast<uint32_t>(data.size()));
  w.Raw(data);
  w.Pad4();
  Block(3, w.bytes());
  return *this;
}

PcapngBuilder& PcapngBuilder::Statistics(uint32_t interface_id) {
  ByteWriter w(big_endian_);
  w.U32(interface_id);
  w.U32(0);
  w.U32(0);
  Block(5, w.bytes());
  return *this;
}

PcapngBuilder& PcapngBuilder::UnknownBlock(uint32_t type, const std::string& body) {
  Block(type, body);
  return *this;
}

std::string Frame(size_t size, uint8_t fill) { return std::string(size, static_cast<char>(fill)); }

std::string WriteTempFile(const std::string& name, const std::string& bytes) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = tmp ? tmp : "/tmp";
  std::string path = dir + "/mcpcap_test_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace mcpcap::testing
