// What makes two reads of a capture the same bytes, for the result cache: the content's name
// for a held capture, the SHA-256 of a download, and for a local file its device, inode, size
// and modification and change times (a rewrite changes at least one of them).
#ifndef MCPCAP_BACKEND_SOURCE_CAPTURE_IDENTITY_H_
#define MCPCAP_BACKEND_SOURCE_CAPTURE_IDENTITY_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "backend/source/capture_location.h"

namespace mcpcap {

// The identity of the bytes `location` reads now; `cancelled` is polled while a download is
// hashed. An error means "unknown": the caller computes without the cache.
absl::StatusOr<std::string> CaptureIdentity(const CaptureLocation& location,
                                            const std::function<bool()>& cancelled);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_CAPTURE_IDENTITY_H_
