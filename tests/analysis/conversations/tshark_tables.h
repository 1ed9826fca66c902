// tshark's -z conv,<p> and -z endpoints,<p> text tables (Debian tshark 4.0), parsed: the oracle
// of the conversation tests. Conversation bytes are printed rounded ("12 kB"), so they are kept
// as printed; endpoint bytes and all frame counts are exact; times are kept as printed.
#ifndef MCPCAP_TESTS_ANALYSIS_CONVERSATIONS_TSHARK_TABLES_H_
#define MCPCAP_TESTS_ANALYSIS_CONVERSATIONS_TSHARK_TABLES_H_

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace mcpcap::testing {

// A byte count as tshark prints it: a number and a unit ("bytes", "kB", "MB", ...).
struct PrintedBytes {
  uint64_t number = 0;
  std::string unit;
  friend bool operator==(const PrintedBytes& a, const PrintedBytes& b) {
    return a.number == b.number && a.unit == b.unit;
  }
};

// tshark 4.0's format_size (SI prefixes, integer division, at least 10 of a unit).
inline PrintedBytes PrintBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"TB", "GB", "MB", "kB"};
  uint64_t power = 1000ull * 1000 * 1000 * 1000;
  for (const char* unit : kUnits) {
    if (bytes / power >= 10) return {bytes / power, unit};
    power /= 1000;
  }
  return {bytes, "bytes"};
}

struct TsharkConversation {
  std::string address_a, address_b;
  std::string port_a, port_b;  // empty without ports
  uint64_t frames_ba = 0, frames_ab = 0, frames = 0;
  PrintedBytes bytes_ba, bytes_ab, bytes;
  std::string relative_start;  // "%.9f" seconds
  std::string duration;        // "%.4f" seconds
};

struct TsharkEndpoint {
  std::string address, port;
  uint64_t frames = 0, bytes = 0, tx_frames = 0, tx_bytes = 0, rx_frames = 0, rx_bytes = 0;
};

// Every table of one tshark run, by title ("IPv4 Conversations", "TCP Endpoints", ...), rows in
// tshark's order, and the -T fields rows printed before them.
struct TsharkTables {
  std::vector<std::vector<std::string>> fields;
  std::map<std::string, std::vector<TsharkConversation>> conversations;
  std::map<std::string, std::vector<TsharkEndpoint>> endpoints;
  bool ok = true;        // every row parsed
  std::string bad_line;  // the first one that did not
};

// "addr:port" split at the last colon (IPv6 addresses hold colons too).
inline void SplitPort(absl::string_view text, std::string* address, std::string* port) {
  const size_t colon = text.rfind(':');
  *address = std::string(text.substr(0, colon));
  *port = std::string(text.substr(colon + 1));
}

inline bool ParseConversation(const std::vector<absl::string_view>& t, bool ports,
                              TsharkConversation* c) {
  if (t.size() != 14 || t[1] != "<->") return false;
  if (ports) {
    SplitPort(t[0], &c->address_a, &c->port_a);
    SplitPort(t[2], &c->address_b, &c->port_b);
  } else {
    c->address_a = std::string(t[0]);
    c->address_b = std::string(t[2]);
  }
  c->bytes_ba.unit = std::string(t[5]);
  c->bytes_ab.unit = std::string(t[8]);
  c->bytes.unit = std::string(t[11]);
  c->relative_start = std::string(t[12]);
  c->duration = std::string(t[13]);
  return absl::SimpleAtoi(t[3], &c->frames_ba) && absl::SimpleAtoi(t[4], &c->bytes_ba.number) &&
         absl::SimpleAtoi(t[6], &c->frames_ab) && absl::SimpleAtoi(t[7], &c->bytes_ab.number) &&
         absl::SimpleAtoi(t[9], &c->frames) && absl::SimpleAtoi(t[10], &c->bytes.number);
}

inline bool ParseEndpoint(const std::vector<absl::string_view>& t, bool ports, TsharkEndpoint* e) {
  const size_t first = ports ? 2 : 1;
  if (t.size() != first + 6) return false;
  e->address = std::string(t[0]);
  if (ports) e->port = std::string(t[1]);
  uint64_t* const fields[] = {&e->frames,   &e->bytes,     &e->tx_frames,
                              &e->tx_bytes, &e->rx_frames, &e->rx_bytes};
  for (size_t i = 0; i < 6; ++i) {
    if (!absl::SimpleAtoi(t[first + i], fields[i])) return false;
  }
  return true;
}

inline TsharkTables ParseTsharkTables(const std::string& text) {
  TsharkTables tables;
  std::string title;
  bool in_fields = true;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, "=====")) {
      title.clear();
      in_fields = false;
      continue;
    }
    if (in_fields) {
      if (!line.empty()) tables.fields.push_back(absl::StrSplit(line, '\t'));
      continue;
    }
    if (title.empty()) {
      if (absl::EndsWith(line, " Conversations") || absl::EndsWith(line, " Endpoints")) {
        title = std::string(line);
        if (absl::EndsWith(line, "Conversations")) tables.conversations[title];
        if (absl::EndsWith(line, "Endpoints")) tables.endpoints[title];
      }
      continue;
    }
    if (absl::StartsWith(line, "Filter:") || absl::StrContains(line, "|") || line.empty()) {
      continue;
    }
    const std::vector<absl::string_view> tokens = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    const bool ports = absl::StartsWith(title, "TCP") || absl::StartsWith(title, "UDP");
    bool parsed;
    if (absl::EndsWith(title, "Conversations")) {
      TsharkConversation c;
      parsed = ParseConversation(tokens, ports, &c);
      if (parsed) tables.conversations[title].push_back(std::move(c));
    } else {
      TsharkEndpoint e;
      parsed = ParseEndpoint(tokens, ports, &e);
      if (parsed) tables.endpoints[title].push_back(std::move(e));
    }
    if (!parsed && tables.ok) {
      tables.ok = false;
      tables.bad_line = std::string(line);
    }
  }
  return tables;
}

// Runs tshark with every conversation and endpoint table of the five layers on `path`, printing
// the fields `fields_args` names (-e ..., and any other option) of each frame first.
inline TsharkTables RunTsharkTables(const std::string& path, const std::string& fields_args) {
  std::string command = "tshark -n -r '" + path + "' -T fields -E separator=/t " + fields_args;
  for (const char* layer : {"eth", "ip", "ipv6", "tcp", "udp"}) {
    command += std::string(" -z conv,") + layer + " -z endpoints," + layer;
  }
  command += " 2>/dev/null";
  std::string text;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) text.append(buffer, n);
    pclose(pipe);
  }
  return ParseTsharkTables(text);
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_ANALYSIS_CONVERSATIONS_TSHARK_TABLES_H_
