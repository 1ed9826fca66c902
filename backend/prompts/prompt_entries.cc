// The prompt catalogue's entries: names, titles, arguments and the focus block each argument
// adds. The guidance itself is texts/<name>.md (embedded at build time).
//
// Markup of every text and focus block (read strictly by tests/prompts/prompt_fields.test.mjs and
// run by prompt_calls.test.mjs): each `backticked` span is a recommended call
// `tool(pcap_file="...", arg=value, ...)` (strings in double quotes, numbers, true/false; never a
// max_results above the default), a tool name, an argument (`bpf_filter`, `server_port=443`), a
// value the caller passed, or a result field as MCP shows it: a dotted path with `[]` after each
// list (`statistics.top_clients`, `packets[].answers[]`), from a tool's output root or from
// inside one of its objects. Placeholders the model fills from earlier results: <capture>,
// <address>, <client>, <server>, <resolver>, <mac>, <port>.
#include "absl/strings/str_cat.h"
#include "backend/prompts/prompt_catalog.h"
#include "backend/prompts/prompt_texts.h"

namespace mcpcap {
namespace {

std::string Get(const PromptArgs& args, const char* key) {
  auto it = args.find(key);
  return it == args.end() ? "" : it->second;
}

// A recommended call in the texts' markup, `tool(pcap_file="...", more)`: the capture is the
// caller's pcap_file or the <capture> placeholder, as {{file}} renders it.
std::string Call(const PromptArgs& args, absl::string_view tool, absl::string_view more = "") {
  const std::string file = Get(args, "pcap_file");
  return absl::StrCat("`", tool, "(pcap_file=\"", file.empty() ? "<capture>" : file, "\"",
                      more.empty() ? "" : ", ", more, ")`");
}

const PromptArgumentSpec kPcapFile{
    "pcap_file",
    "The capture to analyse: a local path or an http(s) URL. Optional: without it the model uses "
    "the capture named in the conversation or asks for one.",
    {}};

// ---------------------------------------------------------------------------------------------
// DNS

std::string DnsDomainFocus(const PromptArgs& args) {
  const std::string domain = Get(args, "domain");
  if (domain.empty()) return "";
  return absl::StrCat(
      "Focus: names at or under `", domain,
      "`. The DNS tool has no name filter (BPF cannot match names): read "
      "`statistics.top_queried_names` and `statistics.top_nxdomain_names`, then narrow with "
      "`bpf_filter` to the clients or resolvers involved (`statistics.top_clients`, "
      "`statistics.top_servers`), e.g. ",
      Call(args, "analyze_dns_packets", "bpf_filter=\"host <address>\""),
      ", and page the `packets` listing (`packets[].questions[].name`) with `cursor` until "
      "`capture.partial_listings` no longer names it. Report every client that asked for these "
      "names, what was answered, and when.");
}

// ---------------------------------------------------------------------------------------------
// DHCP

std::string DhcpClientFocus(const PromptArgs& args) {
  const std::string mac = Get(args, "client_mac");
  if (mac.empty()) return "";
  return absl::StrCat(
      "Focus: the client with MAC address ", mac, ". Call ",
      Call(args, "analyze_dhcp_packets", absl::StrCat("bpf_filter=\"ether host ", mac, "\"")),
      " (server answers sent to this MAC are kept; broadcast replies may need the unfiltered "
      "run), and report its transactions, addresses and lease times in order.");
}

std::string DhcpServerFocus(const PromptArgs& args) {
  const std::string server = Get(args, "expected_server");
  if (server.empty()) return "";
  return absl::StrCat("The legitimate DHCP server is ", server,
                      ". Any other server in `statistics.servers[]` (`server_id`, `ip`) that "
                      "offers or acknowledges leases is a rogue-server candidate; compare its "
                      "`mac`, `offers` and `acks`, and the options it hands out.");
}

// ---------------------------------------------------------------------------------------------
// ICMP

std::string IcmpTargetFocus(const PromptArgs& args) {
  const std::string target = Get(args, "target_ip");
  if (target.empty()) return "";
  return absl::StrCat("Focus: reachability of ", target, ". Call ",
                      Call(args, "analyze_icmp_packets",
                           absl::StrCat("bpf_filter=\"(icmp or icmp6) and host ", target, "\"")),
                      "; errors that quote traffic to ", target,
                      " come from routers and may need the unfiltered run (read "
                      "`packets[].quoted.destination.ip`).");
}

std::string IcmpHostFocus(const PromptArgs& args) {
  const std::string host = Get(args, "host_ip");
  if (host.empty()) return "";
  return absl::StrCat(
      "Focus: the host ", host, ". Call ",
      Call(args, "analyze_icmp_packets", absl::StrCat("bpf_filter=\"host ", host, "\"")),
      " for a first pass, then the unfiltered capture for errors that quote its "
      "traffic (`packets[].quoted`).");
}

std::string IcmpThreatFocus(const PromptArgs& args) {
  const std::string focus = Get(args, "focus");
  if (focus.empty() || focus == "all") return "";
  return absl::StrCat("Focus on ", focus,
                      " first (the matching step below); cover the other threats briefly.");
}

// ---------------------------------------------------------------------------------------------
// SIP

std::string SipThreatFocus(const PromptArgs& args) {
  const std::string focus = Get(args, "focus");
  if (focus.empty() || focus == "all") return "";
  return absl::StrCat("Focus on ", focus,
                      " first (the matching step below); cover the other threats briefly.");
}

std::string SipCallFocus(const PromptArgs& args) {
  std::string out;
  const std::string call_id = Get(args, "call_id");
  const std::string user = Get(args, "user");
  if (!call_id.empty()) {
    out = absl::StrCat("Focus: the call with Call-ID `", call_id,
                       "`. Find it in `calls[]` (`calls[].call_id`) and follow its messages in "
                       "`packets[]` by `packets[].call_id`; if it is not on the first page, "
                       "narrow with `bpf_filter` to its endpoints and page with `cursor`.");
  }
  if (!user.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "\n", "Focus: the SIP user or extension `", user,
                    "`: calls and registrations whose `from_header`, `to_header`, "
                    "`contact` or `request_uri` contain it.");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// TCP

std::string TcpServerFocus(const PromptArgs& args) {
  const std::string ip = Get(args, "server_ip");
  const std::string port = Get(args, "server_port");
  if (ip.empty() && port.empty()) {
    return "No server was named: start without filters, then choose the server from "
           "`summary.conn_states`, the first page of `connections[]` and the anomalies' "
           "`findings[]` and `rst_patterns.by_source`, and repeat the steps with `server_ip` "
           "(and `server_port`) set to it.";
  }
  std::string filter;
  if (!ip.empty()) filter = absl::StrCat("server_ip=\"", ip, "\"");
  if (!port.empty()) {
    absl::StrAppend(&filter, filter.empty() ? "" : ", ", "server_port=", port);
  }
  std::string out = absl::StrCat(
      "Focus: the server ", ip, port.empty() ? "" : ":", port,
      ". Call the TCP tools with this filter: ",
      Call(args, "analyze_tcp_connections", absl::StrCat(filter, ", detailed=true")), ", ",
      Call(args, "analyze_tcp_anomalies", filter), ", ",
      Call(args, "analyze_tcp_retransmissions", absl::StrCat(filter, ", threshold=0.02")));
  if (!ip.empty()) {
    absl::StrAppend(&out, " and ", Call(args, "analyze_traffic_flow", filter), ".");
  } else {
    absl::StrAppend(&out, " (`analyze_traffic_flow` needs `server_ip`: pick one from them).");
  }
  return out;
}

std::string TcpThreatFocus(const PromptArgs& args) {
  std::string out;
  const std::string ip = Get(args, "server_ip");
  const std::string focus = Get(args, "focus");
  if (!ip.empty()) {
    const std::string server = absl::StrCat("server_ip=\"", ip, "\"");
    out = absl::StrCat(
        "Focus: traffic to and from ", ip, ". Call ",
        Call(args, "analyze_tcp_connections", absl::StrCat(server, ", detailed=true")), ", ",
        Call(args, "analyze_tcp_anomalies", server), ", ",
        Call(args, "analyze_traffic_flow", server), " and, for the other tools, ",
        Call(args, "analyze_payload", absl::StrCat("bpf_filter=\"host ", ip, "\"")), ".");
  }
  if (!focus.empty() && focus != "all") {
    absl::StrAppend(&out, out.empty() ? "" : "\n", "Focus on ", focus,
                    " first (the matching step below); cover the other threats briefly.");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Payload

std::string PayloadPortFocus(const PromptArgs& args) {
  const std::string port = Get(args, "port");
  std::string protocol = Get(args, "protocol");
  if (protocol == "auto") protocol.clear();
  if (port.empty() && protocol.empty()) return "";
  std::string filter;
  if (!protocol.empty()) filter = absl::StrCat("protocol=\"", protocol, "\"");
  if (!port.empty()) absl::StrAppend(&filter, filter.empty() ? "" : ", ", "port=", port);
  std::string out = absl::StrCat(
      "Focus:", port.empty() ? "" : absl::StrCat(" flows with port ", port, " at one end"),
      port.empty() || protocol.empty() ? "" : ",",
      protocol.empty() ? "" : absl::StrCat(" the ", protocol, " protocol"), ". Call ",
      Call(args, "analyze_payload", filter), " and ",
      Call(args, "extract_database_queries", filter));
  if (!port.empty()) {
    absl::StrAppend(&out, ", and ", Call(args, "detect_protocols", absl::StrCat("port=", port)),
                    " and ",
                    Call(args, "analyze_tcp_connections", absl::StrCat("server_port=", port)));
  }
  absl::StrAppend(&out, ".");
  if (!protocol.empty()) {
    absl::StrAppend(&out,
                    " `protocol` selects the flows shown (flows no parser could name are "
                    "tried as ",
                    protocol, "); it does not make a flow ", protocol,
                    ": read each flow's `protocol`, `detected_by` and `confidence`.");
  }
  return out;
}

}  // namespace

const std::vector<PromptSpec>& PromptCatalog() {
  static const std::vector<PromptSpec>* catalog = new std::vector<PromptSpec>{
      // Of no module: offered whatever --modules, --tools or --profile keep.
      {"triage",
       "",
       "Capture triage",
       "Start here with an unknown capture: the overview (analyze_capinfos, detect_protocols), "
       "then the focused tools for the protocols found, then pages or filters where something "
       "stands out.",
       {kPcapFile},
       std::string(PromptText("triage")),
       nullptr},
      {"security_analysis",
       "dns",
       "DNS security analysis",
       "Hunt for malicious DNS: tunnelling and exfiltration, DGA and C2 lookups, rogue resolvers, "
       "poisoning and reconnaissance, with evidence from analyze_dns_packets.",
       {kPcapFile,
        {"domain", "A domain to concentrate on, e.g. example.com (its subdomains included).", {}}},
       std::string(PromptText("security_analysis")),
       DnsDomainFocus},
      {"network_troubleshooting",
       "dns",
       "DNS troubleshooting",
       "Diagnose slow or failing name resolution: resolver latency, timeouts and retries, "
       "SERVFAIL/REFUSED/NXDOMAIN causes, truncation and TCP fallback, resolver configuration.",
       {kPcapFile,
        {"server_ip", "The DNS resolver under suspicion; its traffic is analysed first.", {}},
        {"domain", "A name that fails or resolves slowly, e.g. intranet.example.com.", {}}},
       std::string(PromptText("network_troubleshooting")),
       [](const PromptArgs& args) -> std::string {
         std::string out;
         const std::string server = Get(args, "server_ip");
         if (!server.empty()) {
           out = absl::StrCat("Focus: the resolver ", server, ". Run `analyze_dns_packets` with ",
                              "`bpf_filter=\"host ", server,
                              "\"` and compare with the unfiltered statistics.");
         }
         const std::string domain = DnsDomainFocus(args);
         if (!domain.empty()) absl::StrAppend(&out, out.empty() ? "" : "\n", domain);
         return out;
       }},
      {"forensic_investigation",
       "dns",
       "DNS forensic investigation",
       "Reconstruct DNS activity as evidence: file hashes, a UTC timeline of lookups and answers, "
       "indicators, pivots to the connections that followed, and attribution limits.",
       {kPcapFile,
        {"client_ip", "The host under investigation; its lookups are followed first.", {}},
        {"domain", "A domain of interest, e.g. a suspected C2 domain.", {}}},
       std::string(PromptText("forensic_investigation")),
       [](const PromptArgs& args) -> std::string {
         std::string out;
         const std::string client = Get(args, "client_ip");
         if (!client.empty()) {
           out = absl::StrCat("Focus: the host ", client, ". Pass `bpf_filter=\"host ", client,
                              "\"` to `analyze_dns_packets` and to the pivots.");
         }
         const std::string domain = DnsDomainFocus(args);
         if (!domain.empty()) absl::StrAppend(&out, out.empty() ? "" : "\n", domain);
         return out;
       }},
      {"dhcp_network_analysis",
       "dhcp",
       "DHCP network analysis",
       "Review DHCP health: lease outcomes and timing, servers and relays, options handed out, "
       "pool use and client behaviour, with fixes.",
       {kPcapFile, {"client_mac", "A client's MAC address to follow, e.g. 00:11:22:33:44:55.", {}}},
       std::string(PromptText("dhcp_network_analysis")),
       DhcpClientFocus},
      {"dhcp_security_analysis",
       "dhcp",
       "DHCP security analysis",
       "Detect DHCP attacks: rogue servers and malicious gateway/DNS options, starvation, "
       "spoofed NAK/RELEASE, suspicious client identifiers and option values.",
       {kPcapFile,
        {"expected_server",
         "The legitimate DHCP server's address; any other server offering leases is suspect.",
         {}}},
       std::string(PromptText("dhcp_security_analysis")),
       DhcpServerFocus},
      {"dhcp_forensic_investigation",
       "dhcp",
       "DHCP forensic investigation",
       "Attribute IP addresses to devices over time: transaction timeline, MAC/hostname/IP "
       "bindings with lease ranges, device fingerprints and topology, as evidence.",
       {kPcapFile, {"client_mac", "A device's MAC address to attribute and follow.", {}}},
       std::string(PromptText("dhcp_forensic_investigation")),
       DhcpClientFocus},
      {"icmp_network_diagnostics",
       "icmp",
       "ICMP network diagnostics",
       "Diagnose reachability and paths: ping loss and RTT, unreachable causes from the quoted "
       "packets, MTU problems, traceroute paths, redirects.",
       {kPcapFile, {"target_ip", "The host whose reachability is in question.", {}}},
       std::string(PromptText("icmp_network_diagnostics")),
       IcmpTargetFocus},
      {"icmp_security_analysis",
       "icmp",
       "ICMP security analysis",
       "Detect ICMP abuse: ping sweeps and fingerprinting, tunnelling and covert channels, "
       "floods and smurf, rogue redirects and router advertisements.",
       {kPcapFile,
        {"focus",
         "The threat to examine first: sweep, tunnelling, flood, redirect or all (default).",
         {"sweep", "tunnelling", "flood", "redirect", "all"}}},
       std::string(PromptText("icmp_security_analysis")),
       IcmpThreatFocus},
      {"icmp_forensic_investigation",
       "icmp",
       "ICMP forensic investigation",
       "Reconstruct ICMP activity as evidence: probing timeline and scope, path mapping, and the "
       "connection attempts revealed by quoted packets in ICMP errors.",
       {kPcapFile, {"host_ip", "The host under investigation.", {}}},
       std::string(PromptText("icmp_forensic_investigation")),
       IcmpHostFocus},
      {"sip_security_analysis",
       "sip",
       "SIP security analysis",
       "Detect attacks on VoIP signalling: scanning and extension enumeration, registration "
       "brute force, toll fraud, banner and topology leaks, unencrypted signalling.",
       {kPcapFile,
        {"focus",
         "The threat to examine first: scanning, registration, toll_fraud or all (default).",
         {"scanning", "registration", "toll_fraud", "all"}}},
       std::string(PromptText("sip_security_analysis")),
       SipThreatFocus},
      {"sip_troubleshooting_analysis",
       "sip",
       "SIP troubleshooting",
       "Troubleshoot SIP calls and registrations: call ladders, failure codes, retransmissions, "
       "missing ACKs, NAT and Via/Contact problems, transport issues.",
       {kPcapFile, {"call_id", "The Call-ID of a failing call to follow.", {}}},
       std::string(PromptText("sip_troubleshooting_analysis")),
       SipCallFocus},
      {"sip_forensic_investigation",
       "sip",
       "SIP forensic investigation",
       "Reconstruct who called whom, when, from where and with what outcome, per Call-ID and "
       "CSeq, with user agents, identities and stated uncertainty.",
       {kPcapFile,
        {"call_id", "The Call-ID of a call of interest.", {}},
        {"user", "A SIP user or extension of interest, e.g. 1001 or alice@example.com.", {}}},
       std::string(PromptText("sip_forensic_investigation")),
       SipCallFocus},
      {"tcp_connection_troubleshooting",
       "tcp",
       "TCP connection troubleshooting",
       "Find why TCP connections fail, reset or crawl: conn_state and history, anomalies with "
       "diagnoses, retransmission rates, direction asymmetry and who resets.",
       {kPcapFile,
        {"server_ip", "The server the connections go to.", {}},
        {"server_port", "The service port, e.g. 443.", {}}},
       std::string(PromptText("tcp_connection_troubleshooting")),
       TcpServerFocus},
      {"tcp_security_analysis",
       "tcp",
       "TCP security analysis",
       "Detect TCP-level threats: port scans, SYN floods, injected or firewall resets, "
       "hijacking signs, exfiltration and beaconing.",
       {kPcapFile,
        {"server_ip", "A host to concentrate on (target or suspect).", {}},
        {"focus",
         "The threat to examine first: scanning, syn_flood, resets, exfiltration or all "
         "(default).",
         {"scanning", "syn_flood", "resets", "exfiltration", "all"}}},
       std::string(PromptText("tcp_security_analysis")),
       TcpThreatFocus},
      {"payload_database_analysis",
       "payload",
       "Database traffic analysis",
       "Analyse MySQL, PostgreSQL, Redis and MongoDB traffic: query mix, slow and repeated "
       "queries, errors, injection and credential exposure, connection behaviour.",
       {kPcapFile,
        {"protocol",
         "The database protocol: auto (default), mysql, postgresql, redis or mongodb.",
         {"auto", "mysql", "postgresql", "redis", "mongodb"}},
        {"port", "The database port, when it is not the standard one, e.g. 13306.", {}}},
       std::string(PromptText("payload_database_analysis")),
       PayloadPortFocus},
      {"payload_security_analysis",
       "payload",
       "Payload security analysis",
       "Inspect reassembled payloads for exposed credentials and tokens, injection attempts, "
       "protocols on unexpected ports and suspicious flows.",
       {kPcapFile, {"port", "Only flows with this port at one end, e.g. 80.", {}}},
       std::string(PromptText("payload_security_analysis")),
       PayloadPortFocus},
      {"payload_encryption_analysis",
       "payload",
       "Encryption audit",
       "Audit encryption on the wire: share of encrypted traffic, TLS versions, cipher suites, "
       "SNI and ALPN, and sensitive protocols in clear text.",
       {kPcapFile, {"port", "Only flows with this port at one end, e.g. 443.", {}}},
       std::string(PromptText("payload_encryption_analysis")),
       PayloadPortFocus},
  };
  return *catalog;
}

}  // namespace mcpcap
