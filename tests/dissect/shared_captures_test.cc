// Decodes every packet of the public captures in MCPCAP_SHARED_CAPTURES and checks the result
// against what TShark found in them (oracle/<file>.json, MANIFEST.tsv): per-protocol frame counts
// must match and captures that are not malformed on purpose must raise no anomalies.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "backend/dissect/decoder.h"

namespace mcpcap {
namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = MCPCAP_SHARED_CAPTURES;

// file name -> the MANIFEST "covers" tags.
std::map<std::string, std::string> ReadManifest() {
  std::map<std::string, std::string> covers;
  std::ifstream in(kCaptures / "MANIFEST.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 9) covers[cols[0]] = "," + cols[8] + ",";
  }
  return covers;
}

bool Covers(const std::string& tags, const std::string& tag) {
  return tags.find("," + tag + ",") != std::string::npos;
}

struct Counts {
  std::map<std::string, int> frames;  // keys as in the oracle's "counts"
  int packets_with_anomalies = 0;
  int packets_with_other_than_snaplen = 0;  // anomalies besides snaplen_truncated
  std::string first_anomaly;
};

void Count(const DecodedPacket& p, Counts* c) {
  auto bump = [&](const char* key, bool yes) { c->frames[key] += yes ? 1 : 0; };
  bump("frames", true);
  bump("eth", p.link_kind == LinkKind::kEthernet);
  bump("sll", p.link_kind == LinkKind::kLinuxSll || p.link_kind == LinkKind::kLinuxSll2);
  bump("vlan", p.vlan_count > 0);
  bump("arp", p.l3_kind == L3Kind::kArp);
  bump("ipv4", p.l3_kind == L3Kind::kIpv4);
  bump("ipv6", p.l3_kind == L3Kind::kIpv6);
  // TShark counts a protocol quoted inside an ICMP error too.
  L4Kind inner = L4Kind::kNone;
  if (p.icmp.is_error && (p.l4_kind == L4Kind::kIcmp || p.l4_kind == L4Kind::kIcmpv6)) {
    DecodedPacket q;
    DecodePacket(kLinkTypeRaw, p.icmp.quoted, &q);
    inner = q.l4_kind;
  }
  for (auto [key, kind] :
       {std::pair{"tcp", L4Kind::kTcp}, std::pair{"udp", L4Kind::kUdp},
        std::pair{"icmp", L4Kind::kIcmp}, std::pair{"icmpv6", L4Kind::kIcmpv6}}) {
    bump(key, p.l4_kind == kind || inner == kind);
  }
}

TEST(SharedCaptures, DecodeLikeTshark) {
  if (!fs::is_directory(kCaptures)) GTEST_SKIP() << "no shared captures at " << kCaptures;
  const auto manifest = ReadManifest();
  int files_checked = 0;
  for (const auto& entry : fs::directory_iterator(kCaptures)) {
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    if (ext != ".pcap" && ext != ".pcapng") continue;
    SCOPED_TRACE(name);
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* pcap = pcap_open_offline(entry.path().c_str(), err);
    if (pcap == nullptr) continue;  // unreadable on purpose (bad file header)
    const uint16_t link_type = static_cast<uint16_t>(pcap_datalink(pcap));
    Counts counts;
    DecodedPacket p;
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    int rc = 0;
    while ((rc = pcap_next_ex(pcap, &hdr, &data)) == 1) {
      DecodePacket(link_type, Bytes(data, hdr->caplen), hdr->len, &p);
      Count(p, &counts);
      AnomalySet others = p.anomalies;
      others.Remove(Anomaly::kSnaplenTruncated);
      if (!others.empty()) ++counts.packets_with_other_than_snaplen;
      if (!p.ok()) {
        ++counts.packets_with_anomalies;
        if (counts.first_anomaly.empty()) {
          p.anomalies.ForEach(
              [&](Anomaly a) { counts.first_anomaly += std::string(AnomalyName(a)) + " "; });
          counts.first_anomaly += "in frame " + std::to_string(counts.frames["frames"]);
        }
      }
    }
    // libpcap cannot follow a pcapng whose interfaces change link type mid-file.
    const bool read_whole_file = rc == PCAP_ERROR_BREAK;
    pcap_close(pcap);

    const auto tags_it = manifest.find(name);
    const std::string tags = tags_it == manifest.end() ? "" : tags_it->second;
    const bool malformed = Covers(tags, "malformed") || Covers(tags, "tshark-malformed");
    if (!malformed) {
      // A capture with a short snaplen may cut frames; it must not break them otherwise.
      const int bad = Covers(tags, "snaplen-truncated") ? counts.packets_with_other_than_snaplen
                                                        : counts.packets_with_anomalies;
      EXPECT_EQ(bad, 0) << counts.first_anomaly;
    }
    // Broken on purpose at a layer we decode: we must notice.
    if (Covers(tags, "malformed")) {
      EXPECT_GT(counts.packets_with_anomalies, 0);
    }
    std::printf("%-50s %4d frames, %3d with anomalies %s\n", name.c_str(), counts.frames["frames"],
                counts.packets_with_anomalies, counts.first_anomaly.c_str());
    std::ifstream oracle_in(kCaptures / "oracle" / (name + ".json"));
    if (!read_whole_file || malformed || !oracle_in) continue;
    const nlohmann::json oracle = nlohmann::json::parse(oracle_in, nullptr, false);
    ASSERT_FALSE(oracle.is_discarded());
    for (const auto& [key, n] : counts.frames) {
      EXPECT_EQ(n, oracle["counts"][key]["frames"].get<int>()) << key;
    }
    ++files_checked;
  }
  EXPECT_GT(files_checked, 10);
}

}  // namespace
}  // namespace mcpcap
