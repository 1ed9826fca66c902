#include "backend/source/file_hashes.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"

namespace mcpcap {
namespace {

struct Digest {
  std::optional<std::string>* out;
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md{nullptr, EVP_MD_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{nullptr, EVP_MD_CTX_free};
};

// A fixed ring of read buffers shared by every digest: the reader fills slot n % kSlots once
// every digest has finished with the chunk that was there before. Memory stays at
// kSlots * kChunkBytes whatever the file size, and no chunk is copied.
class ChunkRing {
 public:
  static constexpr size_t kSlots = 8;
  static constexpr size_t kChunkBytes = 1 << 20;

  explicit ChunkRing(size_t consumers) : consumers_(consumers) {
    for (Slot& s : slots_) s.data.reset(new uint8_t[kChunkBytes]);
  }

  // Reader: the buffer for chunk `seq`, once every consumer is done with its previous use.
  // Null when the ring was stopped.
  uint8_t* AcquireForWrite(uint64_t seq) {
    std::unique_lock<std::mutex> lock(mu_);
    Slot& s = slots_[seq % kSlots];
    cv_.wait(lock, [&] { return s.pending == 0 || stopped_; });
    return stopped_ ? nullptr : s.data.get();
  }
  void Publish(uint64_t seq, size_t size) {
    std::lock_guard<std::mutex> lock(mu_);
    Slot& s = slots_[seq % kSlots];
    s.size = size;
    s.pending = consumers_;
    published_ = seq + 1;
    cv_.notify_all();
  }
  // Ends the stream after the chunks published so far (`abandon`: drop them too).
  void Finish(bool abandon) {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = true;
    stopped_ = stopped_ || abandon;
    cv_.notify_all();
  }

  // Consumer: chunk `seq`, or false at the end of the stream.
  bool AcquireForRead(uint64_t seq, const uint8_t** data, size_t* size) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return published_ > seq || finished_ || stopped_; });
    if (stopped_ || published_ <= seq) return false;
    const Slot& s = slots_[seq % kSlots];
    *data = s.data.get();
    *size = s.size;
    return true;
  }
  void Release(uint64_t seq) {
    std::lock_guard<std::mutex> lock(mu_);
    if (--slots_[seq % kSlots].pending == 0) cv_.notify_all();
  }

 private:
  struct Slot {
    std::unique_ptr<uint8_t[]> data;
    size_t size = 0;
    size_t pending = 0;  // consumers still to read this chunk
  };
  const size_t consumers_;
  std::mutex mu_;
  std::condition_variable cv_;
  Slot slots_[kSlots];
  uint64_t published_ = 0;
  bool finished_ = false;
  bool stopped_ = false;
};

void RunDigest(ChunkRing& ring, Digest& d) {
  const uint8_t* data = nullptr;
  size_t size = 0;
  for (uint64_t seq = 0; ring.AcquireForRead(seq, &data, &size); ++seq) {
    EVP_DigestUpdate(d.ctx.get(), data, size);
    ring.Release(seq);
  }
}

absl::Status Cancelled() {
  return ReasonError(absl::StatusCode::kCancelled, v1::ERROR_REASON_CALL_CANCELLED,
                     "hashing was cancelled");
}

// Reads the whole file into the ring. OK, CANCELLED or DATA_LOSS.
absl::Status Feed(int fd, const std::string& path, ChunkRing& ring,
                  const std::function<bool()>& cancelled) {
  for (uint64_t seq = 0;; ++seq) {
    if (cancelled && cancelled()) return Cancelled();
    uint8_t* buffer = ring.AcquireForWrite(seq);
    if (buffer == nullptr) return Cancelled();
    ssize_t got;
    do {
      got = ::read(fd, buffer, ChunkRing::kChunkBytes);
    } while (got < 0 && errno == EINTR);
    if (got == 0) return absl::OkStatus();
    if (got < 0) {
      return ReasonError(absl::StatusCode::kDataLoss, v1::ERROR_REASON_CAPTURE_DAMAGED,
                         absl::StrCat("reading '", path, "' failed: ", std::strerror(errno)));
    }
    ring.Publish(seq, static_cast<size_t>(got));
  }
}

}  // namespace

absl::StatusOr<FileHashes> HashFile(const std::string& path, bool all,
                                    const std::function<bool()>& cancelled) {
  FileHashes hashes;
  std::vector<Digest> digests;
  auto add = [&](const char* name, std::optional<std::string>* out) -> absl::Status {
    Digest d{out};
    d.md.reset(EVP_MD_fetch(nullptr, name, nullptr));
    d.ctx.reset(EVP_MD_CTX_new());
    if (!d.md || !d.ctx || EVP_DigestInit_ex(d.ctx.get(), d.md.get(), nullptr) != 1) {
      return ReasonError(absl::StatusCode::kUnavailable, v1::ERROR_REASON_SERVER_ERROR,
                         absl::StrCat(name, " is not available"));
    }
    digests.push_back(std::move(d));
    return absl::OkStatus();
  };
  if (auto s = add("SHA256", &hashes.sha256); !s.ok()) return s;
  if (all) {
    // SHA-1 and RIPEMD-160 are extras: a library without them leaves them out.
    add("SHA1", &hashes.sha1).IgnoreError();
    add("RIPEMD160", &hashes.ripemd160).IgnoreError();
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return ReasonError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND,
                       absl::StrCat("cannot open '", path, "' to hash it"));
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

  ChunkRing ring(digests.size());
  std::vector<std::thread> workers;
  for (Digest& d : digests) workers.emplace_back([&ring, &d] { RunDigest(ring, d); });
  const absl::Status fed = Feed(fd, path, ring, cancelled);
  ring.Finish(/*abandon=*/!fed.ok());
  for (std::thread& t : workers) t.join();
  ::close(fd);
  if (!fed.ok()) return fed;

  for (Digest& d : digests) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(d.ctx.get(), out, &len);
    *d.out = absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), len));
  }
  return hashes;
}

}  // namespace mcpcap
