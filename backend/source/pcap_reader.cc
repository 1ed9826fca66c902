#include "backend/source/pcap_reader.h"

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/source/buffered_file.h"
#include "backend/source/capture_errors.h"
#include "backend/source/limits.h"

namespace mcpcap {
namespace {

constexpr uint32_t kMagicMicro = 0xa1b2c3d4;
constexpr uint32_t kMagicNano = 0xa1b23c4d;
constexpr size_t kFileHeaderSize = 24;
constexpr size_t kRecordHeaderSize = 16;

uint32_t SwapU32(uint32_t v) { return __builtin_bswap32(v); }

class PcapReader final : public CaptureReader {
 public:
  explicit PcapReader(std::unique_ptr<BufferedFile> file) : CaptureReader(std::move(file)) {}

  absl::Status ParseHeader(const std::string& display_name) {
    if (!in_->Ensure(kFileHeaderSize)) {
      return CaptureError(
          absl::StatusCode::kDataLoss, v1::ERROR_REASON_CAPTURE_DAMAGED, display_name,
          absl::StrCat("capture '", display_name, "' is cut short: ", in_->available(),
                       " bytes, less than a pcap file header"));
    }
    const uint8_t* h = in_->window().data();
    const uint32_t magic_le = LoadU32Le(h);
    swapped_ = !(magic_le == kMagicMicro || magic_le == kMagicNano);
    nano_ = (swapped_ ? SwapU32(magic_le) : magic_le) == kMagicNano;
    const uint16_t major = Load16(h + 4);
    const uint16_t minor = Load16(h + 6);
    if (major != 2) {
      return NotACaptureFile(display_name, absl::StrCat("capture '", display_name,
                                                        "' is a pcap file of unsupported version ",
                                                        major, ".", minor, " (only 2.x exists)"));
    }
    // The top bits of the link-type word carry FCS flags; the type is the low 16 bits.
    link_type_ = static_cast<uint16_t>(Load(h + 20) & 0xffff);
    info_.format = nano_ ? CaptureFormat::kPcapNsec : CaptureFormat::kPcap;
    info_.big_endian = swapped_;
    InterfaceInfo iface;
    iface.link_type = link_type_;
    iface.snaplen = Load(h + 16);
    iface.ticks_per_second = nano_ ? 1000000000 : 1000000;
    iface.tsresol_code = nano_ ? 9 : 6;
    info_.interfaces.push_back(iface);
    info_.sections.emplace_back();
    in_->Consume(kFileHeaderSize);
    return absl::OkStatus();
  }

  bool Next(PacketRecord* rec) override {
    if (stopped_) return false;
    if (!in_->Ensure(kRecordHeaderSize)) {
      if (in_->available() == 0 && in_->read_error().empty()) return false;  // clean end
      return Stop("a record header", true, frames_);
    }
    const uint8_t* h = in_->window().data();
    const uint32_t ts_sec = Load(h);
    const uint32_t ts_frac = Load(h + 4);
    const uint32_t caplen = Load(h + 8);
    const uint32_t origlen = Load(h + 12);
    if (caplen > kMaxRecordBytes) {
      return Stop(absl::StrCat("a record claiming ", caplen, " captured bytes (limit ",
                               kMaxRecordBytes, "): the file is corrupt"),
                  false, frames_);
    }
    if (!in_->Ensure(kRecordHeaderSize + caplen)) return Stop("a record's data", true, frames_);
    rec->frame_number = ++frames_;
    rec->ts_sec = ts_sec;
    // Fractions past one second are kept as the file says (Wireshark does the same).
    rec->ts_nsec = nano_ ? ts_frac : ts_frac * 1000u;
    rec->caplen = caplen;
    rec->origlen = origlen;
    rec->interface_id = 0;
    rec->link_type = link_type_;
    rec->data = in_->window().subspan(kRecordHeaderSize, caplen);
    in_->Consume(kRecordHeaderSize + caplen);
    ++info_.interfaces[0].packet_count;
    return true;
  }

 private:
  uint32_t Load(const uint8_t* p) const { return swapped_ ? LoadU32Be(p) : LoadU32Le(p); }
  uint16_t Load16(const uint8_t* p) const { return swapped_ ? LoadU16Be(p) : LoadU16Le(p); }

  uint64_t frames_ = 0;
  bool swapped_ = false;  // the file is big-endian (we load little-endian by default)
  bool nano_ = false;
  uint16_t link_type_ = 0;
};

}  // namespace

bool IsPcapMagic(Bytes head) {
  if (head.size() < 4) return false;
  const uint32_t m = LoadU32Le(head.data());
  return m == kMagicMicro || m == kMagicNano || SwapU32(m) == kMagicMicro ||
         SwapU32(m) == kMagicNano;
}

absl::StatusOr<std::unique_ptr<CaptureReader>> OpenPcap(std::unique_ptr<BufferedFile> file,
                                                        const std::string& display_name) {
  auto reader = std::make_unique<PcapReader>(std::move(file));
  RETURN_IF_ERROR(reader->ParseHeader(display_name));
  return reader;
}

}  // namespace mcpcap
