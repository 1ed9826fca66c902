// The texts of the prompt catalogue. Result keys named here are the proto's field names.
#include "absl/strings/str_cat.h"
#include "backend/service/prompt_catalog.h"

namespace mcpcap {
namespace {

std::string Get(const PromptArgs& args, const char* key) {
  auto it = args.find(key);
  return it == args.end() ? "" : it->second;
}

const PromptArgumentSpec kPcapFile{
    "pcap_file",
    "The capture to analyse: a local path, an http(s) URL or an upload:// handle. Optional: "
    "without it the model uses the capture named in the conversation or asks for one.",
    {}};

// ---------------------------------------------------------------------------------------------
// DNS

std::string DnsDomainFocus(const PromptArgs& args) {
  const std::string domain = Get(args, "domain");
  if (domain.empty()) return "";
  return absl::StrCat(
      "Focus: names at or under `", domain,
      "`. The DNS tool has no name filter (BPF cannot match names), so read "
      "`statistics.top_queried_names`, `statistics.top_nxdomain_names` and the `packets` "
      "listing (`questions[].name`), raising `max_results` until the listing is not truncated. "
      "Report every client that asked for these names, what was answered, and when.");
}

constexpr char kDnsSecurity[] =
    R"txt(You are a network security analyst examining DNS traffic for signs of compromise, covert channels and reconnaissance.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: capture span (`first_packet_time_utc`, `last_packet_time_utc`, `capture_duration_seconds`), `packet_count`, `cut_short`. Rates below depend on the duration.
2. `analyze_dns_packets(pcap_file="{{file}}", max_results=500)`. Read `security_indicators` first: each Finding has `indicator` (e.g. dns_tunnelling_suspected, dns_dga_suspected, dns_nxdomain_burst, dns_unusual_record_types, dns_non_standard_port), `severity`, `confidence`, `evidence`, `example_packets` and `recommendation`. Then verify each against the statistics rather than repeating it.
3. Tunnelling and exfiltration: many distinct subdomains under one parent domain, labels longer than about 50 characters or with base32/base64/hex alphabets, a high share of TXT, NULL, CNAME or MX queries (`statistics.query_types`), and a steady query rate from one client (`statistics.top_clients`). Hundreds of unique names under one domain within minutes is a strong signal.
4. DGA and malware: a high NXDOMAIN share (`statistics.response_codes`, above about 20-30% from one client is abnormal), random-looking names in `statistics.top_nxdomain_names`, bursts of failed lookups followed by one success (the C2 domain that resolved).
5. Evasion and rogue resolvers: queries to servers other than the site's resolvers (`statistics.top_servers`), DNS on non-standard ports (`packets[].non_standard_port`), mDNS/LLMNR (`statistics.variants`) answered by unexpected hosts (poisoning on the LAN).
6. Poisoning and spoofing: `statistics.responses_without_query`, several responses for one query with different answers, public names answered with private addresses (DNS rebinding), very short TTLs with changing A records (fast flux).
7. Reconnaissance: PTR sweeps over an address range, AXFR/IXFR or ANY queries (`statistics.query_types`), zone transfers over TCP (`statistics.transports`).
8. Pivot: for each suspicious name, take the addresses in `packets[].answers[]` and call `analyze_tcp_connections(pcap_file="{{file}}", server_ip=<address>)` to see whether the client then connected, and how much it sent. DNS over HTTPS or TLS hides queries: `detect_protocols(pcap_file="{{file}}")` shows TLS on port 853 or to well-known DoH resolvers.

Rate each finding by how many packets and clients support it; a single odd name is low confidence, a sustained pattern from one host is high.)txt";

constexpr char kDnsTroubleshooting[] =
    R"txt(You are a network engineer troubleshooting name resolution: slow or failing lookups, misbehaving resolvers, client configuration.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: duration and packet count, so that rates and retry intervals make sense.
2. `analyze_dns_packets(pcap_file="{{file}}")` (add a `bpf_filter` when a focus is given above).
3. Latency: `statistics.latency` (`median_ms`, `p95_ms`, `max_ms`). A LAN resolver answers in a few ms; a median above about 50-100 ms or a p95 above 500 ms means an overloaded resolver or slow upstream forwarding. Compare resolvers by re-running with `bpf_filter="host <resolver>"`. Outliers: `packets[].response_time_ms`.
4. Loss and timeouts: `statistics.unanswered_queries` against `statistics.queries`, the `unanswered_queries` list (frame numbers), and `statistics.retransmitted_queries`. Retries about 1, 2 or 5 s apart are client timeouts; more than 1-2% unanswered is a real problem.
5. Answers: `statistics.response_codes`. SERVFAIL = upstream or DNSSEC validation failure; REFUSED = the resolver's ACL or recursion disabled for this client; NXDOMAIN for internal names = wrong search domain or a missing record (look for doubled suffixes such as host.corp.example.com.corp.example.com in `statistics.top_nxdomain_names`); NOERROR with no answers = the record type does not exist (often AAAA).
6. Truncation and size: `statistics.truncated_responses` and `packets[].flags.truncated` mean the client must retry over TCP (`statistics.transports`); no TCP/53 afterwards points to a firewall blocking it. Large EDNS answers (`packets[].edns.udp_payload_size`) that never arrive suggest fragments dropped on the path.
7. Which resolvers are used: `statistics.top_servers` against the intended configuration; clients talking to an old or external resolver reveal DHCP or VPN misconfiguration (check with `analyze_dhcp_packets`, `packets[].dns_servers`).
8. Unreachable resolvers: `analyze_icmp_packets(pcap_file="{{file}}")`, `statistics.unreachable_details` with port 53 means nothing listens there; DNS over TCP problems: `analyze_tcp_connections(pcap_file="{{file}}", server_port=53)` and its `conn_state`.

Give the most likely root cause with its evidence, the alternatives you ruled out and why, and the fix (resolver, firewall, DHCP option or client setting).)txt";

