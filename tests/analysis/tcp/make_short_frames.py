#!/usr/bin/env python3
"""Builds data/short_frames.pcap from our own data/http.pcap: every data segment's frame is made
8 bytes shorter on the wire than its IP total length says (caplen and origlen both cut), as some
capture tools and rewritten traces leave them; every third one instead gets an IPv4 total length
of 0, as TCP segmentation offload leaves locally sent packets. Wireshark then takes the TCP
length from what the frame carried, not from the IP header; the agreement test checks we do the
same."""
import struct
from pathlib import Path

data = Path(__file__).resolve().parent / "data"
raw = (data / "http.pcap").read_bytes()
out = bytearray(raw[:24])
pos, n = 24, 0
while pos + 16 <= len(raw):
    sec, usec, caplen, origlen = struct.unpack_from("<IIII", raw, pos)
    frame = raw[pos + 16 : pos + 16 + caplen]
    pos += 16 + caplen
    ihl = (frame[14] & 0x0F) * 4 if frame[12:14] == b"\x08\x00" else 40
    ip_len = struct.unpack_from(">H", frame, 16)[0] if ihl != 40 else 0
    tcp_hdr = (frame[14 + ihl + 12] >> 4) * 4 if len(frame) > 14 + ihl + 12 else 0
    if ip_len > ihl + tcp_hdr + 8:  # an IPv4 segment with more than 8 bytes of data
        n += 1
        if n % 3 == 0:
            frame = frame[:16] + b"\x00\x00" + frame[18:]
            out += struct.pack("<IIII", sec, usec, caplen, origlen) + frame
            continue
        origlen = 14 + ip_len - 8
        frame = frame[: min(caplen, origlen)]
        caplen = len(frame)
    out += struct.pack("<IIII", sec, usec, caplen, origlen) + frame
(data / "short_frames.pcap").write_bytes(bytes(out))
