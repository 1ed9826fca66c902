#include "backend/source/file_hashes.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mcpcap {
namespace {

struct Digest {
  std::string* out;
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md{nullptr, EVP_MD_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{nullptr, EVP_MD_CTX_free};
};

}  // namespace

absl::StatusOr<FileHashes> HashFile(const std::string& path, bool all,
                                    const std::function<bool()>& cancelled) {
  FileHashes hashes;
  std::vector<Digest> digests;
  auto add = [&](const char* name, std::string* out) -> absl::Status {
    Digest d{out};
    d.md.reset(EVP_MD_fetch(nullptr, name, nullptr));
    d.ctx.reset(EVP_MD_CTX_new());
    if (!d.md || !d.ctx || EVP_DigestInit_ex(d.ctx.get(), d.md.get(), nullptr) != 1) {
      return absl::UnavailableError(absl::StrCat(name, " is not available"));
    }
    digests.push_back(std::move(d));
    return absl::OkStatus();
  };
  if (auto s = add("SHA256", &hashes.sha256); !s.ok()) return s;
  if (all) {
    // SHA-1 and RIPEMD-160 are extras: a library without them leaves them empty.
    add("SHA1", &hashes.sha1).IgnoreError();
    add("RIPEMD160", &hashes.ripemd160).IgnoreError();
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(absl::StrCat("cannot open '", path, "' to hash it"));
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[1 << 20]);
  for (;;) {
    if (cancelled && cancelled()) {
      ::close(fd);
      return absl::CancelledError("hashing was cancelled");
    }
    const ssize_t got = ::read(fd, buffer.get(), 1 << 20);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return absl::DataLossError(absl::StrCat("reading '", path, "' failed: ", std::strerror(err)));
    }
    for (Digest& d : digests) EVP_DigestUpdate(d.ctx.get(), buffer.get(), static_cast<size_t>(got));
  }
  ::close(fd);
  for (Digest& d : digests) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(d.ctx.get(), out, &len);
    *d.out = absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), len));
  }
  return hashes;
}

}  // namespace mcpcap
