// DetectProtocol: every signature judges the bytes of each side; a protocol whose own signature
// matched on one side (or both) wins, the ports only break ties, raise the confidence a little
// and speak alone when the content is silent and does not contradict them.
#include "backend/payload/detect/detect.h"

#include <algorithm>
#include <array>

#include "backend/payload/detect/detect_ports.h"
#include "backend/payload/detect/detect_signatures.h"

namespace mcpcap::payload {
namespace {

using detect::Match;

struct Signature {
  Protocol protocol;
  bool tcp;
  bool udp;
  Match (*client)(Bytes);
  Match (*server)(Bytes);
  // Shared prefixes ("220 " banners, USER; Redis inline commands and short replies) decide when
  // both sides agree on this protocol.
  bool weak_pair_decides;
};

// In order of preference when two protocols score the same.
constexpr Signature kSignatures[] = {
    {Protocol::kTls, true, false, detect::TlsClient, detect::TlsServer, false},
    {Protocol::kHttp, true, false, detect::HttpClient, detect::HttpServer, false},
    {Protocol::kSsh, true, false, detect::SshBanner, detect::SshBanner, false},
    {Protocol::kMySql, true, false, detect::MySqlClient, detect::MySqlServer, false},
    {Protocol::kPostgreSql, true, false, detect::PostgreSqlClient, detect::PostgreSqlServer, false},
    {Protocol::kRedis, true, false, detect::RedisClient, detect::RedisServer, true},
    {Protocol::kMongoDb, true, false, detect::MongoDbClient, detect::MongoDbServer, false},
    {Protocol::kSmtp, true, false, detect::SmtpClient, detect::SmtpServer, true},
    {Protocol::kFtp, true, false, detect::FtpClient, detect::FtpServer, true},
    {Protocol::kPop3, true, false, detect::Pop3Client, detect::Pop3Server, true},
    {Protocol::kImap, true, false, detect::ImapClient, detect::ImapServer, false},
    {Protocol::kSip, true, true, detect::SipMessage, detect::SipMessage, false},
    {Protocol::kDns, true, false, detect::DnsTcp, detect::DnsTcp, false},
    {Protocol::kDns, false, true, detect::DnsUdp, detect::DnsUdp, false},
    {Protocol::kDhcp, false, true, detect::Dhcp, detect::Dhcp, false},
    {Protocol::kDhcpv6, false, true, detect::Dhcpv6, detect::Dhcpv6, false},
    {Protocol::kQuic, false, true, detect::Quic, detect::Quic, false},
    {Protocol::kNtp, false, true, detect::Ntp, detect::Ntp, false},
    {Protocol::kSnmp, false, true, detect::Snmp, detect::Snmp, false},
};
constexpr size_t kSignatureCount = sizeof(kSignatures) / sizeof(kSignatures[0]);

constexpr double kBothSides = 0.97;
constexpr double kOneSideOtherWeak = 0.9;
constexpr double kOneSide = 0.85;
constexpr double kWeakPair = 0.8;
constexpr double kOneSideOtherContradicts = 0.75;
constexpr double kWeakWithPort = 0.65;
constexpr double kPortBonus = 0.03;

// What one side's bytes are, for the verdicts.
struct SideState {
  Bytes bytes;
  bool can_grow = false;  // more bytes of this side may come
};

bool OnPort(const DetectInput& in, uint16_t port) {
  return in.server_port == port || in.client_port == port;
}

// Verdicts for one protocol, adjusted for what the datagram or stream can still become and for
// the protocols whose content alone says too little without their port.
struct Verdict {
  Match client = Match::kNo;
  Match server = Match::kNo;
};

Match Judge(Match (*signature)(Bytes), const SideState& side) {
  if (side.bytes.empty()) return side.can_grow ? Match::kNeedMore : Match::kNo;
  const Match m = signature(side.bytes);
  if (m == Match::kNeedMore && !side.can_grow) return Match::kNo;
  return m;
}

Verdict JudgeProtocol(const Signature& s, const DetectInput& in, const SideState& client,
                      const SideState& server) {
  Verdict v{Judge(s.client, client), Judge(s.server, server)};
  auto weaken = [](Match& m) {
    if (m == Match::kYes) m = Match::kWeak;
  };
  switch (s.protocol) {
    case Protocol::kNtp:
      if (!OnPort(in, 123)) weaken(v.client), weaken(v.server);
      break;
    case Protocol::kDhcpv6:
      if (!OnPort(in, 546) && !OnPort(in, 547)) v = {Match::kNo, Match::kNo};
      break;
    case Protocol::kDns:
      // NetBIOS name service and LLMNR use DNS's message format but are not DNS.
      if (OnPort(in, 137) || OnPort(in, 5355)) v = {Match::kNo, Match::kNo};
      break;
    case Protocol::kMongoDb:
      // The reply must answer the request we saw.
      if (v.client == Match::kYes && v.server == Match::kYes &&
          detect::MongoDbResponseTo(server.bytes) != detect::MongoDbRequestId(client.bytes)) {
        v.server = Match::kWeak;
      }
      break;
    default:
      break;
  }
  return v;
}

bool Present(const SideState& side) { return !side.bytes.empty(); }

// How strongly the content names the protocol: 0 when it does not decide.
double ContentScore(const Signature& s, const Verdict& v, const SideState& client,
                    const SideState& server) {
  const int yes = (v.client == Match::kYes) + (v.server == Match::kYes);
  if (yes == 2) return kBothSides;
  if (yes == 1) {
    const Match other = v.client == Match::kYes ? v.server : v.client;
    const SideState& other_side = v.client == Match::kYes ? server : client;
    if (other == Match::kWeak) return kOneSideOtherWeak;
    if (other == Match::kNo && Present(other_side)) return kOneSideOtherContradicts;
    return kOneSide;
  }
  if (s.weak_pair_decides && v.client == Match::kWeak && v.server == Match::kWeak) {
    return kWeakPair;
  }
  return 0;
}

Protocol Rename(Protocol protocol, const DetectInput& in) {
  if (protocol == Protocol::kDns && in.ip_protocol == 17 && OnPort(in, 5353)) {
    return Protocol::kMdns;
  }
  return protocol;
}

// The protocol the ports name: the server's first, then the client's.
std::optional<Protocol> PortProtocol(const DetectInput& in, double* confidence) {
  for (uint16_t port : {in.server_port, in.client_port}) {
    if (auto p = ProtocolForPort(in.ip_protocol, port)) {
      *confidence = detect::PortOnlyConfidence(in.ip_protocol, port);
      return p;
    }
  }
  return std::nullopt;
}

Detection Make(Protocol protocol, absl::string_view by, double confidence) {
  Detection d;
  d.protocol = protocol;
  d.detected_by = by;
  d.confidence = std::min(confidence, 1.0);
  d.decided = true;
  return d;
}

}  // namespace

Detection DetectProtocol(const DetectInput& input) {
  const bool tcp = input.ip_protocol == 6;
  const bool udp = input.ip_protocol == 17;
  if (!tcp && !udp) {
    Detection d;
    d.decided = true;
    return d;
  }
  auto side = [&](Bytes b) {
    SideState s;
    s.bytes = b.first(std::min(b.size(), kDetectBytes));
    s.can_grow = !input.final && (tcp ? s.bytes.size() < kDetectBytes : s.bytes.empty());
    return s;
  };
  const SideState client = side(input.client_bytes);
  const SideState server = side(input.server_bytes);
  double port_confidence = 0;
  const std::optional<Protocol> port_protocol = PortProtocol(input, &port_confidence);

  std::array<Verdict, kSignatureCount> verdicts;
  const Signature* best = nullptr;
  double best_score = 0;
  bool best_on_port = false;
  bool pending = false;       // some verdict could still change with more bytes
  bool contradicted = false;  // the port's protocol was ruled out by the content
  for (size_t i = 0; i < kSignatureCount; ++i) {
    const Signature& s = kSignatures[i];
    if ((tcp && !s.tcp) || (udp && !s.udp)) continue;
    const Verdict v = JudgeProtocol(s, input, client, server);
    verdicts[i] = v;
    const Protocol named = Rename(s.protocol, input);
    const bool on_port = port_protocol && *port_protocol == named;
    if (v.client == Match::kNeedMore || v.server == Match::kNeedMore) pending = true;
    if ((v.client == Match::kWeak && server.can_grow) ||
        (v.server == Match::kWeak && client.can_grow)) {
      pending = true;
    }
    if (on_port && ((Present(client) && v.client == Match::kNo) ||
                    (Present(server) && v.server == Match::kNo))) {
      contradicted = true;
    }
    const double score = ContentScore(s, v, client, server);
    if (score > best_score || (score == best_score && score > 0 && on_port && !best_on_port)) {
      best = &s;
      best_score = score;
      best_on_port = on_port;
    }
  }

  if (best != nullptr) {
    return best_on_port
               ? Make(Rename(best->protocol, input), "port+signature", best_score + kPortBonus)
               : Make(Rename(best->protocol, input), "signature", best_score);
  }
  if (pending && !input.final) return Detection{};

  // Nothing decisive and nothing more to wait for: a weak signature on its port, then the
  // port alone. (A weak signature off its port says too little: random bytes pass some.)
  for (size_t i = 0; i < kSignatureCount; ++i) {
    const Signature& s = kSignatures[i];
    if ((tcp && !s.tcp) || (udp && !s.udp)) continue;
    const Verdict& v = verdicts[i];
    if (v.client != Match::kWeak && v.server != Match::kWeak) continue;
    const Protocol named = Rename(s.protocol, input);
    if (port_protocol && *port_protocol == named) {
      return Make(named, "port+signature", kWeakWithPort);
    }
  }
  if (port_protocol && !contradicted) return Make(*port_protocol, "port", port_confidence);
  Detection unknown;
  unknown.decided = true;
  return unknown;
}

}  // namespace mcpcap::payload
