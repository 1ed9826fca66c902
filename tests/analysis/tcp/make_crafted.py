#!/usr/bin/env python3
"""Writes data/crafted.pcap: TCP corner cases real stacks rarely show on a quiet veth, for the
tshark agreement test: sequence wrap-around, a lost segment, out-of-order delivery, spurious
retransmission, zero-window probes and their ACKs, window update, port reuse, a mid-stream
connection and a RST from a middlebox (other TTL). Deterministic: rerun to regenerate."""
import struct, os

out = []
t = [1_700_000_000.0]

def pkt(src, dst, sp, dp, flags, seq, ack, win=1000, ln=0, ttl=64, opts=b'', dt=0.001):
    t[0] += dt
    hl = 20 + len(opts)
    tcp = struct.pack('>HHIIBBHHH', sp, dp, seq & 0xffffffff, ack & 0xffffffff, (hl // 4) << 4,
                      flags, win, 0, 0) + opts + b'p' * ln
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0, ttl, 6, 0,
                     bytes(src), bytes(dst)) + tcp
    eth = b'\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x06\x08\x00' + ip
    sec = int(t[0]); usec = int(round((t[0] - sec) * 1e6))
    out.append(struct.pack('<IIII', sec, usec, len(eth), len(eth)) + eth)

S, A, F, R, P = 0x02, 0x10, 0x01, 0x04, 0x08
C, V = [10, 1, 0, 1], [10, 1, 0, 2]
WS = b'\x03\x03\x00\x01'  # window scale 0 + NOP

def c2s(*a, **k): pkt(C, V, 41000, 80, *a, **k)
def s2c(*a, **k): pkt(V, C, 80, 41000, *a, **k)

# Connection 1: ISNs near 2^32 so the data wraps.
ci, si = 0xfffffc00, 5000
c2s(S, ci, 0, opts=WS); s2c(S | A, si, ci + 1, opts=WS); c2s(A, ci + 1, si + 1)
seq = ci + 1
for i in range(4):                      # 4 x 500 bytes, crossing 2^32
    c2s(A | P, seq, si + 1, ln=500); seq += 500
s2c(A, si + 1, seq)
lost = seq; seq += 500                  # this segment is never captured
c2s(A | P, seq, si + 1, ln=500); seq += 500          # lost segment (hole before it)
s2c(A, si + 1, lost); s2c(A, si + 1, lost); s2c(A, si + 1, lost)  # dup ACKs
c2s(A | P, lost, si + 1, ln=500)                     # fast retransmission
s2c(A, si + 1, seq)
c2s(A | P, seq + 500, si + 1, ln=500)                # sent before seq: out-of-order follows
c2s(A | P, seq, si + 1, ln=500, dt=0.0001)           # out-of-order (within 3 ms / RTT)
seq += 1000
s2c(A, si + 1, seq)
c2s(A | P, seq - 500, si + 1, ln=500, dt=0.5)        # spurious: already ACKed
s2c(A, si + 1, seq, win=0)                           # zero window
c2s(A, seq, si + 1, ln=1, dt=0.2)                    # zero-window probe
s2c(A, si + 1, seq, win=0)                           # zero-window probe ACK
s2c(A, si + 1, seq, win=1000, dt=0.3)                # window update
c2s(A | P, seq, si + 1, ln=1000); seq += 1000        # window full (fills 1000)
s2c(A, si + 1, seq)
c2s(F | A, seq, si + 1); s2c(F | A, si + 1, seq + 1); c2s(A, seq + 1, si + 2)
# Port reuse: a new SYN with another ISN on the same ports.
ci2 = 77777
c2s(S, ci2, 0, dt=1.0); s2c(S | A, 999, ci2 + 1); c2s(A, ci2 + 1, 1000)
c2s(A | P, ci2 + 1, 1000, ln=10)
s2c(R | A, 1000, ci2 + 11, ttl=250)                  # RST with a middlebox's TTL
# Connection 3: mid-stream, server port 443 sends first.
def m(*a, **k): pkt(V, C, 443, 52000, *a, **k)
def mc(*a, **k): pkt(C, V, 52000, 443, *a, **k)
m(A | P, 100, 900, ln=200); mc(A, 900, 300); mc(A, 900, 300, win=2000)  # window update
m(A, 299, 900, dt=2.0); mc(A, 900, 300, win=2000)    # keep-alive and its ACK
os.makedirs('data', exist_ok=True)
with open(os.path.join(os.path.dirname(__file__) or '.', 'data', 'crafted.pcap'), 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) + b''.join(out))