constexpr char kDnsForensics[] =
    R"txt(You are a digital forensics investigator reconstructing DNS activity for an incident record that may be used in legal or disciplinary proceedings. Accuracy and traceability matter more than speed.
{{focus}}
Steps:
1. Evidence integrity: `analyze_capinfos(pcap_file="{{file}}", hashes="all")`. Record `sha256`, `sha1`, `ripemd160`, `file_size_bytes`, `file_type`, the capture span (`first_packet_time_utc`, `last_packet_time_utc`), `capture_hardware`, `capture_os`, `capture_application` and `capture_comments`, and whether `strict_time_order` holds (out-of-order timestamps weaken a timeline).
2. `analyze_dns_packets(pcap_file="{{file}}", max_results=1000)`; narrow to the subject with `bpf_filter` (see the focus above) when the capture is large.
3. Timeline: for each name of interest, the first and last query (`packets[].timestamp`, `packet_number`), who asked (`source_ip`), which resolver answered, the answer (`answers[]`: `address`, `cname`, `data`, `ttl`) and the `rcode_name`. Keep times in UTC as the tool gives them.
4. Indicators: `security_indicators` (tunnelling, DGA, NXDOMAIN bursts, unusual types) with their `example_packets`; names that look machine-generated; TXT records carrying data.
5. Corroboration: for addresses returned for suspicious names, `analyze_tcp_connections(pcap_file="{{file}}", server_ip=<address>)` shows whether a connection followed, when (`start_time`), and how many bytes left the client (`client_to_server.bytes`).
6. Attribution limits: an IP address is not a person; NAT, shared resolvers (all queries appear to come from the resolver), DHCP reassignment (`analyze_dhcp_packets` maps MAC to IP over time), and encrypted DNS (DoH/DoT, invisible here) all limit what can be said.

Write the report as an evidence record: file identity and hashes, scope (span, filters used, tool limits hit), a chronological table (UTC time, frame number, source, destination, query, answer), findings each tied to frames, and an explicit section on what cannot be concluded from this capture.)txt";

// ---------------------------------------------------------------------------------------------
// DHCP

std::string DhcpClientFocus(const PromptArgs& args) {
  const std::string mac = Get(args, "client_mac");
  if (mac.empty()) return "";
  return absl::StrCat("Focus: the client with MAC address ", mac,
                      ". Pass `bpf_filter=\"ether host ", mac,
                      "\"` to `analyze_dhcp_packets` (server answers sent to this MAC are kept; "
                      "broadcast replies may need the unfiltered run), and report its "
                      "transactions, addresses and lease times in order.");
}

std::string DhcpServerFocus(const PromptArgs& args) {
  const std::string server = Get(args, "expected_server");
  if (server.empty()) return "";
  return absl::StrCat("The legitimate DHCP server is ", server,
                      ". Any other `server_id` or source address that offers or acknowledges "
                      "leases in `statistics.servers` is a rogue-server candidate; compare its "
                      "`mac`, offers and acks, and the options it hands out.");
}

constexpr char kDhcpNetwork[] =
    R"txt(You are a network administrator reviewing DHCP health: are clients getting addresses, quickly, from the right server, with the right options?
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")` for the capture span.
2. `analyze_dhcp_packets(pcap_file="{{file}}")`.
3. Outcomes: `statistics.transactions[]` with `outcome` ("acknowledged", "nak", "declined", "no_offer", "offered_not_requested", "released") and `duration_ms`. Count them. "no_offer" = DISCOVERs unanswered (server down, relay/ip helper missing, VLAN problem, pool exhausted); "nak" = the client asked for an address not valid here (moved subnet, stale lease, two servers disagreeing); "declined" = the client found the offered address already in use (a static IP conflict); a transaction longer than about 1 s is slow, several seconds means retries (rising `secs` in `packets[]`).
4. Servers: `statistics.servers[]` (`server_id`, `mac`, `offers`, `acks`, `naks`). More than one server answering the same clients is either a failover pair or a rogue; check that their options agree.
5. Options handed out (`packets[]` of OFFER/ACK): `subnet_mask`, `routers`, `dns_servers`, `lease_time`, `renewal_time`, `rebinding_time`, and the full decoded `options[]`. Short leases (under an hour) on a busy network mean churn; wrong gateway or DNS options break clients that did get an address.
6. Pool use: distinct `acknowledged_ip` values and how close they run to the end of the scope; many clients in "no_offer" while others renew suggests exhaustion.
7. Clients: `statistics.clients[]` (`mac`, `hostname`, `vendor_class`, `addresses`); `relay_ip` in packets shows relayed segments; DHCPv6 appears with `version`.
8. Downstream checks when an address was obtained but clients still fail: `analyze_dns_packets` with `bpf_filter="host <client address>"` and `analyze_icmp_packets` for the gateway.

Give a health summary (success rate, typical and worst time to lease), each problem with the transactions behind it (transaction id, client MAC, frame numbers) and the configuration change that fixes it.)txt";

constexpr char kDhcpSecurity[] =
    R"txt(You are a network security analyst looking for DHCP attacks: rogue servers, starvation, spoofing, and malicious option values.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: span and rates.
