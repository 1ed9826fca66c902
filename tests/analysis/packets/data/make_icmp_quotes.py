#!/usr/bin/env python3
"""Writes icmp_quotes.pcap: ICMP errors quoting TCP and UDP flows never seen before, then new
flows. tshark numbers a quoted packet's flow (tcp.stream / udp.stream) when the quote holds the
whole transport header, so the flows after it take the next indexes; a quote of 8 TCP bytes
gets no stream. Also a UDP datagram whose length field is below 8, which tshark rejects before
numbering. Run: python3 make_icmp_quotes.py (writes next to itself)."""
import os
import struct


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def ipv4(src, dst, proto, payload, total=None):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total or 20 + len(payload), 1, 0, 64, proto, 0,
                    bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", checksum(h)) + h[12:] + payload


def udp(sport, dport, data, length=None):
    return struct.pack("!HHHH", sport, dport, 8 + len(data) if length is None else length, 0) + data


def tcp(sport, dport, seq, ack, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 1000, 0, 0)


def eth(payload):
    return b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + payload


def icmp_error(icmp_type, code, quoted):
    m = struct.pack("!BBHI", icmp_type, code, 0, 0) + quoted
    return m[:2] + struct.pack("!H", checksum(m)) + m[4:]


A, B, C = [10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 3]
SYN, ACK = 0x02, 0x10
frames = [
    eth(ipv4(C, A, 1, icmp_error(3, 3, ipv4(A, C, 17, udp(1111, 2222, b"abcd"))))),
    eth(ipv4(C, A, 1, icmp_error(3, 3, ipv4(A, C, 6, tcp(3333, 4444, 100, 0, SYN))))),
    eth(ipv4(C, A, 1, icmp_error(11, 0, ipv4(A, C, 6, tcp(5555, 6666, 7, 0, SYN)[:8], 40)))),
    eth(ipv4(A, B, 17, udp(5000, 5001, b"hello"))),
    eth(ipv4(A, B, 6, tcp(6000, 80, 1, 0, SYN))),
    eth(ipv4(B, A, 6, tcp(80, 6000, 900, 2, SYN | ACK))),
    eth(ipv4(A, C, 17, udp(1111, 2222, b"abcd"))),
    eth(ipv4(A, B, 17, udp(7000, 7001, b"bad!", length=4))),
    eth(ipv4(A, B, 17, udp(7002, 7003, b"next"))),
    eth(ipv4(A, C, 6, tcp(5555, 6666, 7, 0, SYN))),
]
out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
for i, f in enumerate(frames):
    out += struct.pack("<IIII", 1700000000 + i, 100000 * i, len(f), len(f)) + f
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icmp_quotes.pcap"), "wb") as fh:
    fh.write(out)
