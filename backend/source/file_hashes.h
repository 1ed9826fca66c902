// Digests of a whole capture file (capinfos reports SHA-256, RIPEMD-160 and SHA-1).
#ifndef MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_
#define MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace mcpcap {

// Lower-case hex digests; a digest not asked for (or not offered by the crypto library) is
// absent.
struct FileHashes {
  std::optional<std::string> sha256;
  std::optional<std::string> sha1;
  std::optional<std::string> ripemd160;
};

// Reads `path` once; `all` adds SHA-1 and RIPEMD-160 to SHA-256. The file is read on the
// calling thread into a small ring of buffers and every digest runs on its own thread over the
// same buffers, so the slowest digest alone sets the pace. `cancelled` (may be empty) is polled
// between reads; true stops every digest and returns CANCELLED.
absl::StatusOr<FileHashes> HashFile(const std::string& path, bool all,
                                    const std::function<bool()>& cancelled = {});

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_