2. `analyze_dhcp_packets(pcap_file="{{file}}", max_results=1000)`. Read `security_indicators` first, then check each against the data.
3. Rogue servers: `statistics.unique_servers_count` above the expected number, `statistics.servers[]` with an unknown `server_id` or `mac`, OFFERs whose `routers` or `dns_servers` point to an unexpected host (a man-in-the-middle sets itself as gateway or resolver), and servers that answer faster than the real one. Name the rogue's MAC and IP and the clients that accepted it (`outcome` "acknowledged" with its `server_id`).
4. Starvation: a burst of DISCOVERs from many distinct `client_mac` values (dozens per minute or more), especially locally administered or sequential MACs, with few REQUESTs, followed by "no_offer" for real clients. Count MACs per minute from `packets[]` timestamps.
5. Spoofing and disruption: NAKs or ACKs from a non-server, DHCPRELEASE or DECLINE sent for other clients' addresses (`message_type`, source MAC against `client_mac`), one MAC requesting many addresses.
6. Malicious or odd option values: overlong or shell-like `hostname` values, `vendor_class` strings of attack tools, WPAD or proxy options (252) and classless static routes (121) that redirect traffic, unusual `parameter_request_list` patterns; `packets[].anomalies` for malformed options.
7. Impact: if a rogue handed out a DNS server, `analyze_dns_packets(pcap_file="{{file}}", bpf_filter="host <that server>")` shows whether clients used it; `analyze_tcp_connections` with `server_ip` set to a rogue gateway shows traffic through it.

Rate each finding by the number of transactions and clients involved, say whether the pattern could be benign (failover servers, lab equipment, PXE), and recommend controls (DHCP snooping, port security, rate limits).)txt";

constexpr char kDhcpForensics[] =
    R"txt(You are a forensic investigator using DHCP to attribute network addresses to devices over time.
{{focus}}
Steps:
1. Evidence integrity: `analyze_capinfos(pcap_file="{{file}}", hashes="all")`; record hashes, file type and the capture span.
2. `analyze_dhcp_packets(pcap_file="{{file}}", max_results=1000)`.
3. Transaction timeline: for each `statistics.transactions[]` entry, its `steps[]` (message type, frame number, UTC timestamp), `outcome`, `acknowledged_ip`, `lease_time` and `server_id`. A lease runs from the ACK's timestamp for `lease_time` seconds unless released or renewed.
4. Address-to-device mapping: from `statistics.clients[]` (`mac`, `hostname`, `vendor_class`, `addresses`), build a table of IP address, MAC, hostname and the time range each binding held. Note `client_id` values and hostnames that change for one MAC.
5. Device fingerprinting: `vendor_class` and the `parameter_request_list` order identify operating systems and device families; the MAC's OUI names the vendor unless the address is locally administered (randomised MACs on modern phones and laptops weaken attribution).
6. Topology: `relay_ip` shows which segment a client sat on; several `server_id` values show the DHCP infrastructure; routers and DNS servers handed out show what a client would have used.
7. Pivot: with an address and its time range, `analyze_dns_packets` and `analyze_tcp_connections` with `bpf_filter="host <address>"` show what that device did during its lease.

Write an evidence record: file identity and hashes, the binding table with frame references, the timeline, and a clear statement of attribution limits (MAC spoofing and randomisation, leases obtained before the capture started, devices with static addresses that never use DHCP).)txt";

// ---------------------------------------------------------------------------------------------
// ICMP

std::string IcmpTargetFocus(const PromptArgs& args) {
  const std::string target = Get(args, "target_ip");
  if (target.empty()) return "";
  return absl::StrCat("Focus: reachability of ", target,
                      ". Pass `bpf_filter=\"(icmp or icmp6) and host ", target,
                      "\"` to `analyze_icmp_packets`; errors that quote traffic to ", target,
                      " come from routers and may need the unfiltered run (read `quoted.dst_ip`).");
}

std::string IcmpHostFocus(const PromptArgs& args) {
  const std::string host = Get(args, "host_ip");
  if (host.empty()) return "";
  return absl::StrCat("Focus: the host ", host, ". Use `bpf_filter=\"host ", host,
                      "\"` for a first pass, then the unfiltered capture for errors that quote "
                      "its traffic (`packets[].quoted`).");
}

std::string IcmpThreatFocus(const PromptArgs& args) {
  const std::string focus = Get(args, "focus");
  if (focus.empty() || focus == "all") return "";
  return absl::StrCat("Focus on ", focus,
                      " first (the matching step below); cover the other threats briefly.");
}

constexpr char kIcmpDiagnostics[] =
    R"txt(You are a network engineer diagnosing reachability, latency and path problems from ICMP and ICMPv6.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`.
2. `analyze_icmp_packets(pcap_file="{{file}}")`.
3. Ping results: `statistics.echo_pairs[]` per source, destination and identifier: `requests`, `replies`, `loss_percent`, `rtt` (`median_ms`, `p95_ms`, `max_ms`). Loss above about 1% is worth reporting, above 5% is serious; a p95 far above the median is jitter or queueing; a constant high RTT is distance or a slow path.
4. Unreachables: `statistics.unreachable_details[]` gives the real target from the quoted packet (`destination`, `protocol`, `port`), the `reason`, `count` and `reported_by` (the router or host that said so). Net/host unreachable = routing or the host is down (ARP fails on the last hop); port unreachable = nothing listens on that UDP port; administratively prohibited = a firewall ACL; fragmentation needed (`packets[].mtu`) = a smaller MTU on the path, and if large TCP segments then stall, a PMTUD black hole.
5. Time exceeded: routing loops (the same routers repeating, TTL running out) or traceroute. `statistics.traceroutes[]`: `hops[]` with `router`, `rtt_ms`, `probes`; where the RTT jumps and stays high is the slow link; silent hops are normal filtering; `reached` false means the path ends before the destination.
6. Redirects (`packets[].redirect_gateway`): hosts told to use another gateway, a sign of suboptimal routing or misconfigured hosts.
7. TTL of replies (`packets[].ttl`) hints at the responder's OS and distance (initial 64 Linux/macOS, 128 Windows, 255 network gear).
8. Confirm with TCP when the user's problem is an application: `analyze_tcp_connections(pcap_file="{{file}}", server_ip=<target>)` (S0 or REJ `conn_state` next to ICMP errors for the same target).

