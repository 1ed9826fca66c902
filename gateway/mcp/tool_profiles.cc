#include "gateway/mcp/tool_profiles.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace mcpcap::gateway {
namespace {

std::vector<std::string> SplitNames(const std::string& flag) {
  std::vector<std::string> names;
  for (absl::string_view n : absl::StrSplit(flag, ',', absl::SkipWhitespace())) {
    names.emplace_back(absl::StripAsciiWhitespace(n));
  }
  return names;
}

}  // namespace

const std::vector<ToolProfile>& ToolProfiles() {
  // Profiles name tools, which the contract defines: a test checks that every name exists.
  static const auto* kProfiles = new std::vector<ToolProfile>{
      {"all", "every tool", {}},
      {"overview",
       "what a capture holds: file summary, protocols, conversations, TCP connections, DNS",
       {"analyze_capinfos", "detect_protocols", "get_protocol_hierarchy", "list_conversations",
        "analyze_tcp_connections", "analyze_dns_packets"}},
      {"troubleshooting",
       "slow, refused or lost traffic: TCP, ICMP and DNS, down to the packet and the stream",
       {"analyze_capinfos", "detect_protocols", "analyze_tcp_connections", "analyze_tcp_anomalies",
        "analyze_tcp_retransmissions", "analyze_traffic_flow", "analyze_icmp_packets",
        "analyze_dns_packets", "get_io_statistics", "list_packets", "get_packet_details",
        "follow_stream"}},
      {"security",
       "what the traffic reveals: payloads, credentials, queries, DNS, scans, byte search",
       {"analyze_capinfos", "detect_protocols", "analyze_payload", "extract_database_queries",
        "analyze_dns_packets", "analyze_tcp_anomalies", "list_conversations", "search_packets",
        "get_packet_details", "follow_stream"}},
  };
  return *kProfiles;
}

absl::StatusOr<std::set<std::string>> SelectTools(const Contract& contract,
                                                  const std::set<std::string>& modules,
                                                  const std::string& tools_flag,
                                                  const std::string& profile_flag) {
  std::vector<std::string> all;
  for (const ToolSpec& t : contract.tools()) all.push_back(t.name);
  std::set<std::string> chosen(all.begin(), all.end());
  bool by_name = false;

  const std::string profile(absl::StripAsciiWhitespace(profile_flag));
  if (!profile.empty()) {
    const ToolProfile* found = nullptr;
    std::vector<std::string> names;
    for (const ToolProfile& p : ToolProfiles()) {
      names.push_back(p.name);
      if (p.name == profile) found = &p;
    }
    if (found == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown profile '", profile,
                       "' in --profile; valid profiles: ", absl::StrJoin(names, ", ")));
    }
    if (!found->tools.empty()) {
      by_name = true;
      std::set<std::string> in_profile;
      for (const std::string& t : found->tools) {
        if (chosen.count(t) != 0) in_profile.insert(t);
      }
      chosen = std::move(in_profile);
    }
  }
  if (!tools_flag.empty()) {
    std::set<std::string> named;
    for (const std::string& t : SplitNames(tools_flag)) {
      if (std::find(all.begin(), all.end(), t) == all.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "unknown tool '", t, "' in --tools; valid tools: ", absl::StrJoin(all, ", ")));
      }
      named.insert(t);
    }
    if (!named.empty()) {
      by_name = true;
      std::set<std::string> both;
      for (const std::string& t : named) {
        if (chosen.count(t) != 0) both.insert(t);
      }
      chosen = std::move(both);
    }
  }
  bool any = false;
  for (const ToolSpec& t : contract.tools()) {
    any = any || (chosen.count(t.name) != 0 && (modules.empty() || modules.count(t.module) != 0));
  }
  if (!any) {
    return absl::InvalidArgumentError(
        "--modules, --tools and --profile together leave no tool: each one given filters the "
        "tools offered (a tool must pass all of them)");
  }
  if (!by_name) chosen.clear();
  return chosen;
}

}  // namespace mcpcap::gateway
