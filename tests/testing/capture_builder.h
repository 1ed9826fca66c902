// Builds capture files byte by byte for tests: classic pcap in either byte order and either
// time resolution, and pcapng with several sections and interfaces.
#ifndef MCPCAP_TESTS_TESTING_CAPTURE_BUILDER_H_
#define MCPCAP_TESTS_TESTING_CAPTURE_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mcpcap::testing {

// Appends integers in a chosen byte order.
class ByteWriter {
 public:
  explicit ByteWriter(bool big_endian) : big_endian_(big_endian) {}
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Put(v, 2); }
  void U32(uint32_t v) { Put(v, 4); }
  void U64(uint64_t v) { Put(v, 8); }
  void Raw(const std::string& bytes) { out_ += bytes; }
  void Pad4() {
    while (out_.size() % 4 != 0) out_.push_back('\0');
  }
  std::string& bytes() { return out_; }

 private:
  void Put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) {
      int shift = big_endian_ ? (n - 1 - i) * 8 : i * 8;
      out_.push_back(static_cast<char>((v >> shift) & 0xff));
    }
  }
  bool big_endian_;
  std::string out_;
};

struct TestPacket {
  uint64_t ts_sec = 0;
  uint32_t ts_frac = 0;  // in the file's units
  std::string data;
  uint32_t origlen = 0;  // 0 = data.size()
  uint32_t interface_id = 0;
};

// A classic pcap file.
std::string BuildPcap(const std::vector<TestPacket>& packets, uint32_t link_type = 1,
                      bool nanosecond = false, bool big_endian = false, uint32_t snaplen = 65535,
                      uint16_t major = 2);

// pcapng pieces, appended in order to build any file layout.
class PcapngBuilder {
 public:
  explicit PcapngBuilder(bool big_endian = false) : big_endian_(big_endian) {}
  PcapngBuilder& Section(const std::string& hardware = "", const std::string& os = "",
                         const std::string& application = "", const std::string& comment = "");
  // tsresol: pcapng if_tsresol byte (6 = microseconds, 9 = nanoseconds); 0xff = no option.
  PcapngBuilder& Interface(uint16_t link_type, uint32_t snaplen = 262144, uint8_t tsresol = 0xff,
                           const std::string& name = "", const std::string& filter = "");
  // ts is in interface ticks.
  PcapngBuilder& Packet(uint32_t interface_id, uint64_t ts, const std::string& data,
                        uint32_t origlen = 0);
  PcapngBuilder& SimplePacket(const std::string& data, uint32_t origlen = 0);
  PcapngBuilder& Statistics(uint32_t interface_id);
  PcapngBuilder& UnknownBlock(uint32_t type, const std::string& body);
  const std::string& bytes() const { return out_; }

 private:
  void Block(uint32_t type, const std::string& body);
  static void Option(ByteWriter& w, uint16_t code, const std::string& value);
  bool big_endian_;
  std::string out_;
};

// A frame of `size` bytes (Ethernet/IPv4/UDP-looking header, then filler).
std::string Frame(size_t size, uint8_t fill = 0xab);

// Writes bytes to a new file under the test's temp dir and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& bytes);

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_CAPTURE_BUILDER_H_
