#!/usr/bin/python3
"""Writes opcodes.pcap: DNS messages of every opcode class, and DNS quoted inside ICMP errors.

QUERY, IQUERY (1), STATUS (2), NOTIFY (4), UPDATE (5) with zone, prerequisite and update
sections, and the unassigned opcodes 3 and 9, each answered; then an ICMP port unreachable and an
ICMPv6 one quoting a DNS query, which are ICMP messages and not DNS ones.
Needs python3-scapy (apt-get install python3-scapy). Run: ./opcodes.py (writes beside itself).
"""
import os
import struct

from scapy.all import (DNS, DNSQR, DNSRR, ICMP, IP, UDP, Ether, ICMPv6DestUnreach, IPv6, Raw,
                       wrpcap)

CLIENT, SERVER = "192.0.2.10", "192.0.2.53"
MAC_C, MAC_S = "02:00:00:00:00:0a", "02:00:00:00:00:35"
t = 1767225600.0  # 2026-01-01T00:00:00Z
packets = []


def add(pkt):
    global t
    pkt.time = t
    t += 0.01
    packets.append(pkt)


def exchange(sport, query, answer):
    add(Ether(src=MAC_C, dst=MAC_S) / IP(src=CLIENT, dst=SERVER) / UDP(sport=sport, dport=53) /
        query)
    add(Ether(src=MAC_S, dst=MAC_C) / IP(src=SERVER, dst=CLIENT) / UDP(sport=53, dport=sport) /
        answer)


# QUERY, for comparison.
exchange(40001, DNS(id=0x0101, rd=1, qd=DNSQR(qname="www.example.test", qtype="A")),
         DNS(id=0x0101, qr=1, aa=1, rd=1, qd=DNSQR(qname="www.example.test", qtype="A"),
             an=DNSRR(rrname="www.example.test", type="A", ttl=300, rdata="10.1.2.3")))
# IQUERY (RFC 1035, obsolete): an answer in, the names that own it out as questions.
exchange(40002, DNS(id=0x0102, opcode=1, qd=None, an=DNSRR(rrname="", type="A", rdata="10.1.2.3")),
         DNS(id=0x0102, qr=1, opcode=1, qd=DNSQR(qname="www.example.test", qtype="A"),
             an=DNSRR(rrname="", type="A", rdata="10.1.2.3")))
# STATUS: never defined; answered NOTIMP.
exchange(40003, DNS(id=0x0103, opcode=2, qd=None), DNS(id=0x0103, qr=1, opcode=2, rcode=4, qd=None))
# NOTIFY (RFC 1996): a primary tells a secondary its zone changed, with the new SOA.
exchange(40004, DNS(id=0x0104, opcode=4, aa=1, qd=DNSQR(qname="example.test", qtype="SOA"),
                    an=DNSRR(rrname="example.test", type="SOA", ttl=3600,
                             rdata=b"\x02ns\x07example\x04test\x00\x0ahostmaster\x07example"
                                   b"\x04test\x00\x78\xbc\x3e\x45\x00\x00\x0e\x10\x00\x00\x03"
                                   b"\x84\x00\x09\x3a\x80\x00\x00\x0e\x10")),
         DNS(id=0x0104, qr=1, opcode=4, aa=1, qd=DNSQR(qname="example.test", qtype="SOA")))
# UPDATE (RFC 2136): zone example.test; prerequisite "host.example.test has no A records"
# (class NONE); updates: delete its AAAA RRset (class ANY), add an A record. Built by hand: the
# empty RDATA of prerequisites and deletions is not something scapy's records allow.


def name(n):
    return b"".join(bytes([len(label)]) + label.encode() for label in n.split(".")) + b"\0"


def rr(owner, rtype, rclass, ttl, rdata=b""):
    return name(owner) + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def update(flags, records):
    header = struct.pack(">HHHHHH", 0x0105, flags, 1, len(records[0]), len(records[1]), 0)
    return header + name("example.test") + struct.pack(">HH", 6, 1) + b"".join(
        b"".join(section) for section in records)


exchange(40005,
         Raw(update(0x2800, [[rr("host.example.test", 1, 254, 0)],
                             [rr("host.example.test", 28, 255, 0),
                              rr("host.example.test", 1, 1, 600, bytes([10, 1, 2, 9]))]])),
         Raw(update(0xa800, [[], []])))
# Unassigned opcodes 3 and 9: still DNS headers, answered NOTIMP.
for i, op in enumerate((3, 9)):
    exchange(40006 + i, DNS(id=0x0106 + i, opcode=op, qd=DNSQR(qname="x.example.test")),
             DNS(id=0x0106 + i, qr=1, opcode=op, rcode=4, qd=DNSQR(qname="x.example.test")))

# A query to a port nobody listens on, and the ICMP errors quoting it (IPv4 and IPv6).
quoted = IP(src=CLIENT, dst="192.0.2.54") / UDP(sport=40010, dport=53) / DNS(
    id=0x0110, rd=1, qd=DNSQR(qname="gone.example.test"))
add(Ether(src=MAC_C, dst=MAC_S) / quoted)
add(Ether(src=MAC_S, dst=MAC_C) / IP(src="192.0.2.54", dst=CLIENT) / ICMP(type=3, code=3) / quoted)
quoted6 = IPv6(src="2001:db8::a", dst="2001:db8::36") / UDP(sport=40011, dport=53) / DNS(
    id=0x0111, rd=1, qd=DNSQR(qname="gone.example.test", qtype="AAAA"))
add(Ether(src=MAC_C, dst=MAC_S) / quoted6)
add(Ether(src=MAC_S, dst=MAC_C) / IPv6(src="2001:db8::36", dst="2001:db8::a") /
    ICMPv6DestUnreach(code=4) / quoted6)

wrpcap(os.path.join(os.path.dirname(os.path.abspath(__file__)), "opcodes.pcap"), packets)
