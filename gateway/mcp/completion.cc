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

std::vector<std::string> CaptureFileCandidates(const std::string& root, const std::string& prefix) {
  const bool absolute = !prefix.empty() && prefix[0] == '/';
  // Walk from the deepest directory the prefix names, so "/data/caps/x" does not walk "/".
  fs::path base = absolute ? fs::path("/") : fs::path(root);
  const size_t slash = prefix.rfind('/');
  if (slash != std::string::npos) {
    fs::path dir = absolute ? fs::path(prefix.substr(0, slash + 1))
                            : fs::path(root) / prefix.substr(0, slash + 1);
    std::error_code ec;
    if (fs::is_directory(dir, ec)) base = dir;
  }
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec);
  size_t visited = 0;
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
                                 : entry.path().lexically_relative(root).string();
    if (shown.compare(0, prefix.size(), prefix) == 0) out.push_back(std::move(shown));
  }
  std::sort(out.begin(), out.end());
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
