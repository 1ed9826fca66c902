// Digests of a whole capture file (capinfos reports SHA-256, RIPEMD-160 and SHA-1).
#ifndef MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_
#define MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace mcpcap {

struct FileHashes {
  std::string sha256;
  std::string sha1;
  std::string ripemd160;
};

// Reads `path` once; `all` adds SHA-1 and RIPEMD-160 to SHA-256. Lower-case hex. `cancelled`
// (may be empty) is polled between 1 MiB reads; true stops with CANCELLED.
absl::StatusOr<FileHashes> HashFile(const std::string& path, bool all,
                                    const std::function<bool()>& cancelled = {});

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_FILE_HASHES_H_
