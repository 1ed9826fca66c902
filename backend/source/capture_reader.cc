#include "backend/source/capture_reader.h"

#include "absl/strings/str_cat.h"
#include "backend/base/status_macros.h"
#include "backend/source/buffered_file.h"
#include "backend/source/capture_errors.h"
#include "backend/source/pcap_reader.h"
#include "backend/source/pcapng_reader.h"

namespace mcpcap {
namespace {

// Names what a non-capture file looks like, so the error helps the caller.
std::string DescribeContent(Bytes head) {
  if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b) return "gzip-compressed data";
  if (head.size() >= 4 && head[0] == 'P' && head[1] == 'K') return "a zip archive";
  if (head.size() >= 1 && (head[0] == '{' || head[0] == '[')) return "JSON or text";
  if (head.size() >= 1 && head[0] == '<') return "HTML or XML";
  size_t printable = 0;
  for (uint8_t c : head)
    printable += (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
  if (!head.empty() && printable == head.size()) return "text";
  return "unrecognised data";
}

}  // namespace

v1::CaptureFormat ToProtoFormat(CaptureFormat format) {
  switch (format) {
    case CaptureFormat::kPcap:
      return v1::CAPTURE_FORMAT_PCAP;
    case CaptureFormat::kPcapNsec:
      return v1::CAPTURE_FORMAT_PCAP_NSEC;
    case CaptureFormat::kPcapng:
      return v1::CAPTURE_FORMAT_PCAPNG;
  }
  return v1::CAPTURE_FORMAT_UNSPECIFIED;
}

CaptureReader::CaptureReader(std::unique_ptr<BufferedFile> file) : in_(std::move(file)) {
  info_.file_size = in_->size();
}

CaptureReader::~CaptureReader() = default;

uint64_t CaptureReader::bytes_consumed() const { return in_->disk_offset(); }

bool CaptureReader::Stop(const std::string& what, bool cut, uint64_t frames) {
  info_.cut_short = info_.cut_short || cut;
  const uint64_t left = in_->size() > in_->offset() ? in_->size() - in_->offset() : 0;
  if (!in_->read_error().empty()) {
    info_.warnings.push_back(
        absl::StrCat("reading failed after frame ", frames, ": ", in_->read_error()));
  } else if (cut && in_->compressed()) {  // offsets count decompressed bytes: no "left" figure
    info_.warnings.push_back(absl::StrCat("the decompressed data ends in the middle of ", what,
                                          " after frame ", frames));
  } else if (cut) {
    info_.warnings.push_back(absl::StrCat("the file ends in the middle of ", what, " after frame ",
                                          frames, " (", left, " bytes left unread)"));
  } else {
    info_.warnings.push_back(absl::StrCat("reading stopped after frame ", frames, " at ", what,
                                          " (offset ", in_->offset(), ")"));
  }
  in_->Consume(in_->available());
  stopped_ = true;
  return false;
}

absl::StatusOr<std::unique_ptr<CaptureReader>> CaptureReader::Open(
    const std::string& path, const std::string& display_name, uint64_t max_decompressed_bytes) {
  ASSIGN_OR_RETURN(std::unique_ptr<BufferedFile> file,
                   BufferedFile::Open(path, display_name, max_decompressed_bytes));
  file->Ensure(64);  // small files have less; the sniffing below copes
  Bytes head = file->window().subspan(0, 64);
  if (file->compressed() && head.size() < 64 && !file->read_error().empty()) {
    return CaptureError(
        absl::StatusCode::kDataLoss, v1::ERROR_REASON_CAPTURE_DAMAGED, display_name,
        absl::StrCat("capture '", display_name,
                     "' is gzip-compressed but cannot be decompressed: ", file->read_error()));
  }
  if (IsPcapngMagic(head)) return OpenPcapng(std::move(file), display_name);
  if (IsPcapMagic(head)) return OpenPcap(std::move(file), display_name);
  return NotACaptureFile(
      display_name,
      absl::StrCat("capture '", display_name, "' is not a pcap or pcapng file (it starts with ",
                   file->compressed() ? "gzip-compressed " : "", DescribeContent(head), ")"));
}

}  // namespace mcpcap
