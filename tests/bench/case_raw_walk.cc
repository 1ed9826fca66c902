// The floor for any reader: hop 16-byte classic pcap record headers (either byte order; no
// pcapng), over large sequential read()s into one buffer or over a read-only mapping. Records
// are touched like the other cases do.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "tests/bench/cases.h"

namespace mcpcap::bench {
namespace {

constexpr size_t kBufferSize = 8 << 20;

uint32_t Load32(const uint8_t* p, bool swap) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return swap ? __builtin_bswap32(v) : v;
}

// Byte order from the file header's magic; false if this is not classic pcap.
bool PcapByteOrder(const uint8_t* header, bool* swap) {
  const uint32_t magic = Load32(header, false);
  if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
    *swap = false;
  } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
    *swap = true;
  } else {
    return false;
  }
  return true;
}

}  // namespace

CaseResult RunRawWalk(const std::string& path) {
  CaseResult r;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.error = "cannot open " + path;
    return r;
  }
  std::vector<uint8_t> buf(kBufferSize);
  size_t have = 0;  // valid bytes in buf
  size_t pos = 0;   // next unread byte
  bool header_done = false;
  bool swap = false;
  for (;;) {
    // Keep the unread tail, refill behind it.
    std::memmove(buf.data(), buf.data() + pos, have - pos);
    have -= pos;
    pos = 0;
    const ssize_t n = read(fd, buf.data() + have, buf.size() - have);
    if (n < 0) {
      r.error = "read error";
      break;
    }
    if (n == 0) break;
    have += static_cast<size_t>(n);
    if (!header_done) {
      if (have < 24) continue;
      if (!PcapByteOrder(buf.data(), &swap)) {
        r.error = "not a classic pcap file";
        break;
      }
      pos = 24;
      header_done = true;
    }
    while (have - pos >= 16) {
      const uint32_t caplen = Load32(buf.data() + pos + 8, swap);
      if (caplen > kBufferSize / 2) {
        r.error = "corrupt record length";
        close(fd);
        return r;
      }
      if (have - pos - 16 < caplen) break;  // record continues in the next read
      ++r.packets;
      r.checksum += caplen + (caplen ? buf[pos + 16] : 0);
      pos += 16 + caplen;
    }
  }
  close(fd);
  return r;
}

CaseResult RunRawWalkMmap(const std::string& path) {
  CaseResult r;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 24) {
    if (fd >= 0) close(fd);
    r.error = "cannot open " + path;
    return r;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    r.error = "mmap failed";
    return r;
  }
  madvise(map, size, MADV_SEQUENTIAL);
  const uint8_t* p = static_cast<const uint8_t*>(map);
  bool swap = false;
  if (!PcapByteOrder(p, &swap)) {
    r.error = "not a classic pcap file";
  } else {
    size_t pos = 24;
    while (size - pos >= 16) {
      const uint32_t caplen = Load32(p + pos + 8, swap);
      if (size - pos - 16 < caplen) break;
      ++r.packets;
      r.checksum += caplen + (caplen ? p[pos + 16] : 0);
      pos += 16 + caplen;
    }
  }
  munmap(map, size);
  return r;
}

}  // namespace mcpcap::bench