State which hosts are reachable and how well (loss, RTT), where on the path problems start (router addresses and hop numbers), and the likely cause with the frames that show it.)txt";

constexpr char kIcmpSecurity[] =
    R"txt(You are a security analyst looking for ICMP abuse: reconnaissance, covert channels, floods and route manipulation.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: the duration turns counts into rates.
2. `analyze_icmp_packets(pcap_file="{{file}}", max_results=1000)`. Start from `security_indicators` (e.g. icmp_ping_sweep, icmp_tunnelling_suspected, icmp_flood, icmp_large_echo_payload, icmp_redirect) and verify each.
3. Sweeps (focus "sweep"): one source sending echo requests to many destinations (`statistics.echo_pairs[]` grouped by `source`, `statistics.unique_destinations_count`), sequential target addresses, timestamp or address-mask requests (`statistics.icmp_type_counts`) used for OS fingerprinting; the replies tell the scanner which hosts are alive.
4. Tunnelling (focus "tunnelling"): echo payloads larger than the usual 32-56 bytes or varying in size (`packets[].payload_size`), long-lived echo sessions at a steady rate between the same pair, replies whose size differs from the request, ICMP to external hosts from servers that never ping. Tools such as ptunnel or icmpsh leave exactly these marks.
5. Floods (focus "flood"): echo rate per second from one source or to one victim, many sources to one target, echo requests to broadcast addresses answered by many hosts (smurf), floods of unreachables or time-exceeded aimed at one host.
6. Route manipulation (focus "redirect"): redirects (`packets[].redirect_gateway`) from hosts that are not the gateway; in ICMPv6, router advertisements or neighbour advertisements from unexpected hosts (rogue RA, spoofed NA) in `statistics.icmp_type_counts`.
7. Error-based probing: unreachables that quote traffic the host never sent (`packets[].quoted`), used in blind connection-reset attacks or firewalking.
8. Pivot: for a suspected tunnel or scanner, `analyze_tcp_connections(pcap_file="{{file}}", bpf_filter="host <address>")` shows what else it did.

Separate monitoring and normal diagnostics (a few pings, traceroutes) from abuse; give rates, sources, targets and frame numbers for every claim.)txt";

constexpr char kIcmpForensics[] =
    R"txt(You are a forensic investigator reconstructing ICMP activity: who probed what, which paths existed, and what the errors reveal about other traffic.
{{focus}}
Steps:
1. Evidence integrity: `analyze_capinfos(pcap_file="{{file}}", hashes="all")`: hashes, span, capture environment.
2. `analyze_icmp_packets(pcap_file="{{file}}", max_results=1000)`.
3. Timeline per source: first and last ICMP packet (`packets[].timestamp`, `packet_number`), types sent (`icmp_type_name`), targets, and whether they answered (`response_in`, `rtt_ms`).
4. Reconnaissance scope: for each probing source, the list of probed addresses, which answered (alive) and which did not; sweeps and traceroutes (`statistics.traceroutes[]`) show what the actor learnt about the network.
5. Path mapping: traceroute hops (`router`, hop number, `rtt_ms`) and routers that sent errors (`reported_by`) reconstruct the topology at capture time.
6. What the errors reveal: each ICMP error quotes the packet that failed (`packets[].quoted`: `src_ip`, `dst_ip`, `protocol`, ports, `probe_packet_number`), which documents connection attempts even when the original packets are not in the capture.
7. Covert use: `security_indicators` for tunnelling or large payloads; note payload sizes and timing.

Write an evidence record: file identity and hashes, chronological table with frame numbers and UTC times, the reconstructed paths, the scope of any reconnaissance, and what cannot be concluded (spoofed sources, asymmetric routing, capture point).)txt";

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
                       "`. Find it in `calls[]` (`call_id`) and follow its messages in "
                       "`packets[]` by `call_id`; raise `max_results` if it is not listed.");
  }
  if (!user.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : "\n", "Focus: the SIP user or extension `", user,
                    "`: calls and registrations whose `from`, `to`, `contact` or "
                    "`request_uri` contain it.");
  }
  return out;
}

constexpr char kSipSecurity[] =
    R"txt(You are a VoIP security analyst looking for attacks on SIP: scanning, registration brute force, toll fraud, and information leaks.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: span, to turn counts into rates.
2. `analyze_sip_packets(pcap_file="{{file}}", max_results=1000)`. Start from `security_indicators` (e.g. sip_scan, sip_options_sweep, sip_extension_enumeration, sip_register_bruteforce, sip_scanner_user_agent, sip_toll_fraud_suspected, sip_topology_leak, sip_version_disclosure) and verify each.
3. Scanning (focus "scanning"): OPTIONS or INVITE sent to many addresses or extensions from one source, scanner user agents in `statistics.user_agents` (friendly-scanner, sipvicious, sipcli, sundayddr and similar), `request_uri` walking through extensions (100, 101, 102 ...), answered 404 versus 401/407 (the difference tells an attacker which extensions exist).
4. Registration attacks (focus "registration"): REGISTER from one source answered with many 401/403 (`statistics.status_codes`, `calls[]` with method REGISTER and `final_status_code`), different usernames in `from` (enumeration) or the same one many times (password guessing); a 200 after many failures means a cracked account.
5. Toll fraud (focus "toll_fraud"): INVITEs to international or premium prefixes (00, 011, +) in `request_uri` or `to`, from unknown sources or at unusual hours, especially if answered 200 (`calls[].outcome` "completed", `duration_seconds`).
6. Leaks: `statistics.user_agents` and `statistics.servers` with versions (check them against known vulnerabilities), private addresses in `via`/`vias` and `contact` revealing internal topology.
7. Transport security: `statistics.transports` and `statistics.encrypted_packets`; SIP over UDP/TCP 5060 exposes credentials digests and call metadata; TLS on 5061 hides them (and then little here can be judged).

