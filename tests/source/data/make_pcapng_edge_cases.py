#!/usr/bin/env python3
"""Writes the pcapng edge-case captures beside this script, byte by byte.

Each file holds one class of input found in real captures:
  shb_option_overrun.pcapng   a section header option longer than its block (Wireshark
                              refuses the file)
  shb_minor_version.pcapng    a section header of version 1.3 (Wireshark refuses it)
  shb_version_1_2.pcapng      a section header of version 1.2 (Wireshark reads it)
  ts_offset_resolution.pcapng interfaces with negative/positive if_tsoffset and decimal and
                              power-of-2 if_tsresol, timestamps before and after the epoch
  multi_section.pcapng        three sections (little-, big-, little-endian), each with its
                              own interfaces, link types and time resolutions
Run: python3 make_pcapng_edge_cases.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


class Writer:
    def __init__(self):
        self.out = bytearray()
        self.e = "<"

    def block(self, btype, body):
        body = pad4(body)
        n = len(body) + 12
        self.out += struct.pack(self.e + "II", btype, n) + body + struct.pack(self.e + "I", n)

    def opt(self, code, value):
        return struct.pack(self.e + "HH", code, len(value)) + pad4(value)

    def end(self):
        return struct.pack(self.e + "HH", 0, 0)

    def shb(self, big_endian=False, minor=0, options=(), raw_options=None):
        """options: (code, bytes) pairs, written in the section's byte order."""
        self.e = ">" if big_endian else "<"
        body = struct.pack(self.e + "IHHq", 0x1A2B3C4D, 1, minor, -1)
        if raw_options is not None:
            body += raw_options
        elif options:
            body += b"".join(self.opt(c, v) for c, v in options) + self.end()
        self.block(0x0A0D0D0A, body)

    def idb(self, link_type, snaplen=65535, tsresol=None, tsoffset=None, name=None):
        opts = b""
        if name is not None:
            opts += self.opt(2, name.encode())
        if tsresol is not None:
            opts += self.opt(9, bytes([tsresol]))
        if tsoffset is not None:
            opts += self.opt(14, struct.pack(self.e + "q", tsoffset))
        if opts:
            opts += self.end()
        self.block(1, struct.pack(self.e + "HHI", link_type, 0, snaplen) + opts)

    def epb(self, iface, ticks, data, origlen=None):
        ticks &= (1 << 64) - 1  # negative ticks are written as their two's complement
        body = struct.pack(self.e + "IIIII", iface, ticks >> 32, ticks & 0xFFFFFFFF, len(data),
                           origlen if origlen is not None else len(data))
        self.block(6, body + data)

    def save(self, name):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(self.out)


def ether(n, tag):
    """An Ethernet frame of n bytes: broadcast, IPv4 ethertype, filler."""
    head = b"\xff" * 6 + bytes([2, 0, 0, 0, 0, tag]) + b"\x08\x00"
    return (head + bytes((i * 7 + tag) & 0xFF for i in range(n)))[:n]


def raw_ip(n, tag):
    """A minimal IPv4 header padded to n bytes (LINKTYPE_RAW)."""
    hdr = struct.pack(">BBHHHBBH4s4s", 0x45, 0, n, tag, 0, 64, 17, 0, bytes([10, 0, 0, 1]),
                      bytes([10, 0, 0, 2]))
    return (hdr + b"\0" * n)[:n]


def shb_option_overrun():
    w = Writer()
    good = w.opt(4, b"edge-case writer")
    # Option length 200 in a block that has only a few bytes left: the bad option ends the options.
    bad = struct.pack("<HH", 2, 200) + b"truncated"
    w.shb(raw_options=good + pad4(bad))
    w.idb(1, 262144)
    for i in range(4):
        w.epb(0, (1700000000 + i) * 1000000 + 250 * i, ether(60 + 10 * i, i))
    w.save("shb_option_overrun.pcapng")


def shb_minor_version():
    for minor, name in ((3, "shb_minor_version.pcapng"), (2, "shb_version_1_2.pcapng")):
        w = Writer()
        w.shb(minor=minor, options=[(4, b"minor version %d" % minor)])
        w.idb(1, 262144)
        for i in range(3):
            w.epb(0, (1600000000 + i) * 1000000 + 7, ether(64, i))
        w.save(name)


def ts_offset_resolution():
    w = Writer()
    w.shb(options=[(4, b"edge-case writer")])
    # 0: microseconds, offset -1,000,000,000 s: packet times land before the epoch.
    w.idb(1, tsoffset=-1000000000, name="neg_offset_us")
    # 1: nanoseconds, offset +1,500,000,000 s.
    w.idb(1, tsresol=9, tsoffset=1500000000, name="pos_offset_ns")
    # 2: 2^-20 s ticks (power-of-two resolution), no offset.
    w.idb(1, tsresol=0x80 | 20, name="pow2_20")
    # 3: milliseconds with a negative offset larger than the time: before the epoch.
    w.idb(1, tsresol=3, tsoffset=-100000, name="neg_offset_ms")
    # 4: 2^-30 s ticks with an offset.
    w.idb(1, tsresol=0x80 | 30, tsoffset=-3600, name="pow2_30")
    w.epb(0, 1200000000 * 1000000 + 123456, ether(60, 1))
    w.epb(1, 200000000 * 10**9 + 987654321, ether(61, 2))
    w.epb(2, 1650000000 * (1 << 20) + (1 << 19), ether(62, 3))
    w.epb(3, 12345678, ether(63, 4))
    w.epb(4, 1650000000 * (1 << 30) + 3 * (1 << 28), ether(64, 5))
    w.epb(0, 1200000000 * 1000000 + 654321, ether(66, 7))
    w.save("ts_offset_resolution.pcapng")


def multi_section():
    w = Writer()
    w.shb(options=[(2, b"first hardware"), (4, b"section one")])
    w.idb(1, 1514)
    w.idb(101, 65535, tsresol=9)
    w.epb(0, 1700000000 * 10**6 + 1, ether(100, 1))
    w.epb(1, 1700000000 * 10**9 + 2000, raw_ip(40, 2))
    w.epb(0, 1700000001 * 10**6, ether(1514, 3), origlen=2000)
    w.shb(big_endian=True, options=[(4, b"section two")])
    w.idb(101, 262144, tsresol=3)
    w.epb(0, 1690000000 * 1000 + 5, raw_ip(52, 4))
    w.epb(0, 1690000000 * 1000 + 6, raw_ip(53, 5))
    w.shb(options=[(4, b"section three")])
    w.idb(1, 262144, tsoffset=10)
    w.idb(1, 262144, tsresol=0x80 | 10)
    w.epb(1, 1710000000 * 1024 + 512, ether(70, 6))
    w.epb(0, 1710000000 * 10**6 + 999999, ether(71, 7))
    w.save("multi_section.pcapng")


if __name__ == "__main__":
    shb_option_overrun()
    shb_minor_version()
    ts_offset_resolution()
    multi_section()
