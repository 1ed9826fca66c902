#!/usr/bin/python3
"""Writes the link-layer and tunnel captures of tests/dissect/data (scapy, deterministic).

Each capture holds small HTTP/1.1 exchanges over TCP wrapped in one kind of encapsulation, so a
test can check that the TCP and payload analyses see through it and agree with tshark.
Run from this folder: ./make_link_captures.py
"""
import struct

from scapy.all import (GRE, GRE_PPTP, IP, TCP, Ether, IPv6, IPv6ExtHdrFragment, Raw,
                       fragment, fragment6)
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III
from scapy.layers.l2 import CookedLinuxV2, Dot1AD, Dot1Q
from scapy.utils import PcapWriter

T0 = 1700000000.0
REQUEST = b"GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: mcpcap-test\r\n\r\n"
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
            b"hello, link\n")


def http_session(ip_layer, client, server, sport, dport=80, response=RESPONSE):
    """One complete HTTP exchange as a list of IP packets (handshake, request, reply, close)."""
    c = lambda: ip_layer(src=client, dst=server)
    s = lambda: ip_layer(src=server, dst=client)
    cs, ss = 1000, 5000
    req, resp = len(REQUEST), len(response)
    return [
        c() / TCP(sport=sport, dport=dport, flags="S", seq=cs),
        s() / TCP(sport=dport, dport=sport, flags="SA", seq=ss, ack=cs + 1),
        c() / TCP(sport=sport, dport=dport, flags="A", seq=cs + 1, ack=ss + 1),
        c() / TCP(sport=sport, dport=dport, flags="PA", seq=cs + 1, ack=ss + 1) / Raw(REQUEST),
        s() / TCP(sport=dport, dport=sport, flags="A", seq=ss + 1, ack=cs + 1 + req),
        s() / TCP(sport=dport, dport=sport, flags="PA", seq=ss + 1, ack=cs + 1 + req) /
        Raw(response),
        c() / TCP(sport=sport, dport=dport, flags="A", seq=cs + 1 + req, ack=ss + 1 + resp),
        c() / TCP(sport=sport, dport=dport, flags="FA", seq=cs + 1 + req, ack=ss + 1 + resp),
        s() / TCP(sport=dport, dport=sport, flags="FA", seq=ss + 1 + resp, ack=cs + 2 + req),
        c() / TCP(sport=sport, dport=dport, flags="A", seq=cs + 2 + req, ack=ss + 2 + resp),
    ]


def v4(n):
    return http_session(IP, "10.1.0.1", "10.1.0.2", 40000 + n)


def v6(n):
    return http_session(IPv6, "2001:db8::1", "2001:db8::2", 41000 + n)


def timed(packets, start=0):
    for i, p in enumerate(packets):
        p.time = T0 + start + i * 0.001
    return packets


def ether(payload_type=None):
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    if payload_type is not None:
        e.type = payload_type
    return e


def write(name, packets, linktype=None):
    writer = PcapWriter(name, linktype=linktype, sync=True)
    for p in packets:
        writer.write(p)
    writer.close()


