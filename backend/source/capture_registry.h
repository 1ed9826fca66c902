// Captures held as resources ("captures/{id}"): each checked once to be a capture, named by the
// SHA-256 of its bytes and kept open until it expires, so that analyses can name exactly the
// bytes that were checked. Bounded in count and lifetime; an analysis in flight keeps its file
// until it ends, even past a Delete or the expiry.
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_REGISTRY_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_REGISTRY_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "backend/source/held_file.h"
#include "mcpcap/v1/captures.pb.h"

namespace mcpcap {

inline constexpr char kCaptureNamePrefix[] = "captures/";

struct CaptureRegistryLimits {
  uint32_t max_count = 64;                              // --max-captures
  std::chrono::seconds ttl = std::chrono::minutes(15);  // --capture-ttl-seconds
};

// A held capture's file, for an analysis.
struct HeldCapture {
  v1::Capture capture;
  std::shared_ptr<const HeldFile> file;
};

class CaptureRegistry {
 public:
  explicit CaptureRegistry(CaptureRegistryLimits limits) : limits_(limits) {}

  // Checks that `file` holds a pcap or pcapng file (gzip-compressed or not), hashes it and holds
  // it as coming from `source`. The same bytes again return the held capture, its expiry
  // extended. INVALID_ARGUMENT (NOT_A_CAPTURE_FILE) or DATA_LOSS for other content, naming
  // `source`; RESOURCE_EXHAUSTED (CAPTURE_STORE_FULL) at max_count; CANCELLED when `cancelled`.
  absl::StatusOr<v1::Capture> Register(std::shared_ptr<const HeldFile> file,
                                       const std::string& source,
                                       const std::function<bool()>& cancelled);
  // NOT_FOUND (CAPTURE_RESOURCE_NOT_FOUND) when unknown or expired, INVALID_ARGUMENT on the
  // request field `field` for a malformed name; FAILED_PRECONDITION (CAPTURE_CHANGED) when the
  // file's size changed.
  absl::StatusOr<HeldCapture> Find(const std::string& name, absl::string_view field);
  absl::Status Delete(const std::string& name, absl::string_view field);
  size_t held();

 private:
  struct Entry {
    HeldCapture held;
    std::chrono::steady_clock::time_point expires;
  };
  void DropExpiredLocked();
  v1::Capture Expiring(Entry& entry);  // extends the entry's life; returns its metadata

  const CaptureRegistryLimits limits_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // by id
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_REGISTRY_H_