For each finding give the source addresses, targets, counts over time, frame numbers, whether an attack succeeded, and the control to apply (fail2ban-style rate limits, ACLs, strong secrets, dial-plan restrictions on international routes).)txt";

constexpr char kSipTroubleshooting[] =
    R"txt(You are a VoIP engineer troubleshooting SIP signalling: failed or dropped calls, registration problems, NAT traversal.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`.
2. `analyze_sip_packets(pcap_file="{{file}}")`.
3. Calls: `calls[]` with `sequence` (e.g. INVITE, 100, 180, 200, ACK, BYE, 200), `outcome`, `final_status_code`, `duration_seconds`. Group by outcome and by final status.
4. Failure codes (`statistics.status_codes`, `statistics.response_classes`): 401/407 = authentication challenge (normal once, a problem if it repeats), 403 forbidden (credentials or ACL), 404 unknown user or dial-plan gap, 408 request timeout (the far end never answered), 480 temporarily unavailable (not registered), 486 busy, 487 terminated by CANCEL, 488 codec or SDP mismatch, 5xx server or trunk failure (503 overload or trunk down), 6xx global decline.
5. Timing and loss: the same request with the same `cseq` repeated at 0.5, 1, 2, 4 s is a SIP retransmission (Timer A/E), meaning responses are lost; a call that ends about 32 s after the 200 OK usually lacks the ACK (Timer H/B), typically because the `contact` address is unreachable behind NAT.
6. NAT and addressing: private addresses in `contact`, `via`/`vias` or the SDP connection line while packets arrive from a public source point to NAT problems (one-way audio, dropped calls); check `rport`/`received` in `headers`.
7. Transport: large INVITEs over UDP (above about 1300 bytes) can be fragmented and lost, consider TCP; `statistics.transports`; `packets[].problems` for malformed messages.
8. Registration: REGISTER transactions in `calls[]` (`outcome` "registration"), the Expires value in `headers`, re-registration intervals; endpoints that stop registering.
9. Network checks: `analyze_icmp_packets(pcap_file="{{file}}")` for unreachables quoting port 5060 (`statistics.unreachable_details`), and `analyze_tcp_connections(pcap_file="{{file}}", server_port=5060)` for SIP over TCP.

Give, per problem call, the ladder of messages with frame numbers, where it went wrong and why, and the fix.)txt";

constexpr char kSipForensics[] =
    R"txt(You are a forensic investigator reconstructing SIP activity: who called whom, when, from where, and with what outcome.
{{focus}}
Steps:
1. Evidence integrity: `analyze_capinfos(pcap_file="{{file}}", hashes="all")`: hashes and capture span.
2. `analyze_sip_packets(pcap_file="{{file}}", max_results=1000)`.
3. Per Call-ID (`calls[]`): `from`, `to`, `method`, the `sequence` of requests and responses, `outcome`, `final_status_code`, first and last frame (`first_packet`, `last_packet`) and `duration_seconds` (signalling duration, not necessarily talk time).
4. Per message (`packets[]` by `call_id` and `cseq`): UTC `timestamp`, `source_ip`/`destination_ip`, `request_uri`, `contact`, `user_agent`, `vias` (the hops the request took), and identity headers in `headers` (P-Asserted-Identity, Remote-Party-ID, Authorization user names).
5. Endpoints and devices: `statistics.user_agents`, `statistics.servers`, source addresses; registrations binding users to addresses at given times.
6. Failed and suspicious activity: failed calls and registrations, unusual destinations, bursts; `security_indicators`.
7. What is missing: media (RTP) is not analysed here; SIP over TLS cannot be read; headers such as From are set by the caller and can be spoofed.

Write an evidence record: file identity and hashes, a table of calls (UTC start, Call-ID, from, to, outcome, frames), a message-level timeline for calls of interest, and an explicit statement of uncertainty for every attribution.)txt";

// ---------------------------------------------------------------------------------------------
// TCP

std::string TcpServerFocus(const PromptArgs& args) {
  const std::string ip = Get(args, "server_ip");
  const std::string port = Get(args, "server_port");
  if (ip.empty() && port.empty()) {
    return "No server was named: start without filters, then pick the servers with the most "
           "failed handshakes or resets (`summary`, `connections[]`) and repeat the steps with "
           "`server_ip` (and `server_port`) set to them.";
  }
  std::string args_text;
  if (!ip.empty()) args_text = absl::StrCat("server_ip=\"", ip, "\"");
  if (!port.empty()) {
    absl::StrAppend(&args_text, args_text.empty() ? "" : ", ", "server_port=", port);
  }
  return absl::StrCat("Focus: the server ", ip.empty() ? "" : ip, port.empty() ? "" : ":", port,
                      ". Pass `", args_text,
                      "` to every TCP tool below (`analyze_traffic_flow` needs `server_ip`).");
}

std::string TcpThreatFocus(const PromptArgs& args) {
  std::string out;
  const std::string ip = Get(args, "server_ip");
  const std::string focus = Get(args, "focus");
  if (!ip.empty()) {
    out = absl::StrCat("Focus: traffic to and from ", ip, ". Pass `server_ip=\"", ip,
                       "\"` to the TCP tools and `bpf_filter=\"host ", ip, "\"` to the others.");
  }
  if (!focus.empty() && focus != "all") {
    absl::StrAppend(&out, out.empty() ? "" : "\n", "Focus on ", focus,
                    " first (the matching step below); cover the other threats briefly.");
  }
  return out;
}

constexpr char kTcpTroubleshooting[] =
    R"txt(You are a network engineer troubleshooting TCP connections: failures to connect, resets, slowness, stalls.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: span, packet count, and `packet_size_limit` (a small snaplen hides payloads but not TCP headers).