def stacked_vlans():
    """Three and four stacked tags: 802.1ad over 802.1Q, and the 0x9100 QinQ variant."""
    out = []
    for p in v4(1):  # 802.1ad + 802.1Q + 802.1Q
        out.append(ether() / Dot1AD(vlan=100) / Dot1Q(vlan=200) / Dot1Q(vlan=300) / p)
    for p in v4(2):  # 0x9100 + 802.1Q + 802.1Q
        out.append(ether(0x9100) / Dot1Q(vlan=101) / Dot1Q(vlan=201) / Dot1Q(vlan=301) / p)
    for p in v6(3):  # four tags
        out.append(ether() / Dot1AD(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / Dot1Q(vlan=4) / p)
    return timed(out)


def qinq_9200():
    """The 0x9200 QinQ TPID of older switches (tshark leaves it undecoded by default)."""
    return timed([ether(0x9200) / Dot1Q(vlan=102) / Dot1Q(vlan=202) / p for p in v4(4)])


NFLOG_PAYLOAD, NFLOG_PACKET_HDR, NFLOG_PREFIX, NFLOG_UID = 9, 1, 10, 11


def nflog_tlv(tlv_type, value):
    """A TLV with the length and type in host (here little-endian) order, padded to 4."""
    tlv = struct.pack("<HH", 4 + len(value), tlv_type) + value
    return tlv + b"\0" * (-len(tlv) % 4)


def nflog(packet, family):
    header = struct.pack(">BBH", family, 0, 7)
    tlvs = (nflog_tlv(NFLOG_PACKET_HDR, struct.pack(">HBB", 0x0800 if family == 2 else 0x86dd,
                                                    3, 0)) +
            nflog_tlv(NFLOG_PREFIX, b"mcpcap drop\0") +  # 12 bytes: 16 with the header
            nflog_tlv(NFLOG_UID, struct.pack(">I", 1000)) +
            nflog_tlv(NFLOG_PREFIX, b"odd\0\0") +  # 9 bytes: padded to 12
            nflog_tlv(NFLOG_PAYLOAD, bytes(packet)))
    return Raw(header + tlvs)


def nflog_captures():
    out = [nflog(p, 2) for p in v4(5)] + [nflog(p, 10) for p in v6(6)]
    return timed(out)


def gre_tunnels():
    out = []
    outer = lambda: ether() / IP(src="192.0.2.1", dst="192.0.2.2")
    # Plain GRE carrying IPv4.
    out += [outer() / GRE(proto=0x0800) / p for p in v4(7)]
    # GRE with checksum, key and sequence number carrying IPv6.
    out += [outer() / GRE(chksum_present=1, key_present=1, seqnum_present=1, key=77,
                          seqence_number=i, proto=0x86dd) / p for i, p in enumerate(v6(8))]
    # Transparent Ethernet bridging (0x6558).
    out += [outer() / GRE(proto=0x6558) / ether() / p for p in v4(9)]
    # PPTP's enhanced GRE (version 1): key = payload length + call id, sequence and
    # acknowledgement numbers, PPP inside (address/control present, then without); the request
    # is sent twice.
    pptp = v4(10)
    pptp.insert(4, pptp[3].copy())  # the request again: a retransmission inside the tunnel
    for i, p in enumerate(pptp):
        ppp = (b"\xff\x03" if i % 2 == 0 else b"") + b"\x00\x21" + bytes(p)
        gre = GRE_PPTP(seqnum_present=1, acknum_present=1 if i % 2 else 0, payload_len=len(ppp),
                       call_id=0x1234, seqence_number=i, ack_number=i)
        out.append(outer() / gre / Raw(ppp))
    # ERSPAN type II and III over GRE.
    for i, p in enumerate(v4(11)):
        out.append(outer() / GRE(seqnum_present=1, seqence_number=i, proto=0x88be) /
                   ERSPAN_II(ver=1, session_id=1) / ether() / p)
    for i, p in enumerate(v4(12)):
        out.append(outer() / GRE(seqnum_present=1, seqence_number=i, proto=0x22eb) /
                   ERSPAN_III(session_id=2) / ether() / p)
    # An IPv6 outer header.
    out += [ether() / IPv6(src="2001:db8:f::1", dst="2001:db8:f::2") / GRE(proto=0x0800) / p
            for p in v4(13)]
    return timed(out)


def sll2():
    out = []
    for i, p in enumerate(v4(14) + v6(15)):
        proto = 0x0800 if p.version == 4 else 0x86dd
        out.append(CookedLinuxV2(proto=proto, ifindex=2, lladdrtype=1, pkttype=4 if i % 2 else 0,
                                 lladdrlen=6, src=b"\x02\0\0\0\0\x01\0\0") / p)
    return timed(out)


def fragments():
    """IPv6 atomic fragments (offset 0, M=0: a whole packet), and real IPv4/IPv6 fragments."""
    out = []
    for p in v6(16):  # every packet an atomic fragment
        inner = p.payload
        p.remove_payload()
        p.nh = None
        out.append(ether() / (p / IPv6ExtHdrFragment(id=0x1000 + len(out), offset=0, m=0) /
                              inner))
    big = RESPONSE.replace(b"12", b"1212") + b"x" * 1200
    for p in http_session(IP, "10.2.0.1", "10.2.0.2", 42017, response=big[:-12] + b"x" * 12):
        out += [ether() / f for f in (fragment(p, fragsize=600) if len(p) > 700 else [p])]
    for p in http_session(IPv6, "2001:db8:2::1", "2001:db8:2::2", 42018,
                          response=big[:-12] + b"x" * 12):
        if len(p) > 700:
            head = p.copy()
            head.remove_payload()
            out += [ether() / f for f in fragment6(head / IPv6ExtHdrFragment(id=0x2000) /
                                                   p.payload, 640)]
        else:
            out.append(ether() / p)
    return timed(out)


if __name__ == "__main__":
    write("vlan_stacked_http.pcap", stacked_vlans())
    write("vlan_9200_http.pcap", qinq_9200())
    write("nflog_tcp.pcap", nflog_captures(), linktype=239)
    write("gre_tunnels.pcap", gre_tunnels())
    write("sll2_tcp.pcap", sll2(), linktype=276)
    write("ip_fragments_tcp.pcap", fragments())
