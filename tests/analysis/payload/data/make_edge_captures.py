#!/usr/bin/env python3
"""Writes the edge-case database captures used by the payload tests (next to this script):

  mysql_edge.pcap       a MySQL 8 session with CLIENT_QUERY_ATTRIBUTES: a query that fails before
                        a database is selected, queries after comments / blank lines, USE behind a
                        comment and USE starting a multi-statement, queries carrying attributes
                        (string values: tshark 4.0 reads every attribute value as a string)
  postgresql_edge.pcap  PostgreSQL sessions: SSLRequest and GSSENCRequest refused then startup,
                        a 3.2 startup answered by NegotiateProtocolVersion, a CancelRequest,
                        extended-protocol pipelines (unnamed and named statements, a Parse never
                        executed in a group that executes another, portal suspension, async
                        NoticeResponse / ParameterStatus in the middle), COPY in and out, and a
                        Query split over many segments
  redis_inline.pcap     Redis inline commands (any case, blank lines, LF-only line ends) then
                        RESP commands; RESP3 attribute, null and empty replies

The messages follow the protocols' documentation byte for byte (MySQL client/server protocol,
PostgreSQL frontend/backend protocol 3.0, RESP2/RESP3); the conversations are those a real
client and server have (the servers' answers as MySQL 8.0, PostgreSQL 16 and Redis 7 give them).
  python3 tests/analysis/payload/data/make_edge_captures.py
"""
import os
import struct

from pcap_writer import Pcap, TcpConversation

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- MySQL


def le(value, n):
    return value.to_bytes(n, "little")


def lenenc(value):
    if value < 251:
        return bytes([value])
    if value < 1 << 16:
        return b"\xfc" + le(value, 2)
    return b"\xfd" + le(value, 3)


def lenenc_str(data):
    return lenenc(len(data)) + data


def packet(seq, payload):
    return le(len(payload), 3) + bytes([seq]) + payload


CLIENT_LONG_PASSWORD = 1
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_STATEMENTS = 1 << 16
CLIENT_MULTI_RESULTS = 1 << 17
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_CONNECT_ATTRS = 1 << 20
CLIENT_PLUGIN_AUTH_LENENC = 1 << 21
CLIENT_DEPRECATE_EOF = 1 << 24
CLIENT_QUERY_ATTRIBUTES = 1 << 27

MYSQL_CAPS = (CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
              | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS
              | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC
              | CLIENT_DEPRECATE_EOF | CLIENT_QUERY_ATTRIBUTES)
SERVER_CAPS = MYSQL_CAPS | CLIENT_CONNECT_WITH_DB
STATUS_AUTOCOMMIT = 0x0002
STATUS_MORE_RESULTS = 0x0008


def mysql_greeting():
    plugin = b"caching_sha2_password"
    p = (b"\x0a" + b"8.0.36\0" + le(11, 4) + b"\x1a\x2b\x3c\x4d\x5e\x6f\x10\x21\0"
         + le(SERVER_CAPS & 0xFFFF, 2) + b"\xff" + le(STATUS_AUTOCOMMIT, 2)
         + le(SERVER_CAPS >> 16, 2) + bytes([21]) + b"\0" * 10
         + b"\x32\x43\x54\x65\x76\x07\x18\x29\x3a\x4b\x5c\x6d\0" + plugin + b"\0")
    return packet(0, p)


def mysql_login():
    attrs = lenenc_str(b"_client_name") + lenenc_str(b"libmysql") + \
        lenenc_str(b"_client_version") + lenenc_str(b"8.0.36")
    scramble = bytes(range(0x40, 0x60))
    p = (le(MYSQL_CAPS, 4) + le(1 << 24, 4) + bytes([255]) + b"\0" * 23 + b"app\0"
         + lenenc_str(scramble) + b"caching_sha2_password\0" + lenenc_str(attrs))
    return packet(1, p)


def ok(seq, affected=0, status=STATUS_AUTOCOMMIT, header=0):
    return packet(seq, bytes([header]) + lenenc(affected) + lenenc(0) + le(status, 2) + le(0, 2))


def err(seq, code, state, message):
    return packet(seq, b"\xff" + le(code, 2) + b"#" + state + message)


def column_def(seq, name):
    return packet(seq, lenenc_str(b"def") + lenenc_str(b"shop") + lenenc_str(b"items")
                  + lenenc_str(b"items") + lenenc_str(name) + lenenc_str(name) + b"\x0c"
                  + le(255, 2) + le(11, 4) + b"\x08" + le(0, 2) + b"\x00" + le(0, 2))