2. `analyze_tcp_connections(pcap_file="{{file}}", detailed=true)` with the focus filters. Read `summary.conn_states` and each connection's Zeek-style `conn_state` and `history`:
   - S0: SYN never answered (host down, filtered, wrong route); REJ: SYN answered by RST (nothing listens, or a firewall rejects); S1/SF: established / closed normally; RSTO/RSTR: reset by the originator / responder after it was established; RSTOS0, SH, SHR: half-open or odd closes; OTH: started before the capture (`role_source` "port_guess" means client and server are guessed).
   - `history`: upper case = client, lower case = server; S syn, H syn-ack, A ack, D data, F fin, R rst, T/t retransmission, W/w zero window (e.g. "ShADadFf" is a clean connection, "Sr" a refusal, "ShADadR" a client reset mid-transfer).
   - `handshake_rtt_ms` is the network round trip: the baseline for judging everything else. `close_reason`, `reset_by`, `duration_seconds`, and per direction `client_to_server` / `server_to_client` (`bytes`, `retransmissions`, `zero_windows`, `mss`, `window_scale`).
3. `analyze_tcp_anomalies(pcap_file="{{file}}")` with the same filters: `diagnoses[]` (each with `confidence`, `evidence`, `example_packets`, `recommendation`), `events[]` by `kind` (retransmission, fast_retransmission, spurious_retransmission, duplicate_ack, out_of_order, lost_segment, zero_window, window_full, keep_alive), `rst_patterns` (`refused_connections`, `mid_stream_resets`, `from_client`, `from_server`, `rst_with_data`, `by_source`), `syn_unanswered` and `syn_retried` (SYN retries 1 s then 2-3 s apart: filtered or overloaded listener).
4. `analyze_tcp_retransmissions(pcap_file="{{file}}", threshold=0.02)`: `retransmission_rate`, `exceeds_threshold`, `by_connection[]` (`retrans_rate`, `fast_retransmissions`, `spurious_retransmissions`), `summary.worst_connection`. Above 1-2% throughput suffers; above 5% users notice; many spurious retransmissions mean delay spikes or an aggressive RTO rather than loss.
5. `analyze_traffic_flow(pcap_file="{{file}}", server_ip=<server>)`: per direction counts, `analysis.asymmetry_ratio`, `byte_asymmetry_ratio`, `primary_rst_source`, `data_flow_direction`, and the plain `interpretation`.
6. Read the patterns: zero windows advertised by one side = that side's application is not reading (a slow consumer, not the network); window_full = sender limited by the peer's window; retransmissions with duplicate ACKs = loss on the path; a handshake that works but large segments are retransmitted again and again = an MTU black hole (confirm with `analyze_icmp_packets`, fragmentation needed and `mtu`); resets from the server right after the request = application rejecting it; RSTs whose timing or source does not fit the server (`rst_patterns.by_source`) = a firewall or load balancer killing idle or policy-violating connections.

Rank root-cause hypotheses with confidence and the frames that support or weaken each, then give the next measurement (a capture at the other end, server logs, MTU test).)txt";

constexpr char kTcpSecurity[] =
    R"txt(You are a security analyst examining TCP traffic for scanning, denial of service, injected resets, hijacking and exfiltration.
{{focus}}
Steps:
1. `analyze_capinfos(pcap_file="{{file}}")`: span (rates), packet count.
2. `analyze_tcp_connections(pcap_file="{{file}}", detailed=true, max_results=2000)`: `summary.conn_states` and `connections[]`.
3. Scanning (focus "scanning"): one client with many S0 or REJ connections (`conn_state`) to many ports of one host (vertical scan) or one port on many hosts (horizontal); `history` of just "S", "Sr" or odd flag combinations without a handshake (FIN, NULL or Xmas scans show as OTH or unusual histories); very short connections in quick succession. Count distinct targets per source from `connections[]`.
4. SYN floods (focus "syn_flood"): `analyze_tcp_anomalies(pcap_file="{{file}}")` with very high `syn_unanswered` and `syn_retried`, many sources (possibly spoofed) each sending few SYNs to one service, S0 and SH dominating `summary.conn_states`; the server's SYN-ACK retries show it is holding half-open state.
5. Resets (focus "resets"): `rst_patterns` (`by_source`, `mid_stream_resets`, `rst_with_data`); resets that arrive faster than the round trip allows or from a source whose behaviour differs from the real endpoint suggest injection by a middlebox (censorship, IPS) or an attacker; `diagnoses[]` explain firewall-like patterns.
6. Hijacking and desynchronisation: bursts of duplicate ACKs without loss (ACK storms), out-of-order segments that overlap data already acknowledged, unexpected resets on established sessions (`events[]` kinds with `example_packets`).
7. Exfiltration and C2 (focus "exfiltration"): connections where `client_to_server.bytes` far exceeds `server_to_client.bytes` towards external addresses, long `duration_seconds`, regular start times (beaconing: compare `start_time` of repeated connections to the same server), traffic on unusual ports. For such flows `analyze_traffic_flow(pcap_file="{{file}}", server_ip=<address>)` (`byte_asymmetry_ratio`, `data_flow_direction`) and `detect_protocols(pcap_file="{{file}}", port=<port>)` or `analyze_payload(pcap_file="{{file}}", port=<port>)` show what was carried (protocol, `encrypted`, `sni`, `security_findings`).

For each finding give the sources and targets, counts and rates, the frames, the confidence and the benign explanations considered (monitoring, load balancer health checks, backups), then the containment step.)txt";

// ---------------------------------------------------------------------------------------------
// Payload

