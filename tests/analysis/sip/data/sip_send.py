#!/usr/bin/env python3
"""Sends real SIP messages over loopback for record.sh: UDP and TCP, one scenario per argument."""
import socket
import sys
import time

SDP = ("v=0\r\no=alice 2890844526 2890844526 IN IP4 127.0.0.1\r\ns=-\r\n"
       "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def msg(start, headers, body=""):
    lines = [start] + headers + ["Content-Length: %d" % len(body.encode())]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def common(call_id, cseq, via_port, ua=None, tag="1", to_tag=None):
    h = ["Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s%d" % (via_port, call_id[:6], cseq[0]),
         "From: Alice <sip:alice@example.com>;tag=%s" % tag,
         "To: Bob <sip:bob@example.com>%s" % (";tag=" + to_tag if to_tag else ""),
         "Call-ID: %s" % call_id, "CSeq: %d %s" % cseq]
    if ua:
        h.append("User-Agent: %s" % ua)
    return h


def udp_scenario():
    cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cli.bind(("127.0.0.1", 5062))
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 5060))
    to_srv, to_cli = ("127.0.0.1", 5060), ("127.0.0.1", 5062)
    ua, server = "TestPhone/1.2.3", "TestPBX/4.5"

    def c(m):
        cli.sendto(m, to_srv)
        time.sleep(0.01)

    def s(m):
        srv.sendto(m, to_cli)
        time.sleep(0.01)

    # REGISTER challenged, then accepted.
    c(msg("REGISTER sip:example.com SIP/2.0", common("reg-1@127.0.0.1", (1, "REGISTER"), 5062, ua)
          + ["Contact: <sip:alice@127.0.0.1:5062>", "Expires: 3600"]))
    s(msg("SIP/2.0 401 Unauthorized", common("reg-1@127.0.0.1", (1, "REGISTER"), 5062, None, "1",
                                             "r1") +
          ['WWW-Authenticate: Digest realm="example.com", nonce="abc123"', "Server: " + server]))
    c(msg("REGISTER sip:example.com SIP/2.0", common("reg-1@127.0.0.1", (2, "REGISTER"), 5062, ua)
          + ["Contact: <sip:alice@127.0.0.1:5062>",
             'Authorization: Digest username="alice", realm="example.com", nonce="abc123", '
             'uri="sip:example.com", response="0123456789abcdef"', "Expires: 3600"]))
    s(msg("SIP/2.0 200 OK", common("reg-1@127.0.0.1", (2, "REGISTER"), 5062, None, "1", "r1") +
          ["Contact: <sip:alice@127.0.0.1:5062>;expires=3600", "Server: " + server]))
    # A call with SDP: INVITE/100/180/200/ACK/BYE/200.
    inv = common("call-1@127.0.0.1", (1, "INVITE"), 5062, ua)
    c(msg("INVITE sip:bob@example.com SIP/2.0", inv + ["Contact: <sip:alice@127.0.0.1:5062>",
                                                        "Content-Type: application/sdp"], SDP))
    s(msg("SIP/2.0 100 Trying", common("call-1@127.0.0.1", (1, "INVITE"), 5062) +
          ["Server: " + server]))
    s(msg("SIP/2.0 180 Ringing", common("call-1@127.0.0.1", (1, "INVITE"), 5062, None, "1", "b2")))
    s(msg("SIP/2.0 200 OK", common("call-1@127.0.0.1", (1, "INVITE"), 5062, None, "1", "b2") +
          ["Contact: <sip:bob@127.0.0.1:5060>", "Content-Type: application/sdp"], SDP))
    c(msg("ACK sip:bob@127.0.0.1:5060 SIP/2.0", common("call-1@127.0.0.1", (1, "ACK"), 5062, ua,
                                                       "1", "b2")))
    c(msg("BYE sip:bob@127.0.0.1:5060 SIP/2.0", common("call-1@127.0.0.1", (2, "BYE"), 5062, ua,
                                                       "1", "b2")))
    s(msg("SIP/2.0 200 OK", common("call-1@127.0.0.1", (2, "BYE"), 5062, None, "1", "b2")))
    # A cancelled call: INVITE/100/180/CANCEL/200/487/ACK.
    c(msg("INVITE sip:carol@example.com SIP/2.0", common("call-2@127.0.0.1", (1, "INVITE"), 5062,
                                                         ua) +
          ["Content-Type: application/sdp"], SDP))
    s(msg("SIP/2.0 100 Trying", common("call-2@127.0.0.1", (1, "INVITE"), 5062)))
    s(msg("SIP/2.0 180 Ringing", common("call-2@127.0.0.1", (1, "INVITE"), 5062, None, "1", "c3")))
    c(msg("CANCEL sip:carol@example.com SIP/2.0", common("call-2@127.0.0.1", (1, "CANCEL"), 5062,
                                                         ua)))
    s(msg("SIP/2.0 200 OK", common("call-2@127.0.0.1", (1, "CANCEL"), 5062, None, "1", "c3")))
    s(msg("SIP/2.0 487 Request Terminated", common("call-2@127.0.0.1", (1, "INVITE"), 5062, None,
                                                   "1", "c3")))
    c(msg("ACK sip:carol@example.com SIP/2.0", common("call-2@127.0.0.1", (1, "ACK"), 5062, ua,
                                                      "1", "c3")))
    # OPTIONS keep-alive.
    c(msg("OPTIONS sip:example.com SIP/2.0", common("opt-1@127.0.0.1", (1, "OPTIONS"), 5062, ua)))
    s(msg("SIP/2.0 200 OK", common("opt-1@127.0.0.1", (1, "OPTIONS"), 5062, None, "1", "o1") +
          ["Allow: INVITE, ACK, CANCEL, BYE, OPTIONS"]))
    # Compact forms, a folded header, lower-case names and two Via headers.
    body = "hello\r\n"
    c(("MESSAGE sip:bob@example.com SIP/2.0\r\n"
       "v: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKmsg1\r\n"
       "v: SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bKproxy\r\n"
       "f: <sip:alice@example.com>;tag=m1\r\n"
       "t: <sip:bob@example.com>\r\n"
       "i: msg-1@127.0.0.1\r\n"
       "cseq: 1 MESSAGE\r\n"
       "subject: a folded\r\n  subject line\r\n"
       "c: text/plain\r\n"
       "k: timer\r\n"
       "l: %d\r\n\r\n%s" % (len(body), body)).encode())
    s(msg("SIP/2.0 202 Accepted", common("msg-1@127.0.0.1", (1, "MESSAGE"), 5062, None, "m1",
                                         "b9")))


