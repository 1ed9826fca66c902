# A minimal pcap writer for generated test captures: Ethernet / IPv4 / TCP conversations with
# a three-way handshake, data segments with consistent sequence and acknowledgement numbers,
# and a FIN exchange. Standard library only.
import struct

_LINKTYPE_ETHERNET = 1


def _checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _ip(address):
    return bytes(int(part) for part in address.split("."))


class Pcap:
    """Packets in time order; write() saves them as a little-endian pcap (microseconds)."""

    def __init__(self, start=1_700_000_000.0):
        self.packets = []
        self.time = start

    def add(self, frame, step=0.001):
        self.time += step
        self.packets.append((self.time, frame))

    def write(self, path):
        with open(path, "wb") as out:
            out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, _LINKTYPE_ETHERNET))
            for when, frame in self.packets:
                seconds = int(when)
                micros = int(round((when - seconds) * 1e6))
                out.write(struct.pack("<IIII", seconds, micros, len(frame), len(frame)))
                out.write(frame)


class TcpConversation:
    """One TCP connection between a client and a server; client()/server() send bytes (cut into
    segments of at most `mss` bytes, or at the given split points)."""

    def __init__(self, pcap, client, client_port, server, server_port, mss=1460):
        self.pcap = pcap
        self.ends = {"c": (_ip(client), client_port), "s": (_ip(server), server_port)}
        self.seq = {"c": 1000, "s": 5000}
        self.mss = mss
        self._segment("c", b"", 0x02)  # SYN
        self.seq["c"] += 1
        self._segment("s", b"", 0x12)  # SYN-ACK
        self.seq["s"] += 1
        self._segment("c", b"", 0x10)

    def _segment(self, side, payload, flags):
        other = "s" if side == "c" else "c"
        (src, sport), (dst, dport) = self.ends[side], self.ends[other]
        ack = self.seq[other] if flags & 0x10 else 0
        tcp = struct.pack("!HHIIBBHHH", sport, dport, self.seq[side], ack, 5 << 4, flags, 65535,
                          0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
        tcp = tcp[:16] + struct.pack("!H", _checksum(pseudo + tcp + payload)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64,
                         6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
        ether = (b"\x02\x00\x00\x00\x00\x02" if side == "c" else b"\x02\x00\x00\x00\x00\x01")
        ether += (b"\x02\x00\x00\x00\x00\x01" if side == "c" else b"\x02\x00\x00\x00\x00\x02")
        self.pcap.add(ether + b"\x08\x00" + ip + tcp + payload)

    def send(self, side, data, pieces=None):
        if pieces is None:
            pieces = [data[i:i + self.mss] for i in range(0, len(data), self.mss)]
        assert b"".join(pieces) == data
        for piece in pieces:
            self._segment(side, piece, 0x18)  # PSH, ACK
            self.seq[side] += len(piece)

    def client(self, data, pieces=None):
        self.send("c", data, pieces)

    def server(self, data, pieces=None):
        self.send("s", data, pieces)

    def close(self):
        self._segment("c", b"", 0x11)  # FIN, ACK
        self.seq["c"] += 1
        self._segment("s", b"", 0x11)
        self.seq["s"] += 1
        self._segment("c", b"", 0x10)
