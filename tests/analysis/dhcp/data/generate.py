#!/usr/bin/python3
"""Writes the generated DHCP test captures beside itself (record.sh records the real ones).

bootp.pcap: plain BOOTP (no option 53) request and reply, the same request cut by the snap
length inside its header and inside its client hardware address, and a PXE proxyDHCP exchange
on port 4011.
dhcpv6_relay.pcap: DHCPv6 through a relay (RELAY-FORW/RELAY-REPL) with an address and a
delegated prefix, a NoAddrsAvail answer, RENEW, REBIND, CONFIRM, DECLINE and
INFORMATION-REQUEST, each answered by a REPLY.
Needs python3-scapy (apt-get install python3-scapy). Run: ./generate.py
"""
import os

from scapy.all import (BOOTP, DHCP, DHCP6_Advertise, DHCP6_Confirm, DHCP6_Decline,
                       DHCP6_InfoRequest, DHCP6_Rebind, DHCP6_RelayForward, DHCP6_RelayReply,
                       DHCP6_Renew, DHCP6_Reply, DHCP6_Request, DHCP6_Solicit, DHCP6OptClientId,
                       DHCP6OptDNSServers, DHCP6OptIA_NA, DHCP6OptIA_PD, DHCP6OptIAAddress,
                       DHCP6OptIAPrefix, DHCP6OptRelayMsg, DHCP6OptServerId, DHCP6OptStatusCode,
                       DUID_LL, DUID_LLT, IP, UDP, Ether, IPv6, wrpcap)

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_MAC, SERVER_MAC, RELAY_MAC = "02:00:00:00:01:0a", "02:00:00:00:01:01", "02:00:00:00:01:fe"
START = 1767225600.0  # 2026-01-01T00:00:00Z


def write(name, packets):
    for i, p in enumerate(packets):
        p.time = START + i * 0.01
    wrpcap(os.path.join(HERE, name), packets)


def chaddr(mac):
    return bytes.fromhex(mac.replace(":", "")) + bytes(10)


# --- BOOTP -----------------------------------------------------------------------------------
request = (Ether(src=CLIENT_MAC, dst="ff:ff:ff:ff:ff:ff") /
           IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67) /
           BOOTP(op=1, xid=0x1001, chaddr=chaddr(CLIENT_MAC), options=bytes(64)))
reply = (Ether(src=SERVER_MAC, dst=CLIENT_MAC) / IP(src="192.0.2.1", dst="192.0.2.50") /
         UDP(sport=67, dport=68) /
         BOOTP(op=2, xid=0x1001, chaddr=chaddr(CLIENT_MAC), yiaddr="192.0.2.50",
               siaddr="192.0.2.1", sname=b"bootserver", file=b"/boot/kernel", options=bytes(64)))
pxe = [Ether(src=CLIENT_MAC, dst=SERVER_MAC) / IP(src="192.0.2.50", dst="192.0.2.1") /
       UDP(sport=68, dport=4011) /
       BOOTP(op=1, xid=0x1002, chaddr=chaddr(CLIENT_MAC), ciaddr="192.0.2.50") /
       DHCP(options=[("message-type", "request"), ("vendor_class_id", b"PXEClient"), "end"]),
       Ether(src=SERVER_MAC, dst=CLIENT_MAC) / IP(src="192.0.2.1", dst="192.0.2.50") /
       UDP(sport=4011, dport=68) /
       BOOTP(op=2, xid=0x1002, chaddr=chaddr(CLIENT_MAC), file=b"pxelinux.0") /
       DHCP(options=[("message-type", "ack"), ("server_id", "192.0.2.1"),
                     ("vendor_class_id", b"PXEClient"), "end"])]
cut_header = request.copy()   # 14 + 20 + 8 + 100: inside the header, after chaddr
cut_chaddr = request.copy()   # 14 + 20 + 8 + 31: inside chaddr (tshark lists nothing)
packets = [request, reply, cut_header, cut_chaddr] + pxe
write("bootp.pcap", packets)
# Cut the two records after writing (scapy writes whole packets): caplen < wire length.
path = os.path.join(HERE, "bootp.pcap")
with open(path, "rb") as f:
    data = bytearray(f.read())
out, pos, index = data[:24], 24, 0
while pos < len(data):
    ts, us, incl, orig = (int.from_bytes(data[pos + i:pos + i + 4], "little") for i in (0, 4, 8, 12))
    body = data[pos + 16:pos + 16 + incl]
    keep = {2: 14 + 20 + 8 + 100, 3: 14 + 20 + 8 + 31}.get(index, incl)
    out += b"".join(v.to_bytes(4, "little") for v in (ts, us, keep, orig)) + body[:keep]
    pos += 16 + incl
    index += 1