def tcp_scenario():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 5060))
    srv.listen(1)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cli.bind(("127.0.0.1", 40600))
    cli.connect(("127.0.0.1", 5060))
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    ua = "TestPhone/1.2.3"

    def tcp_common(call_id, cseq, tag="1", to_tag=None):
        h = common(call_id, cseq, 40600, None, tag, to_tag)
        h[0] = h[0].replace("SIP/2.0/UDP", "SIP/2.0/TCP")
        return h

    def c(m):
        cli.sendall(m)
        time.sleep(0.02)

    def s(m):
        conn.sendall(m)
        time.sleep(0.02)

    c(msg("REGISTER sip:example.com SIP/2.0", tcp_common("treg-1", (1, "REGISTER")) +
          ["User-Agent: " + ua]))
    s(msg("SIP/2.0 401 Unauthorized", tcp_common("treg-1", (1, "REGISTER"), "1", "t1") +
          ['WWW-Authenticate: Digest realm="example.com", nonce="xyz"']))
    # Two messages in one segment: the authenticated REGISTER and an OPTIONS.
    c(msg("REGISTER sip:example.com SIP/2.0", tcp_common("treg-1", (2, "REGISTER")) +
          ['Authorization: Digest username="alice", response="00"']) +
      msg("OPTIONS sip:example.com SIP/2.0", tcp_common("topt-1", (1, "OPTIONS"))))
    s(msg("SIP/2.0 200 OK", tcp_common("treg-1", (2, "REGISTER"), "1", "t1")) +
      msg("SIP/2.0 200 OK", tcp_common("topt-1", (1, "OPTIONS"), "1", "t2")))
    # One INVITE split across three segments, the cut falling inside the headers and the body.
    invite = msg("INVITE sip:bob@example.com SIP/2.0", tcp_common("tcall-1", (1, "INVITE")) +
                 ["Content-Type: application/sdp"], SDP)
    c(invite[:40])
    c(invite[40:len(invite) - 30])
    c(invite[len(invite) - 30:])
    s(msg("SIP/2.0 486 Busy Here", tcp_common("tcall-1", (1, "INVITE"), "1", "t3")))
    c(msg("ACK sip:bob@example.com SIP/2.0", tcp_common("tcall-1", (1, "ACK"), "1", "t3")))
    # A CRLF keep-alive.
    c(b"\r\n\r\n")
    cli.close()
    conn.close()
    srv.close()


if __name__ == "__main__":
    {"udp": udp_scenario, "tcp": tcp_scenario}[sys.argv[1]]()
