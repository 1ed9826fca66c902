#include "tools/gencap/app_payloads.h"

#include <cstdio>

namespace mcpcap::gencap {
namespace {

constexpr const char* kDomains[] = {
    "google.com",    "github.com",     "microsoft.com",     "amazonaws.com",     "cloudflare.com",
    "wikipedia.org", "debian.org",     "slack.com",         "zoom.us",           "office365.com",
    "apple.com",     "netflix.com",    "fastly.net",        "stackoverflow.com", "ubuntu.com",
    "docker.io",     "googleapis.com", "windowsupdate.com", "salesforce.com",    "atlassian.net"};
constexpr const char* kHostPrefixes[] = {"www",     "api",  "cdn",    "login", "mail", "static",
                                         "updates", "auth", "assets", "",      ""};
constexpr const char* kCdnTargets[] = {"edge.fastly.net", "cdn.cloudflare.net",
                                       "e1234.a.akamaiedge.net", "d3a1b2c3.cloudfront.net"};
constexpr const char* kTxtRecords[] = {"v=spf1 include:_spf.google.com ~all",
                                       "google-site-verification=Xq3v9LkP2mN8rT5wZ1yB6cD4eF7gH0jK",
                                       "v=spf1 ip4:192.0.2.0/24 -all", "MS=ms41827365"};
constexpr const char* kPaths[] = {
    "/",      "/index.html",    "/api/v1/status", "/static/app.js", "/images/logo.png",
    "/login", "/search?q=pcap", "/favicon.ico",   "/robots.txt",    "/api/v2/users/1842"};
constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36"),
    "curl/7.88.1", "python-requests/2.31.0"};

// A name as DNS labels; returns its offset in the message (for compression pointers).
size_t WriteName(std::string_view name, ByteWriter& w) {
  const size_t at = w.size();
  while (!name.empty()) {
    const size_t dot = name.find('.');
    const std::string_view label = name.substr(0, dot);
    w.U8(static_cast<uint8_t>(label.size()));
    w.Text(label);
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  w.U8(0);
  return at;
}

void WriteHeader(uint16_t id, uint16_t flags, uint16_t an, bool edns, ByteWriter& w) {
  w.U16(id);
  w.U16(flags);
  w.U16(1);  // one question
  w.U16(an);
  w.U16(0);
  w.U16(edns ? 1 : 0);
}

void WriteOpt(ByteWriter& w) {
  w.U8(0);      // root name
  w.U16(41);    // OPT
  w.U16(1232);  // UDP payload size (DNS flag day 2020)
  w.U32(0);
  w.U16(0);
}

// Resource record whose owner is a compression pointer to `owner_off`; rdata written by caller.
size_t BeginRecord(size_t owner_off, uint16_t type, uint32_t ttl, ByteWriter& w) {
  w.U16(static_cast<uint16_t>(0xc000 | owner_off));
  w.U16(type);
  w.U16(1);  // IN
  w.U32(ttl);
  w.U16(0);  // rdlength: EndRecord()
  return w.size();
}
void EndRecord(size_t rdata_off, ByteWriter& w) {
  w.PutU16At(rdata_off - 2, static_cast<uint16_t>(w.size() - rdata_off));
}

}  // namespace

std::string RandomDomainName(Rng& rng) {
  std::string prefix = rng.Pick(kHostPrefixes);
  std::string domain = rng.Pick(kDomains);
  return prefix.empty() ? domain : prefix + "." + domain;
}

void WriteDnsQuery(const DnsExchange& q, ByteWriter& w) {
  WriteHeader(q.id, 0x0100, 0, q.edns, w);  // RD
  WriteName(q.name, w);
  w.U16(q.qtype);
  w.U16(1);
  if (q.edns) WriteOpt(w);
}

void WriteDnsResponse(const DnsExchange& q, Rng& rng, ByteWriter& w) {
  const size_t header = w.size();
  WriteHeader(q.id, q.nxdomain ? 0x8183 : 0x8180, 0, q.edns, w);  // QR RD RA, rcode 0 or 3
  const size_t qname = WriteName(q.name, w) - header;
  w.U16(q.qtype);
  w.U16(1);
  uint16_t answers = 0;
  const uint32_t ttl = rng.Pick({60u, 300u, 3600u, 86400u});
  if (!q.nxdomain) {
    size_t owner = qname;
    if ((q.qtype == dns_type::kA || q.qtype == dns_type::kAaaa) && rng.Chance(0.3)) {
      const size_t rd = BeginRecord(owner, dns_type::kCname, ttl, w);
      owner = WriteName(rng.Pick(kCdnTargets), w) - header;
      EndRecord(rd, w);
      ++answers;
    }
    switch (q.qtype) {
      case dns_type::kA:
      case dns_type::kAaaa: {
        const uint32_t n = rng.Range(1, q.qtype == dns_type::kA ? 4 : 2);
        for (uint32_t i = 0; i < n; ++i, ++answers) {
          const size_t rd = BeginRecord(owner, q.qtype, ttl, w);
          if (q.qtype == dns_type::kA) {
            w.U8(rng.Pick({104, 142, 151, 172, 185, 140}));
            w.U8(static_cast<uint8_t>(rng.Below(256)));
            w.U8(static_cast<uint8_t>(rng.Below(256)));
            w.U8(static_cast<uint8_t>(rng.Range(1, 254)));
          } else {
            w.U16(rng.Pick({0x2606, 0x2a00, 0x2620, 0x2a04}));
            w.U16(static_cast<uint16_t>(rng.U32()));
            w.U16(static_cast<uint16_t>(rng.U32()));
            w.Zeros(8);
            w.U16(static_cast<uint16_t>(rng.Range(1, 0xffff)));
          }
          EndRecord(rd, w);
        }
        break;
      }
      case dns_type::kMx:
        for (uint16_t pref = 10; pref <= 20; pref += 10, ++answers) {
          const size_t rd = BeginRecord(owner, dns_type::kMx, ttl, w);
          w.U16(pref);
          w.U8(3);
          w.Text(pref == 10 ? "mx1" : "mx2");
          w.U16(static_cast<uint16_t>(0xc000 | owner));
          EndRecord(rd, w);
        }
        break;
      case dns_type::kTxt: {
        const std::string_view txt = rng.Pick(kTxtRecords);
        const size_t rd = BeginRecord(owner, dns_type::kTxt, ttl, w);
        w.U8(static_cast<uint8_t>(txt.size()));
        w.Text(txt);
        EndRecord(rd, w);
        ++answers;
        break;
      }
      case dns_type::kPtr: {
        const size_t rd = BeginRecord(owner, dns_type::kPtr, ttl, w);
        char host[64];
        std::snprintf(host, sizeof(host), "host-%u.static.example.net", rng.Range(2, 9999));
        WriteName(host, w);
        EndRecord(rd, w);
        ++answers;
        break;
      }
      default:
        break;
    }
  }
  w.PutU16At(header + 6, answers);
  if (q.edns) WriteOpt(w);
}

void WriteDhcp(const DhcpExchange& x, uint8_t msg_type, ByteWriter& w) {
  const bool reply = msg_type == dhcp_type::kOffer || msg_type == dhcp_type::kAck;
  w.U8(reply ? 2 : 1);  // BOOTREPLY / BOOTREQUEST
  w.U8(1);              // Ethernet
  w.U8(6);
  w.U8(0);
  w.U32(x.xid);
  w.U16(0);       // secs
  w.U16(0x8000);  // broadcast flag
  w.Zeros(4);     // ciaddr
  if (reply) {
    w.Bytes(x.offered.b, 4);  // yiaddr
    w.Bytes(x.server.b, 4);   // siaddr
  } else {
    w.Zeros(8);
  }
  w.Zeros(4);  // giaddr
  w.Bytes(x.client_mac.b, 6);
  w.Zeros(10 + 64 + 128);  // chaddr padding, sname, file
  w.U32(0x63825363);       // magic cookie

  w.U8(53);  // message type
  w.U8(1);
  w.U8(msg_type);
  if (reply) {
    w.U8(54);  // server identifier
    w.U8(4);
    w.Bytes(x.server.b, 4);
    w.U8(51);  // lease time: 1 day
    w.U8(4);
    w.U32(86400);
    w.U8(1);  // subnet mask
    w.U8(4);
    w.U32(0xffffff00);
    w.U8(3);  // router
    w.U8(4);
    w.Bytes(x.router.b, 4);
    w.U8(6);  // DNS servers (multi-valued)
    w.U8(8);
    w.Bytes(x.router.b, 4);
    w.U32(0x08080808);
    w.U8(15);  // domain name
    w.U8(8);
    w.Text("home.lan");
  } else {
    w.U8(61);  // client identifier
    w.U8(7);
    w.U8(1);
    w.Bytes(x.client_mac.b, 6);
    if (msg_type == dhcp_type::kRequest) {
      w.U8(50);  // requested address
      w.U8(4);
      w.Bytes(x.offered.b, 4);
      w.U8(54);
      w.U8(4);
      w.Bytes(x.server.b, 4);
    }
    w.U8(12);  // host name
    w.U8(static_cast<uint8_t>(x.hostname.size()));
    w.Text(x.hostname);
    w.U8(55);  // parameter request list
    w.U8(6);
    for (uint8_t opt : {1, 3, 6, 15, 42, 119}) w.U8(opt);
  }
  w.U8(255);
  while (w.size() % 4) w.U8(0);
}

void WriteHttpRequest(std::string_view host, std::string_view path, ByteWriter& w) {
  w.Text("GET ");
  w.Text(path);
  w.Text(" HTTP/1.1\r\nHost: ");
  w.Text(host);
  w.Text("\r\nUser-Agent: ");
  // Derive the agent from the host so a seed always gives the same request.
  w.Text(kUserAgents[(host.size() + path.size()) % 4]);
  w.Text("\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n");
}

void WriteHttpResponseHead(int status, uint32_t content_length, ByteWriter& w) {
  char head[256];
  const char* reason = status == 200   ? "OK"
                       : status == 301 ? "Moved Permanently"
                       : status == 404 ? "Not Found"
                                       : "Internal Server Error";
  const int n = std::snprintf(head, sizeof(head),
                              "HTTP/1.1 %d %s\r\nServer: nginx/1.22.1\r\n"
                              "Content-Type: text/html; charset=utf-8\r\n"
                              "Content-Length: %u\r\nConnection: keep-alive\r\n\r\n",
                              status, reason, content_length);
  w.Bytes(head, static_cast<size_t>(n));
}

std::string_view RandomHttpPath(Rng& rng) { return rng.Pick(kPaths); }

}  // namespace mcpcap::gencap
