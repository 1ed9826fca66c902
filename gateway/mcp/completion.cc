#include "gateway/mcp/completion.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace mcpcap::gateway {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDepth = 4;
constexpr size_t kMaxVisited = 20000;
constexpr size_t kMaxValues = 100;  // the spec's cap per response

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsCaptureName(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  if (EndsWith(name, ".gz")) name.resize(name.size() - 3);
  return EndsWith(name, ".pcap") || EndsWith(name, ".pcapng") || EndsWith(name, ".cap");
}

}  // namespace

std::vector<std::string> CaptureFileCandidates(const std::string& base, const std::string& prefix,
                                               const std::vector<std::string>& roots) {
  const bool absolute = !prefix.empty() && prefix[0] == '/';
  std::error_code ec;
  const fs::path abs_base = fs::absolute(base, ec).lexically_normal();
  std::vector<fs::path> real_roots;
  for (const std::string& r : roots) {
    fs::path real = fs::canonical(r, ec);
    if (!ec) real_roots.push_back(std::move(real));
  }
  // What a tool call would accept: with roots, a file whose real path is inside one of them.
  auto allowed = [&](const fs::path& p, bool or_equal) {
    if (roots.empty()) return true;
    std::error_code real_ec;
    const fs::path real = fs::canonical(p, real_ec);
    if (real_ec) return false;
    for (const fs::path& root : real_roots) {
      auto [r, c] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
      if (r == root.end() && (or_equal || c != real.end())) return true;
    }
    return false;
  };
  // Walk from the deepest directory the prefix names, so "/data/caps/x" does not walk "/"; one
  // outside the roots is never walked: the roots are, and only matching names are kept.
  fs::path start = absolute ? fs::path("/") : abs_base;
  const size_t slash = prefix.rfind('/');
  if (slash != std::string::npos) {
    fs::path dir =
        (absolute ? fs::path(prefix.substr(0, slash + 1)) : abs_base / prefix.substr(0, slash + 1))
            .lexically_normal();
    if (fs::is_directory(dir, ec)) start = dir;
  }
  std::vector<fs::path> walks;
  if (allowed(start, /*or_equal=*/true)) {
    walks.push_back(start);
  } else {
    walks = real_roots;
  }
  std::vector<std::string> out;
  size_t visited = 0;
  for (const fs::path& walk : walks) {
    fs::recursive_directory_iterator it(walk, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (++visited > kMaxVisited) break;
      const fs::directory_entry& entry = *it;
      const std::string name = entry.path().filename().string();
      std::error_code type_ec;
      if (entry.is_directory(type_ec)) {
        // Hidden directories and dependency trees hold no captures worth offering.
        if (it.depth() >= kMaxDepth || name.empty() || name[0] == '.' || name == "node_modules") {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (!entry.is_regular_file(type_ec) || !IsCaptureName(name)) continue;
      std::string shown = absolute ? entry.path().lexically_normal().string()
                                   : entry.path().lexically_relative(abs_base).string();
      if (shown.compare(0, prefix.size(), prefix) != 0) continue;
      if (allowed(entry.path(), /*or_equal=*/false)) out.push_back(std::move(shown));
    }
    ec.clear();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Json CompletionResult(const std::vector<std::string>& candidates, const std::string& prefix) {
  Json values = Json::array();
  size_t total = 0;
  for (const std::string& c : candidates) {
    if (c.compare(0, prefix.size(), prefix) != 0) continue;
    if (total++ < kMaxValues) values.push_back(c);
  }
  return Json{
      {"completion", {{"values", values}, {"total", total}, {"hasMore", total > kMaxValues}}}};
}

}  // namespace mcpcap::gateway
