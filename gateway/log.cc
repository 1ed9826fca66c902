#include "gateway/log.h"

#include <cstdio>
#include <mutex>
#include <string>

namespace mcpcap::gateway {

void Log(absl::string_view text) {
  static std::mutex mu;
  std::string line = "mcpcap: ";
  line.append(text.data(), text.size());
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace mcpcap::gateway