def result_set(rows, status=STATUS_AUTOCOMMIT, column=b"v"):
    """One column, text rows, CLIENT_DEPRECATE_EOF (an OK with header 0xFE ends it)."""
    seq = 1
    out = packet(seq, lenenc(1))
    seq += 1
    out += column_def(seq, column)
    seq += 1
    for row in rows:
        out += packet(seq, lenenc_str(row))
        seq += 1
    return out + ok(seq, 0, status, 0xFE)


def attributes(params):
    """Query attributes: (type, name, value bytes or None for NULL)."""
    out = lenenc(len(params)) + lenenc(1)
    if not params:
        return out
    bitmap = bytearray((len(params) + 7) // 8)
    for i, (_, _, value) in enumerate(params):
        if value is None:
            bitmap[i // 8] |= 1 << (i % 8)
    out += bytes(bitmap) + b"\x01"
    for type_, name, _ in params:
        out += le(type_, 2) + lenenc_str(name)
    for _, _, value in params:
        if value is not None:
            out += value
    return out


def com_query(sql, params=()):
    return packet(0, b"\x03" + attributes(list(params)) + sql)


MYSQL_TYPE_STRING = 0xFE


def make_mysql(path):
    pcap = Pcap()
    c = TcpConversation(pcap, "10.0.0.1", 50100, "10.0.0.2", 3306)
    c.server(mysql_greeting())
    c.client(mysql_login())
    c.server(packet(2, b"\x01\x03"))  # caching_sha2_password: fast authentication succeeded
    c.server(ok(3))
    # No database yet (none in the login): the server refuses a table query.
    c.client(com_query(b"SELECT name FROM items"))
    c.server(err(1, 1046, b"3D000", b"No database selected"))
    c.client(com_query(b"/* app=web */ USE shop"))
    c.server(ok(1))
    c.client(com_query(b"/* x */ SELECT 1"))
    c.server(result_set([b"1"]))
    c.client(com_query(b"-- c\nSELECT 2"))
    c.server(result_set([b"2"]))
    c.client(com_query(b"# c\nSELECT 3"))
    c.server(result_set([b"3"]))
    c.client(com_query(b"\n  \tSELECT 4"))
    c.server(result_set([b"4"]))
    c.client(com_query(b"SELECT name FROM items WHERE id = 1",
                       [(MYSQL_TYPE_STRING, b"traceparent",
                         lenenc_str(b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                        (MYSQL_TYPE_STRING, b"retry", lenenc_str(b"2"))]))
    c.server(result_set([b"apple"], column=b"name"))
    c.client(com_query(b"INSERT INTO items (name) VALUES ('fig')",
                       [(MYSQL_TYPE_STRING, b"note", lenenc_str(b"from the web shop"))]))
    c.server(ok(1, affected=1))
    # A multi-statement whose first statement is USE: the database changes to "stock".
    c.client(com_query(b"USE stock; SELECT 5"))
    c.server(ok(1, status=STATUS_AUTOCOMMIT | STATUS_MORE_RESULTS)
             + renumber(result_set([b"5"]), 2))
    c.client(com_query(b"SELECT COUNT(*) FROM items"))
    c.server(result_set([b"2"], column=b"COUNT(*)"))
    c.client(packet(0, b"\x01"))  # COM_QUIT
    c.close()
    pcap.write(path)


def renumber(packets, first_seq):
    """The same packets with sequence ids from first_seq on."""
    out = b""
    pos = 0
    seq = first_seq
    while pos < len(packets):
        length = int.from_bytes(packets[pos:pos + 3], "little")
        out += packets[pos:pos + 3] + bytes([seq]) + packets[pos + 4:pos + 4 + length]
        pos += 4 + length
        seq += 1
    return out

# ---------------------------------------------------------------- PostgreSQL


def be(value, n):
    return value.to_bytes(n, "big")


def msg(type_, body):
    return type_ + be(len(body) + 4, 4) + body


def cstr(text):
    return text + b"\0"


def startup(version, user=b"app", database=b"shop"):
    body = be(version, 4) + cstr(b"user") + cstr(user) + cstr(b"database") + cstr(database) \
        + cstr(b"application_name") + cstr(b"psql") + b"\0"
    return be(len(body) + 4, 4) + body


def untyped(code, extra=b""):
    return be(8 + len(extra), 4) + be(code, 4) + extra


def session_start(pid):
    return (msg(b"R", be(0, 4)) + msg(b"S", cstr(b"server_version") + cstr(b"16.4"))
            + msg(b"S", cstr(b"client_encoding") + cstr(b"UTF8")) + msg(b"K", be(pid, 4) + be(77, 4))
            + ready())


def ready(status=b"I"):
    return msg(b"Z", status)


def parse(name, sql, types=()):
    return msg(b"P", cstr(name) + cstr(sql) + be(len(types), 2) + b"".join(be(t, 4) for t in types))


def bind(portal, statement, params=()):
    body = cstr(portal) + cstr(statement) + be(0, 2) + be(len(params), 2)
    for p in params:
        body += be(len(p), 4) + p
    return msg(b"B", body + be(0, 2))


def describe(kind, name):
    return msg(b"D", kind + cstr(name))


def execute(portal, max_rows=0):
    return msg(b"E", cstr(portal) + be(max_rows, 4))


def sync():
    return msg(b"S", b"")


def row_description(*names):
    body = be(len(names), 2)
    for name in names:
        body += cstr(name) + be(0, 4) + be(0, 2) + be(25, 4) + be(-1 & 0xFFFF, 2) + be(0xFFFFFFFF, 4) \
            + be(0, 2)
    return msg(b"T", body)


def data_row(*values):
    body = be(len(values), 2)
    for v in values:
        body += be(len(v), 4) + v
    return msg(b"D", body)


def complete(tag):
    return msg(b"C", cstr(tag))


def notice(text):
    return msg(b"N", b"SNOTICE\0VNOTICE\0C00000\0M" + cstr(text) + b"\0")


def pg_error(code, text):
    return msg(b"E", b"SERROR\0VERROR\0C" + cstr(code) + b"M" + cstr(text) + b"\0")


def make_postgresql(path):
    pcap = Pcap()
    # 1. SSLRequest refused, then the startup; extended-protocol pipelines.
    c = TcpConversation(pcap, "10.0.1.1", 50200, "10.0.1.2", 5432)
    c.client(untyped(80877103))
    c.server(b"N")
    c.client(startup(196608))
    c.server(session_start(4101))
    # Unnamed statement, one group: Parse/Bind/Describe/Execute/Sync.
    c.client(parse(b"", b"SELECT name FROM items WHERE id = $1", [23]) + bind(b"", b"", [b"1"])
             + describe(b"P", b"") + execute(b"") + sync())
    c.server(msg(b"1", b"") + msg(b"2", b"") + row_description(b"name") + data_row(b"apple")
             + complete(b"SELECT 1") + ready())
    # A pipeline of two groups in one segment; a NoticeResponse and a ParameterStatus arrive
    # between the answers.
    c.client(parse(b"ins", b"INSERT INTO items (name) VALUES ($1)") + bind(b"", b"ins", [b"fig"])
             + execute(b"") + sync()
             + parse(b"", b"UPDATE items SET price = 2 WHERE name = $1") + bind(b"", b"", [b"fig"])
             + execute(b"") + sync())
    c.server(msg(b"1", b"") + msg(b"2", b"") + notice(b"table items is large")
             + complete(b"INSERT 0 1") + ready()
             + msg(b"S", cstr(b"application_name") + cstr(b"billing")) + msg(b"1", b"")
             + msg(b"2", b"") + complete(b"UPDATE 1") + ready())
    # A group that prepares one statement and executes another: both are queries.
    c.client(parse(b"later", b"DELETE FROM items WHERE name = $1")
             + parse(b"now", b"SELECT count(*) FROM items") + bind(b"", b"now") + execute(b"")
             + sync())
    c.server(msg(b"1", b"") + msg(b"1", b"") + msg(b"2", b"") + data_row(b"3")
             + complete(b"SELECT 1") + ready())
    # Portal suspension: a named portal read two rows at a time.
    c.client(parse(b"", b"SELECT name FROM items ORDER BY name") + bind(b"cur", b"")
             + execute(b"cur", 2) + execute(b"cur", 2) + sync())
    c.server(msg(b"1", b"") + msg(b"2", b"") + data_row(b"apple") + data_row(b"fig")
             + msg(b"s", b"") + data_row(b"pear") + complete(b"SELECT 1") + ready())
    # A prepared statement on its own (PQprepare), then its execution in a later group.
    c.client(parse(b"del", b"DELETE FROM items WHERE name = $1") + describe(b"S", b"del")
             + sync())
    c.server(msg(b"1", b"") + msg(b"t", be(1, 2) + be(25, 4)) + msg(b"n", b"") + ready())
    c.client(bind(b"", b"del", [b"pear"]) + execute(b"") + sync())
    c.server(msg(b"2", b"") + complete(b"DELETE 1") + ready())
    # COPY in and out over the simple protocol.
    c.client(msg(b"Q", cstr(b"COPY items (name) FROM STDIN")))
    c.server(msg(b"G", b"\0" + be(1, 2) + be(0, 2)))
    c.client(msg(b"d", b"kiwi\n") + msg(b"d", b"lime\n") + msg(b"c", b""))
    c.server(complete(b"COPY 2") + ready())
    c.client(msg(b"Q", cstr(b"COPY items (name) TO STDOUT")))
    c.server(msg(b"H", b"\0" + be(1, 2) + be(0, 2)) + msg(b"d", b"apple\n") + msg(b"d", b"kiwi\n")
             + msg(b"c", b"") + complete(b"COPY 2") + ready())
    # A Query of 3000 bytes, sent in 12 segments.
    long_sql = b"SELECT name FROM items WHERE name IN (" + b",".join(
        b"'item%04d'" % i for i in range(300))[:2950] + b")"
    q = msg(b"Q", cstr(long_sql))
    c.client(q, [q[i:i + 250] for i in range(0, len(q), 250)])
    c.server(row_description(b"name") + complete(b"SELECT 0") + ready())
    # An error inside a group: the Execute carries it.
    c.client(parse(b"", b"SELECT nope FROM items") + bind(b"", b"") + execute(b"") + sync())
    c.server(pg_error(b"42703", b'column "nope" does not exist') + ready())
    c.client(msg(b"X", b""))
    c.close()

    # 2. GSSENCRequest refused, then the startup and a simple query.
    c = TcpConversation(pcap, "10.0.1.1", 50201, "10.0.1.2", 5432)
    c.client(untyped(80877104))
    c.server(b"N")
    c.client(startup(196608))
    c.server(session_start(4102))
    c.client(msg(b"Q", cstr(b"SELECT 1")))
    c.server(row_description(b"?column?") + data_row(b"1") + complete(b"SELECT 1") + ready())
    c.client(msg(b"X", b""))
    c.close()

    # 3. Protocol 3.2 asked for; the server answers NegotiateProtocolVersion (3.0).
    c = TcpConversation(pcap, "10.0.1.1", 50202, "10.0.1.2", 5432)
    c.client(startup(196610))
    c.server(msg(b"v", be(0, 4) + be(0, 4)) + session_start(4103))
    c.client(msg(b"Q", cstr(b"SELECT 2")))
    c.server(row_description(b"?column?") + data_row(b"2") + complete(b"SELECT 1") + ready())
    c.client(msg(b"X", b""))
    c.close()

    # 4. A CancelRequest for the first session's backend: the server just closes.
    c = TcpConversation(pcap, "10.0.1.1", 50203, "10.0.1.2", 5432)
    c.client(untyped(80877102, be(4101, 4) + be(77, 4)))
    c.close()
    pcap.write(path)

# ---------------------------------------------------------------- Redis


def resp_command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def make_redis(path):
    pcap = Pcap()
    # Inline commands on a port of its own (detected by content), then RESP commands.
    c = TcpConversation(pcap, "10.0.2.1", 50300, "10.0.2.2", 16379)
    c.client(b"ping\r\n")
    c.server(b"+PONG\r\n")
    c.client(b"set  greeting   hello\r\n")
    c.server(b"+OK\r\n")
    c.client(b"\r\n")  # an empty line: the server ignores it
    c.client(b"GET greeting\n")  # LF only
    c.server(b"$5\r\nhello\r\n")
    c.client(b"incr visits\r\nincr visits\r\n")
    c.server(b":1\r\n:2\r\n")
    c.client(resp_command(b"HELLO", b"3"))
    c.server(b"%2\r\n+server\r\n+redis\r\n+proto\r\n:3\r\n")
    c.client(resp_command(b"GET", b"missing"))
    c.server(b"_\r\n")
    c.client(resp_command(b"LRANGE", b"empty", b"0", b"-1"))
    c.server(b"*0\r\n")
    c.client(resp_command(b"GET", b"greeting"))
    c.server(b"|1\r\n+ttl\r\n:3600\r\n$5\r\nhello\r\n")  # a RESP3 attribute before the reply
    c.client(b"QUIT\r\n")
    c.server(b"+OK\r\n")
    c.close()
    # A client that starts with a lower-case inline command other than PING.
    c = TcpConversation(pcap, "10.0.2.1", 50301, "10.0.2.2", 16379)
    c.client(b"dbsize\r\n")
    c.server(b":1\r\n")
    c.client(b"keys *\r\n")
    c.server(b"*1\r\n$8\r\ngreeting\r\n")
    c.close()
    pcap.write(path)


if __name__ == "__main__":
    make_mysql(os.path.join(HERE, "mysql_edge.pcap"))
    make_postgresql(os.path.join(HERE, "postgresql_edge.pcap"))
    make_redis(os.path.join(HERE, "redis_inline.pcap"))