std::string PayloadPortFocus(const PromptArgs& args) {
  std::string out;
  const std::string port = Get(args, "port");
  const std::string protocol = Get(args, "protocol");
  if (!port.empty()) {
    out = absl::StrCat("Focus: flows with port ", port, " at one end. Pass `port=", port,
                       "` to `detect_protocols`, `analyze_payload` and `extract_database_queries`, "
                       "and `server_port=",
                       port, "` to the TCP tools.");
  }
  if (!protocol.empty() && protocol != "auto") {
    absl::StrAppend(&out, out.empty() ? "" : "\n", "Focus: the ", protocol,
                    " protocol. Pass `protocol=\"", protocol,
                    "\"` to `extract_database_queries` and `analyze_payload`, which then parse "
                    "matching flows as ",
                    protocol, " even on non-standard ports.");
  }
  return out;
}

constexpr char kPayloadDatabase[] =
    R"txt(You are a database performance and security engineer reading database traffic (MySQL, PostgreSQL, Redis, MongoDB) from a capture.
{{focus}}
Steps:
1. `detect_protocols(pcap_file="{{file}}")`: `protocols[]` (flows, packets, bytes, `encrypted`) and `flows[]` (`protocol`, `confidence`, `detected_by`). Encrypted database sessions (TLS) cannot be read: say so and analyse only their TCP behaviour.
2. `extract_database_queries(pcap_file="{{file}}")` (with `protocol` and `port` from the focus when given): `total_queries`, `by_protocol`, `by_query_type`, `errors`, and `queries[]` with `query`, `query_type`, `status` ("ok", "error", "no_response"), `error_code`, `error_message`, `rows`, `affected_rows`, `latency_ms`, `database`, `user`, and the frames (`packet_number`, `response_packet`).
3. Performance: `slowest[]` and queries with `latency_ms` above about 100 ms for OLTP (above 1 s anywhere is worth a look); `most_frequent[]` repeating the same statement many times (N+1 patterns, missing caching); `no_response` queries (timeouts, killed sessions); large `rows` counts (missing LIMIT, over-fetching).
4. Errors: group by `error_code`/`error_message` (syntax errors from the application, permission denied, deadlocks, duplicate keys, too many connections); each with an example frame.
5. Security: `security_findings` (SQL injection patterns such as tautologies, UNION SELECT, stacked queries, time-based sleeps; credentials or clear-text authentication); superuser or root logins from application hosts; Redis commands such as CONFIG, FLUSHALL or EVAL from unexpected clients. Show secrets redacted (first characters only).
6. Network side: `analyze_tcp_connections(pcap_file="{{file}}", server_port=<db port>)` for connection churn (many short connections: no pooling), resets and refused connections (`conn_state` REJ, RSTR), and `handshake_rtt_ms` to separate network latency from server time; `analyze_tcp_retransmissions(pcap_file="{{file}}", server_ip=<db server>)` when latency is erratic.

Report the workload profile (protocols, query mix, rates), the top performance problems with example queries and frames, errors, security concerns, and what the capture cannot show (server-side plans, encrypted sessions, queries outside the capture window).)txt";

constexpr char kPayloadSecurity[] =
    R"txt(You are an application security analyst inspecting reassembled payloads for exposed credentials, injection attempts and suspicious protocols.
{{focus}}
Steps:
1. `detect_protocols(pcap_file="{{file}}")`: which protocols run where. Flag protocols on unexpected ports (HTTP on high ports, TLS on 53, SSH on 443), and clear-text protocols carrying logins.
2. `analyze_payload(pcap_file="{{file}}", max_results=500)`: `flows[]` (`protocol`, `confidence`, `encrypted`, `tls_version`, `sni`, `messages[]` with `summary`, `ascii_preview`), `security_findings[]` and `encryption_advice[]`.
3. Credentials and tokens: HTTP Authorization (Basic credentials are only base64), cookies and bearer tokens, API keys in URLs, database logins and passwords, Redis AUTH. Name where each was seen (flow, frame) but show the secret redacted: never repeat a full password, token or key.
4. Injection and attacks: SQL injection in HTTP parameters or database queries (also run `extract_database_queries(pcap_file="{{file}}")` and read its `security_findings`), path traversal (../), command injection, scanner user agents, error responses (HTTP 5xx, database errors) that follow suspicious requests, which hints the attack reached the backend.
5. Suspicious flows: unknown protocols with high-entropy payloads on unusual ports, long-lived connections with periodic small messages (beaconing), large uploads to external hosts; `analyze_tcp_connections(pcap_file="{{file}}", server_ip=<address>)` for their timing and volume.
6. Encryption gaps: clear-text flows that carry sensitive data, and `encryption_advice` for each.

For each finding: the flow (client, server, protocol), frames, what was exposed or attempted, whether it appears to have succeeded, severity and confidence, and the fix (rotate the exposed secret, enforce TLS, input validation).)txt";

constexpr char kPayloadEncryption[] =
    R"txt(You are a security engineer auditing the use of encryption on the wire: what is protected, how well, and what travels in clear text.
{{focus}}
Steps:
1. `detect_protocols(pcap_file="{{file}}")`: `protocols[]` with `encrypted`, flows, packets and bytes. Compute the share of bytes and flows that is encrypted.
2. `analyze_payload(pcap_file="{{file}}", max_results=500)` (add `protocol="tls"` to look only at TLS): for each TLS flow `tls_version`, `cipher_suite`, `sni`, `alpn`; and `encryption_advice[]`.
3. TLS quality: TLS 1.0 and 1.1 are deprecated (high severity on anything sensitive); TLS 1.2 is acceptable with ECDHE key exchange and AEAD ciphers (GCM, CHACHA20_POLY1305); TLS 1.3 is preferred. Weak: RC4, 3DES, CBC with SHA-1 where avoidable, NULL, EXPORT or anonymous suites, and RSA key exchange (TLS_RSA_*, no forward secrecy).
4. SNI and ALPN: flows without SNI (IP-only clients, some malware), SNI values that do not match the service expected at that address, ALPN showing HTTP/2 versus HTTP/1.1.
5. Clear text: HTTP, FTP, Telnet, SMTP/IMAP/POP without STARTTLS, database protocols without TLS (MySQL, PostgreSQL, Redis, MongoDB), with the clients and servers involved; `analyze_payload` `messages[]` show whether credentials or personal data crossed in clear.
6. Downgrades and failures: handshakes that start and then reset (`analyze_tcp_connections(pcap_file="{{file}}", server_port=443)`, `conn_state` RSTO/RSTR right after the ClientHello), clients offering old versions, servers choosing weak suites.

