#!/usr/bin/env python3
"""Builds data/vxlan_mixed.pcap from our own data/http.pcap: every other frame is carried inside
VXLAN (outer Ethernet/IPv4/UDP 4789 between two tunnel endpoints), the rest stay as they were, as
when a capture point sees a flow both directly and through an overlay. Wireshark keys TCP on the
inner addresses and ports, so both halves make one connection with no lost segments; the
agreement test checks we do the same."""
import struct
from pathlib import Path

data = Path(__file__).resolve().parent / "data"
raw = (data / "http.pcap").read_bytes()
# The wrapped frames are longer than http.pcap's snaplen: raise it in the file header.
out = bytearray(raw[:16]) + struct.pack("<I", 65535) + raw[20:24]


def checksum(b):
    s = sum(struct.unpack(f">{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def wrap(frame, origlen, n):
    vxlan = struct.pack(">II", 0x08000000, 42 << 8)
    udp_len = 8 + len(vxlan) + origlen
    udp = struct.pack(">HHHH", 40000 + n % 100, 4789, udp_len, 0)
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, n, 0, 64, 17, 0,
                               bytes([192, 0, 2, 1]), bytes([198, 51, 100, 1])))
    ip[10:12] = struct.pack(">H", checksum(bytes(ip)))
    eth = bytes.fromhex("02000000000a02000000000b0800")
    head = eth + bytes(ip) + udp + vxlan
    return head + frame, len(head) + origlen


pos, n = 24, 0
while pos + 16 <= len(raw):
    sec, usec, caplen, origlen = struct.unpack_from("<IIII", raw, pos)
    frame = raw[pos + 16 : pos + 16 + caplen]
    pos += 16 + caplen
    n += 1
    if n % 2 == 0:
        frame, origlen = wrap(frame, origlen, n)
    out += struct.pack("<IIII", sec, usec, len(frame), origlen) + frame
(data / "vxlan_mixed.pcap").write_bytes(bytes(out))
