#include "backend/source/pcapng_reader.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/source/buffered_file.h"
#include "backend/source/capture_errors.h"
#include "backend/source/limits.h"

namespace mcpcap {
namespace {

constexpr uint32_t kSectionHeader = 0x0a0d0d0a;
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kObsoletePacket = 2;
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kInterfaceStatistics = 5;
constexpr uint32_t kEnhancedPacket = 6;
constexpr uint32_t kByteOrderMagic = 0x1a2b3c4d;
constexpr size_t kMinBlock = 12;          // type, length, trailing length
constexpr size_t kMinSectionHeader = 28;  // with byte-order magic, version, section length

// Option codes (pcapng spec section 3.5 and per block).
constexpr uint16_t kOptEnd = 0;
constexpr uint16_t kOptComment = 1;
constexpr uint16_t kShbHardware = 2, kShbOs = 3, kShbApplication = 4;
constexpr uint16_t kIfName = 2, kIfDescription = 3, kIfTsresol = 9, kIfFilter = 11, kIfOs = 12,
                   kIfTsoffset = 14;

uint64_t Pow10(int n) {
  uint64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

class PcapngReader final : public CaptureReader {
 public:
  explicit PcapngReader(std::unique_ptr<BufferedFile> file) : CaptureReader(std::move(file)) {}

  // The file must open with a valid section header; later damage only ends the reading.
  absl::Status ParseFirstSection(const std::string& display_name) {
    info_.format = CaptureFormat::kPcapng;
    std::string problem;
    if (!ReadSectionHeader(&problem)) {
      return CaptureError(
          absl::StatusCode::kDataLoss, v1::ERROR_REASON_CAPTURE_DAMAGED, display_name,
          absl::StrCat("capture '", display_name, "' is not a readable pcapng file: ", problem));
    }
    info_.big_endian = swapped_;
    return absl::OkStatus();
  }

  bool Next(PacketRecord* rec) override {
    if (stopped_) return false;
    for (;;) {
      if (!in_->Ensure(8)) {
        if (in_->available() == 0 && in_->read_error().empty()) return false;  // clean end
        return Stop("a block header", true, frames_);
      }
      // The section header's type reads the same in both byte orders; other blocks follow the
      // byte order of their section.
      if (LoadU32Le(in_->window().data()) == kSectionHeader) {
        std::string problem;
        if (!ReadSectionHeader(&problem)) return Stop(problem, problem.find("ends") == 0, frames_);
        continue;
      }
      const uint32_t type = U32(in_->window(), 0);
      const uint32_t length = U32(in_->window(), 4);
      if (length < kMinBlock || length % 4 != 0 || length > kMaxBlockBytes) {
        return Stop(absl::StrCat("a block of invalid length ", length), false, frames_);
      }
      if (!in_->Ensure(length)) return Stop("a block", true, frames_);
      const Bytes block = in_->window().subspan(0, length);
      if (U32(block, length - 4) != length) {
        return Stop("a block whose trailing length does not match", false, frames_);
      }
      const Bytes body = block.subspan(8, length - kMinBlock);
      bool emitted = false;
      switch (type) {
        case kInterfaceDescription:
          if (!ReadInterface(body)) return Stop("a bad interface description", false, frames_);
          break;
        case kEnhancedPacket:
          if (!ReadEnhancedPacket(body, rec))
            return Stop("a bad enhanced packet block", false, frames_);
          emitted = true;
          break;
        case kSimplePacket:
          if (!ReadSimplePacket(body, rec))
            return Stop("a bad simple packet block", false, frames_);
          emitted = true;
          break;
        case kObsoletePacket:
          if (!ReadObsoletePacket(body, rec)) return Stop("a bad packet block", false, frames_);
          emitted = true;
          break;
        case kInterfaceStatistics:
          if (body.size() >= 12 && !OptionsFit(body.subspan(12))) {
            return Stop("a bad interface statistics block", false, frames_);
          }
          if (body.size() >= 4 && U32(body, 0) < section_interfaces_) {
            ++info_.interfaces[section_base_ + U32(body, 0)].statistics_blocks;
          }
          break;
        default:  // name resolution, decryption secrets, custom blocks: not needed here
          break;
      }
      // The record's data stays in the buffer until the next Ensure().
      in_->Consume(length);
      if (emitted) return true;
    }
  }

 private:
  uint16_t U16(Bytes b, size_t off) const {
    return swapped_ ? LoadU16Be(b.data() + off) : LoadU16Le(b.data() + off);
  }
  uint32_t U32(Bytes b, size_t off) const {
    return swapped_ ? LoadU32Be(b.data() + off) : LoadU32Le(b.data() + off);
  }

  bool ReadSectionHeader(std::string* problem) {
    if (!in_->Ensure(kMinSectionHeader)) {
      *problem = "ends in the middle of a section header";
      return false;
    }
    Bytes head = in_->window();
    if (LoadU32Le(head.data()) != kSectionHeader) {
      *problem = "no section header block at the start";
      return false;
    }
    const uint32_t bom = LoadU32Le(head.data() + 8);
    if (bom == kByteOrderMagic) {
      swapped_ = false;
    } else if (__builtin_bswap32(bom) == kByteOrderMagic) {
      swapped_ = true;
    } else {
      *problem = "bad byte-order magic in a section header";
      return false;
    }
    const uint32_t length = U32(head, 4);
    const uint16_t major = U16(head, 12);
    const uint16_t minor = U16(head, 14);
    // Wireshark and libpcap read versions 1.0 and 1.2 (1.2 only marks newer block types) and
    // refuse any other, 1.1 included.
    if (major != 1 || (minor != 0 && minor != 2)) {
      *problem = absl::StrCat("unsupported pcapng version ", major, ".", minor);
      return false;
    }
    if (length < kMinSectionHeader || length % 4 != 0 || length > kMaxBlockBytes) {
      *problem = absl::StrCat("a section header of invalid length ", length);
      return false;
    }
    if (!in_->Ensure(length)) {
      *problem = "ends in the middle of a section header";
      return false;
    }
    const Bytes block = in_->window().subspan(0, length);
    const Bytes options = block.subspan(24, length - kMinSectionHeader);
    if (!OptionsFit(options)) {
      *problem = "a section header option that runs past the end of its block";
      return false;
    }
    SectionInfo section;
    ForEachOption(options, [&](uint16_t code, Bytes value) {
      switch (code) {
        case kShbHardware:
          section.hardware = Text(value);
          break;
        case kShbOs:
          section.os = Text(value);
          break;
        case kShbApplication:
          section.application = Text(value);
          break;
        case kOptComment:
          section.comments.push_back(Text(value));
          break;
      }
    });
    info_.sections.push_back(std::move(section));
    section_base_ = static_cast<uint32_t>(info_.interfaces.size());
    section_interfaces_ = 0;
    in_->Consume(length);
    return true;
  }

  bool ReadInterface(Bytes body) {
    if (body.size() < 8 || info_.interfaces.size() >= kMaxInterfaces) return false;
    if (!OptionsFit(body.subspan(8))) return false;
    InterfaceInfo iface;
    iface.link_type = U16(body, 0);
    iface.snaplen = U32(body, 4);
    int64_t offset_seconds = 0;
    ForEachOption(body.subspan(8), [&](uint16_t code, Bytes value) {
      switch (code) {
        case kIfName:
          iface.name = Text(value);
          break;
        case kIfDescription:
          iface.description = Text(value);
          break;
        case kIfOs:
          iface.os = Text(value);
          break;
        case kIfFilter:  // first byte says the filter kind; 0 = libpcap string
          if (!value.empty() && value[0] == 0) iface.filter = Text(value.subspan(1));
          break;
        case kIfTsresol:
          if (value.size() == 1) SetResolution(value[0], &iface);
          break;
        case kIfTsoffset:
          if (value.size() == 8) {
            const uint64_t hi = U32(value, swapped_ ? 0 : 4);
            const uint64_t lo = U32(value, swapped_ ? 4 : 0);
            offset_seconds = static_cast<int64_t>(hi << 32 | lo);
          }
          break;
      }
    });
    info_.interfaces.push_back(std::move(iface));
    offsets_.push_back(offset_seconds);
    ++section_interfaces_;
    return true;
  }

  static void SetResolution(uint8_t code, InterfaceInfo* iface) {
    iface->tsresol_code = code;
    const int exp = code & 0x7f;
    if (code & 0x80) {
      iface->ticks_per_second = exp < 64 ? (uint64_t{1} << exp) : 0;
    } else {
      iface->ticks_per_second = exp <= 19 ? Pow10(exp) : 0;
    }
    // Beyond 64 bits Wireshark takes the largest count it can hold; so do we, so that
    // times and precision agree with it.
    if (iface->ticks_per_second == 0) iface->ticks_per_second = UINT64_MAX;
  }

  // Fills the time of `rec` from a pcapng timestamp in the interface's units. The 64 bits are
  // read as two's complement: writers that subtract if_tsoffset store a time before the offset
  // as a negative count, and no real capture needs the top bit (2^63 microseconds is the year
  // 292,000). Seconds round towards minus infinity so the nanoseconds stay in [0, 1e9); the sum
  // with the offset saturates instead of wrapping.
  void SetTime(uint32_t index, uint64_t raw_ticks, PacketRecord* rec) const {
    const __int128 tps = info_.interfaces[index].ticks_per_second;
    const __int128 ticks = static_cast<int64_t>(raw_ticks);
    __int128 sec = ticks / tps;
    __int128 frac = ticks % tps;
    if (frac < 0) {
      frac += tps;
      --sec;
    }
    sec += offsets_[index];
    constexpr __int128 kMin = std::numeric_limits<int64_t>::min();
    constexpr __int128 kMax = std::numeric_limits<int64_t>::max();
    rec->ts_sec = static_cast<int64_t>(sec < kMin ? kMin : sec > kMax ? kMax : sec);
    rec->ts_nsec = static_cast<uint32_t>(frac * 1000000000 / tps);
    rec->has_time = true;
  }

  bool ReadEnhancedPacket(Bytes body, PacketRecord* rec) {
    if (body.size() < 20) return false;
    const uint32_t id = U32(body, 0);
    const uint32_t caplen = U32(body, 12);
    if (id >= section_interfaces_ || caplen > body.size() - 20) return false;
    if (!OptionsFit(body.subspan(std::min(body.size(), 20 + RoundUp4(caplen))))) return false;
    const uint32_t index = section_base_ + id;
    SetTime(index, uint64_t{U32(body, 4)} << 32 | U32(body, 8), rec);
    return Emit(index, caplen, U32(body, 16), body.subspan(20, caplen), rec);
  }

  bool ReadSimplePacket(Bytes body, PacketRecord* rec) {
    if (body.size() < 4 || section_interfaces_ == 0) return false;
    const uint32_t origlen = U32(body, 0);
    const uint32_t index = section_base_;
    uint32_t caplen = static_cast<uint32_t>(std::min<size_t>(origlen, body.size() - 4));
    const uint32_t snaplen = info_.interfaces[index].snaplen;
    if (snaplen != 0 && caplen > snaplen) caplen = snaplen;
    rec->ts_sec = 0;  // simple packets carry no time
    rec->ts_nsec = 0;
    rec->has_time = false;
    return Emit(index, caplen, origlen, body.subspan(4, caplen), rec);
  }

  bool ReadObsoletePacket(Bytes body, PacketRecord* rec) {
    if (body.size() < 20) return false;
    const uint16_t id = U16(body, 0);
    const uint32_t caplen = U32(body, 12);
    if (id >= section_interfaces_ || caplen > body.size() - 20) return false;
    const uint32_t index = section_base_ + id;
    SetTime(index, uint64_t{U32(body, 4)} << 32 | U32(body, 8), rec);
    return Emit(index, caplen, U32(body, 16), body.subspan(20, caplen), rec);
  }

  bool Emit(uint32_t index, uint32_t caplen, uint32_t origlen, Bytes data, PacketRecord* rec) {
    InterfaceInfo& iface = info_.interfaces[index];
    rec->frame_number = ++frames_;
    rec->caplen = caplen;
    rec->origlen = origlen;
    rec->interface_id = index;
    rec->link_type = iface.link_type;
    rec->data = data;
    ++iface.packet_count;
    return true;
  }

  static size_t RoundUp4(size_t n) { return (n + 3) & ~size_t{3}; }

  // True when every option up to opt_endofopt (or the end) lies inside `options`, padding
  // included. Wireshark refuses a file whose options run past their block, so we do too.
  bool OptionsFit(Bytes options) const {
    size_t off = 0;
    while (off < options.size()) {
      if (options.size() - off < 4) return false;  // a partial option header
      const uint16_t code = U16(options, off);
      const size_t padded = RoundUp4(U16(options, off + 2));
      off += 4;
      if (padded > options.size() - off) return false;
      if (code == kOptEnd) return true;
      off += padded;
    }
    return true;
  }

  template <typename Fn>
  void ForEachOption(Bytes options, Fn fn) const {
    size_t off = 0;
    while (options.size() - off >= 4) {
      const uint16_t code = U16(options, off);
      const uint16_t vlen = U16(options, off + 2);
      off += 4;
      if (code == kOptEnd || vlen > options.size() - off) return;
      fn(code, options.subspan(off, vlen));
      off += (size_t{vlen} + 3) & ~size_t{3};
      if (off > options.size()) return;
    }
  }

  static std::string Text(Bytes value) {
    size_t n = std::min(value.size(), kMaxOptionString);
    while (n > 0 && value[n - 1] == 0) --n;  // some writers include the terminating NUL
    return std::string(value.begin(), value.begin() + n);
  }

  uint64_t frames_ = 0;
  bool swapped_ = false;
  uint32_t section_base_ = 0;        // global index of the current section's interface 0
  uint32_t section_interfaces_ = 0;  // interfaces defined so far in the current section
  std::vector<int64_t> offsets_;     // if_tsoffset per interface
};

}  // namespace

bool IsPcapngMagic(Bytes head) {
  return head.size() >= 4 && LoadU32Le(head.data()) == kSectionHeader;
}

absl::StatusOr<std::unique_ptr<CaptureReader>> OpenPcapng(std::unique_ptr<BufferedFile> file,
                                                          const std::string& display_name) {
  auto reader = std::make_unique<PcapngReader>(std::move(file));
  RETURN_IF_ERROR(reader->ParseFirstSection(display_name));
  return reader;
}

}  // namespace mcpcap