Report an inventory (protocol, server, version, cipher, flows, bytes), the gaps ranked by risk, and the fix for each (disable versions or suites, enable TLS on the database, HSTS). Say what cannot be judged from the wire: certificate validity in TLS 1.3 (certificates are encrypted), key sizes not visible, and traffic already inside VPNs.)txt";

}  // namespace

const std::vector<PromptSpec>& PromptCatalog() {
  static const std::vector<PromptSpec>* catalog = new std::vector<PromptSpec>{
      {"security_analysis",
       "dns",
       "DNS security analysis",
       "Hunt for malicious DNS: tunnelling and exfiltration, DGA and C2 lookups, rogue resolvers, "
       "poisoning and reconnaissance, with evidence from analyze_dns_packets.",
       {kPcapFile,
        {"domain", "A domain to concentrate on, e.g. example.com (its subdomains included).", {}}},
       kDnsSecurity,
       DnsDomainFocus},
      {"network_troubleshooting",
       "dns",
       "DNS troubleshooting",
       "Diagnose slow or failing name resolution: resolver latency, timeouts and retries, "
       "SERVFAIL/REFUSED/NXDOMAIN causes, truncation and TCP fallback, resolver configuration.",
       {kPcapFile,
        {"server_ip", "The DNS resolver under suspicion; its traffic is analysed first.", {}},
        {"domain", "A name that fails or resolves slowly, e.g. intranet.example.com.", {}}},
       kDnsTroubleshooting,
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
       kDnsForensics,
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
       kDhcpNetwork,
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
       kDhcpSecurity,
       DhcpServerFocus},
      {"dhcp_forensic_investigation",
       "dhcp",
       "DHCP forensic investigation",
       "Attribute IP addresses to devices over time: transaction timeline, MAC/hostname/IP "
       "bindings with lease ranges, device fingerprints and topology, as evidence.",
       {kPcapFile, {"client_mac", "A device's MAC address to attribute and follow.", {}}},
       kDhcpForensics,
       DhcpClientFocus},
      {"icmp_network_diagnostics",
       "icmp",
       "ICMP network diagnostics",
       "Diagnose reachability and paths: ping loss and RTT, unreachable causes from the quoted "
       "packets, MTU problems, traceroute paths, redirects.",
       {kPcapFile, {"target_ip", "The host whose reachability is in question.", {}}},
       kIcmpDiagnostics,
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
       kIcmpSecurity,
       IcmpThreatFocus},
      {"icmp_forensic_investigation",
       "icmp",
       "ICMP forensic investigation",
       "Reconstruct ICMP activity as evidence: probing timeline and scope, path mapping, and the "
       "connection attempts revealed by quoted packets in ICMP errors.",
       {kPcapFile, {"host_ip", "The host under investigation.", {}}},
       kIcmpForensics,
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
       kSipSecurity,
       SipThreatFocus},
      {"sip_troubleshooting_analysis",
       "sip",
       "SIP troubleshooting",
       "Troubleshoot SIP calls and registrations: call ladders, failure codes, retransmissions, "
       "missing ACKs, NAT and Via/Contact problems, transport issues.",
       {kPcapFile, {"call_id", "The Call-ID of a failing call to follow.", {}}},
       kSipTroubleshooting,
       SipCallFocus},
      {"sip_forensic_investigation",
       "sip",
       "SIP forensic investigation",
       "Reconstruct who called whom, when, from where and with what outcome, per Call-ID and "
       "CSeq, with user agents, identities and stated uncertainty.",
       {kPcapFile,
        {"call_id", "The Call-ID of a call of interest.", {}},
        {"user", "A SIP user or extension of interest, e.g. 1001 or alice@example.com.", {}}},
       kSipForensics,
       SipCallFocus},
      {"tcp_connection_troubleshooting",
       "tcp",
       "TCP connection troubleshooting",
       "Find why TCP connections fail, reset or crawl: conn_state and history, anomalies with "
       "diagnoses, retransmission rates, direction asymmetry and who resets.",
       {kPcapFile,
        {"server_ip", "The server the connections go to.", {}},
        {"server_port", "The service port, e.g. 443.", {}}},
       kTcpTroubleshooting,
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
       kTcpSecurity,
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
       kPayloadDatabase,
       PayloadPortFocus},
      {"payload_security_analysis",
       "payload",
       "Payload security analysis",
       "Inspect reassembled payloads for exposed credentials and tokens, injection attempts, "
       "protocols on unexpected ports and suspicious flows.",
       {kPcapFile, {"port", "Only flows with this port at one end, e.g. 80.", {}}},
       kPayloadSecurity,
       PayloadPortFocus},
      {"payload_encryption_analysis",
       "payload",
       "Encryption audit",
       "Audit encryption on the wire: share of encrypted traffic, TLS versions, cipher suites, "
       "SNI and ALPN, and sensitive protocols in clear text.",
       {kPcapFile, {"port", "Only flows with this port at one end, e.g. 443.", {}}},
       kPayloadEncryption,
       PayloadPortFocus},
  };
  return *catalog;
}

}  // namespace mcpcap