with open(path, "wb") as f:
    f.write(out)

# --- DHCPv6 through a relay, and the rest of the message types ---------------------------------
CLIENT_LL, SERVER, RELAY = "fe80::aff:fe00:10a", "2001:db8:ffff::1", "2001:db8:1::fe"
client_duid = DHCP6OptClientId(duid=DUID_LLT(lladdr=CLIENT_MAC, timeval=800000000))
server_duid = DHCP6OptServerId(duid=DUID_LL(lladdr=SERVER_MAC))
ia_na = DHCP6OptIA_NA(iaid=1, T1=1800, T2=2880,
                      ianaopts=[DHCP6OptIAAddress(addr="2001:db8:1::100", preflft=3600,
                                                  validlft=7200)])
ia_pd = DHCP6OptIA_PD(iaid=2, T1=1800, T2=2880,
                      iapdopt=[DHCP6OptIAPrefix(prefix="2001:db8:100::", plen=56,
                                                preflft=3600, validlft=7200)])
dns = DHCP6OptDNSServers(dnsservers=["2001:db8:ffff::53"])


def from_client(msg, dst="ff02::1:2"):
    return (Ether(src=CLIENT_MAC, dst="33:33:00:01:00:02") / IPv6(src=CLIENT_LL, dst=dst) /
            UDP(sport=546, dport=547) / msg)


def to_client(msg):
    return (Ether(src=RELAY_MAC, dst=CLIENT_MAC) / IPv6(src="fe80::1", dst=CLIENT_LL) /
            UDP(sport=547, dport=546) / msg)


def relayed(msg, to_server):
    """The message as it crosses between relay and server."""
    if to_server:
        return (Ether(src=RELAY_MAC, dst=SERVER_MAC) / IPv6(src=RELAY, dst=SERVER) /
                UDP(sport=547, dport=547) /
                DHCP6_RelayForward(hopcount=0, linkaddr="2001:db8:1::", peeraddr=CLIENT_LL) /
                DHCP6OptRelayMsg(message=msg))
    return (Ether(src=SERVER_MAC, dst=RELAY_MAC) / IPv6(src=SERVER, dst=RELAY) /
            UDP(sport=547, dport=547) /
            DHCP6_RelayReply(hopcount=0, linkaddr="2001:db8:1::", peeraddr=CLIENT_LL) /
            DHCP6OptRelayMsg(message=msg))


def exchange(ask, answer):
    """Client -> relay -> server -> relay -> client."""
    return [from_client(ask), relayed(ask, True), relayed(answer, False), to_client(answer)]


v6 = []
v6 += exchange(DHCP6_Solicit(trid=0x10) / client_duid / ia_na / ia_pd,
               DHCP6_Advertise(trid=0x10) / client_duid / server_duid / ia_na / ia_pd / dns)
v6 += exchange(DHCP6_Request(trid=0x11) / client_duid / server_duid / ia_na / ia_pd,
               DHCP6_Reply(trid=0x11) / client_duid / server_duid / ia_na / ia_pd / dns)
v6 += exchange(DHCP6_Renew(trid=0x12) / client_duid / server_duid / ia_na,
               DHCP6_Reply(trid=0x12) / client_duid / server_duid / ia_na)
v6 += exchange(DHCP6_Rebind(trid=0x13) / client_duid / ia_na,
               DHCP6_Reply(trid=0x13) / client_duid / server_duid / ia_na)
v6 += exchange(DHCP6_Confirm(trid=0x14) / client_duid / ia_na,
               DHCP6_Reply(trid=0x14) / client_duid / server_duid /
               DHCP6OptStatusCode(statuscode=0, statusmsg="on link"))
v6 += exchange(DHCP6_Decline(trid=0x15) / client_duid / server_duid / ia_na,
               DHCP6_Reply(trid=0x15) / client_duid / server_duid /
               DHCP6OptStatusCode(statuscode=0, statusmsg="declined"))
v6 += exchange(DHCP6_InfoRequest(trid=0x16) / client_duid,
               DHCP6_Reply(trid=0x16) / client_duid / server_duid / dns)
# A second client the server has no address for.
other = DHCP6OptClientId(duid=DUID_LL(lladdr="02:00:00:00:01:0b"))
v6 += exchange(DHCP6_Solicit(trid=0x20) / other / DHCP6OptIA_NA(iaid=1),
               DHCP6_Advertise(trid=0x20) / other / server_duid /
               DHCP6OptStatusCode(statuscode=2, statusmsg="no addresses"))
write("dhcpv6_relay.pcap", v6)
