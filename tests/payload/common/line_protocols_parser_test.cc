// The line-protocol parsers (SSH banners, FTP, SMTP, POP3, IMAP) on conversations in the form
// Debian's servers and clients produce them (OpenSSH, pyftpdlib + curl, aiosmtpd + curl,
// Dovecot + curl), fed with every split mode; secrets never appear in any result.
#include <string>
#include <vector>

#include "backend/payload/common/line_protocols.h"
#include "gtest/gtest.h"
#include "tests/payload/parser_harness.h"

namespace mcpcap::payload {
namespace {

using testing::Chunk;
using testing::Feed;
using testing::kAllSplitModes;
using testing::MessageTypes;
using testing::Recorded;
using testing::SplitMode;

constexpr Side kC = Side::kClient;
constexpr Side kS = Side::kServer;

// Every split gives the same messages, credentials and facts as the bytes as sent, and no side
// stops early.
void ExpectSameForEverySplit(ParserFactory make, const std::vector<Chunk>& talk) {
  const Recorded base = testing::FeedEverySplit(make, talk);
  EXPECT_EQ(base.client_stop, "");
  EXPECT_EQ(base.server_stop, "");
}

// No result of the flow holds `secret`.
void ExpectSecretHidden(const Recorded& r, const std::string& secret) {
  for (const AppMessage& m : r.messages) {
    EXPECT_EQ(m.summary.find(secret), std::string::npos) << m.summary;
    EXPECT_EQ(m.head.find(secret), std::string::npos) << m.head;
    for (const auto& [k, v] : m.fields) EXPECT_EQ(v.find(secret), std::string::npos) << k;
  }
  for (const Credential& c : r.credentials) {
    EXPECT_EQ(c.evidence.find(secret), std::string::npos) << c.evidence;
    EXPECT_EQ(c.user.find(secret), std::string::npos);
  }
}

// ---- SSH ----

std::vector<Chunk> SshTalk() {
  std::string kexinit("\x00\x00\x05\xdc\x08\x14", 6);
  kexinit += std::string(200, '\x01') + "\r\n\n" + std::string(100, '\xee');
  return {
      {kS, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
      {kC, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
      {kC, kexinit},
      {kS, kexinit},
  };
}

TEST(SshParserTest, BannersThenEncrypted) {
  const Recorded r = Feed(MakeSshParser, SshTalk());
  EXPECT_EQ(r.facts.server_version, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
  EXPECT_EQ(r.facts.client_software, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "ssh");
  // The binary packets after the banners are not taken for lines.
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"banner", "banner"}));
  ExpectSameForEverySplit(MakeSshParser, SshTalk());
}

TEST(SshParserTest, LinesBeforeTheServerBanner) {
  const Recorded r = Feed(
      MakeSshParser, {{kS, "Welcome to the jump host\r\n"}, {kS, "SSH-2.0-dropbear_2022.83\r\n"}});
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"text", "banner"}));
  EXPECT_EQ(r.facts.server_version, "SSH-2.0-dropbear_2022.83");
}

// ---- FTP ----

std::vector<Chunk> FtpTalk() {
  return {
      {kS, "220 pyftpdlib 1.5.7 ready.\r\n"},
      {kC, "USER alice\r\n"},
      {kS, "331 Username ok, send password.\r\n"},
      {kC, "PASS s3cr3tpw\r\n"},
      {kS, "230 Login successful.\r\n"},
      {kC, "PWD\r\n"},
      {kS, "257 \"/\" is the current directory.\r\n"},
      {kC, "EPSV\r\n"},
      {kS, "229 Entering extended passive mode (|||40419|).\r\n"},
      {kC, "LIST\r\n"},
      {kS, "125 Data connection already open. Transfer starting.\r\n"},
      {kS, "226 Transfer complete.\r\n"},
      {kC, "FEAT\r\n"},
      {kS, "211-Features supported:\r\n EPRT\r\n EPSV\r\n MDTM\r\n211 End FEAT.\r\n"},
      {kC, "QUIT\r\n"},
      {kS, "221 Goodbye.\r\n"},
  };
}

TEST(FtpParserTest, CommandsRepliesUserAndPassword) {
  const Recorded r = Feed(MakeFtpParser, FtpTalk());
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"220", "USER", "331", "PASS", "230", "PWD", "257", "EPSV",
                                      "229", "LIST", "125", "226", "FEAT", "211", "QUIT", "221"}));
  EXPECT_EQ(r.facts.user, "alice");
  EXPECT_EQ(r.facts.server_version, "pyftpdlib 1.5.7 ready.");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "ftp_password");
  EXPECT_EQ(r.credentials[0].user, "alice");
  EXPECT_EQ(r.credentials[0].evidence.rfind("PASS s", 0), 0u);
  EXPECT_EQ(r.credentials[0].at.frame, 4u);
  ExpectSecretHidden(r, "s3cr3tpw");
  // The multi-line FEAT reply is one message, paired with its command; 125 and 226 both answer
  // LIST.
  EXPECT_EQ(r.messages[13].fields[1].second, "FEAT");
  EXPECT_EQ(r.messages[10].fields[1].second, "LIST");
  EXPECT_EQ(r.messages[11].fields[1].second, "LIST");
  EXPECT_FALSE(r.facts.encrypted);
  ExpectSameForEverySplit(MakeFtpParser, FtpTalk());
}

TEST(FtpParserTest, AuthTlsStopsPolitely) {
  const std::vector<Chunk> talk = {
      {kS, "220 (vsFTPd 3.0.3)\r\n"},
      {kC, "AUTH TLS\r\n"},
      {kS, "234 Proceed with negotiation.\r\n"},
      {kC, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + "\n\n\r\n"},
      {kS, std::string("\x16\x03\x03\x00\x7a\x02", 6) + "\r\n"},
  };
  const Recorded r = Feed(MakeFtpParser, talk);
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "starttls");
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"220", "AUTH", "234"}));
  ExpectSameForEverySplit(MakeFtpParser, talk);
}

TEST(FtpParserTest, AuthTlsRefusedGoesOn) {
  const Recorded r = Feed(MakeFtpParser, {{kS, "220 x\r\n"},
                                          {kC, "AUTH TLS\r\n"},
                                          {kS, "500 Command not understood.\r\n"},
                                          {kC, "USER bob\r\n"}});
  EXPECT_FALSE(r.facts.encrypted);
  EXPECT_EQ(r.facts.user, "bob");
}

TEST(FtpParserTest, ResyncsAfterAGap) {
  const std::vector<Chunk> talk = {
      {kS, "220 ready\r\n"},
      {kC, "USER bob\r\n"},
      {kC, "", 7},  // lost: "PASS x\r" minus one byte... the tail of a line follows
      {kC, "tail of lost line\r\nPWD\r\n"},
  };
  const Recorded r = Feed(MakeFtpParser, talk);
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"220", "USER", "PWD"}));
  EXPECT_EQ(r.client_stop, "");
}

TEST(FtpParserTest, OverlongLineIsSkippedWithANote) {
  const Recorded r =
      Feed(MakeFtpParser, {{kS, "220 ready\r\n"}, {kC, std::string(20000, 'A') + "\r\nNOOP\r\n"}});
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"220", "NOOP"}));
  ASSERT_EQ(r.facts.notes.size(), 1u);
  EXPECT_NE(r.facts.notes[0].find("longer than"), std::string::npos);
}

// ---- SMTP ----

std::vector<Chunk> SmtpTalk() {
  // AUTH PLAIN: "\0alice\0w0nderland" in base64.
  return {
      {kS, "220 debian Python SMTP 1.4.4.post2\r\n"},
      {kC, "EHLO [127.0.0.1]\r\n"},
      {kS,
       "250-debian\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH LOGIN "
       "PLAIN\r\n250 HELP\r\n"},
      {kC, "AUTH PLAIN AGFsaWNlAHcwbmRlcmxhbmQ=\r\n"},
      {kS, "235 2.7.0 Authentication successful\r\n"},
      {kC, "MAIL FROM:<alice@example.org>\r\n"},
      {kS, "250 OK\r\n"},
      {kC, "RCPT TO:<bob@example.org>\r\n"},
      {kS, "250 OK\r\n"},
      {kC, "DATA\r\n"},
      {kS, "354 End data with <CR><LF>.<CR><LF>\r\n"},
      {kC, "Subject: hi\r\n\r\nEHLO is not a command here\r\n..dot-stuffed\r\n"},
      {kC, ".\r\n"},
      {kS, "250 OK\r\n"},
      {kC, "QUIT\r\n"},
      {kS, "221 Bye\r\n"},
  };
}

TEST(SmtpParserTest, SessionWithAuthPlainAndBody) {
  const Recorded r = Feed(MakeSmtpParser, SmtpTalk());
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"220", "EHLO", "250", "AUTH", "235", "MAIL", "250", "RCPT",
                                      "250", "DATA", "354", "message_body", "250", "QUIT", "221"}));
  EXPECT_EQ(r.facts.server_version, "debian Python SMTP 1.4.4.post2");
  EXPECT_EQ(r.facts.user, "alice");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "smtp_auth");
  EXPECT_EQ(r.credentials[0].user, "alice");
  EXPECT_EQ(r.credentials[0].evidence.rfind("AUTH PLAIN A", 0), 0u);
  ExpectSecretHidden(r, "w0nderland");
  ExpectSecretHidden(r, "AGFsaWNlAHcwbmRlcmxhbmQ=");
  // The EHLO reply is one message of six lines; the body counts its bytes (with the final "."
  // line) and lines.
  EXPECT_EQ(r.messages[2].length, 91u);
  EXPECT_EQ(r.messages[11].summary, "message body: 61 bytes, 4 lines");
  EXPECT_EQ(r.messages[5].fields[1],
            (std::pair<std::string, std::string>{"from", "<alice@example.org>"}));
  // Replies are paired with their commands.
  EXPECT_EQ(r.messages[12].fields[1].second, ".");
  EXPECT_EQ(r.messages[10].fields[1].second, "DATA");
  ExpectSameForEverySplit(MakeSmtpParser, SmtpTalk());
}

TEST(SmtpParserTest, AuthLoginDecodesTheUser) {
  // "bob" / "hunter2hunter2".
  const std::vector<Chunk> talk = {
      {kS, "220 mx ESMTP\r\n"},
      {kC, "AUTH LOGIN\r\n"},
      {kS, "334 VXNlcm5hbWU6\r\n"},
      {kC, "Ym9i\r\n"},
      {kS, "334 UGFzc3dvcmQ6\r\n"},
      {kC, "aHVudGVyMmh1bnRlcjI=\r\n"},
      {kS, "235 Authentication successful\r\n"},
      {kC, "NOOP\r\n"},
      {kS, "250 OK\r\n"},
  };
  const Recorded r = Feed(MakeSmtpParser, talk);
  EXPECT_EQ(r.facts.user, "bob");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].user, "bob");
  EXPECT_EQ(r.credentials[0].kind, "smtp_auth");
  ExpectSecretHidden(r, "aHVudGVyMmh1bnRlcjI=");
  ExpectSecretHidden(r, "hunter2");
  EXPECT_EQ(MessageTypes(r).back(), "250");
  EXPECT_EQ(r.messages[r.messages.size() - 2].type, "NOOP");
  ExpectSameForEverySplit(MakeSmtpParser, talk);
}

TEST(SmtpParserTest, StartTlsThenEncrypted) {
  const std::vector<Chunk> talk = {
      {kS, "220 mx ESMTP Postfix (Debian/GNU)\r\n"},
      {kC, "EHLO client\r\n"},
      {kS, "250-mx\r\n250-STARTTLS\r\n250 8BITMIME\r\n"},
      {kC, "STARTTLS\r\n"},
      {kS, "220 2.0.0 Ready to start TLS\r\n"},
      {kC, std::string("\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", 10)},
  };
  const Recorded r = Feed(MakeSmtpParser, talk);
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "starttls");
  EXPECT_EQ(MessageTypes(r).back(), "220");
  ExpectSameForEverySplit(MakeSmtpParser, talk);
}

TEST(SmtpParserTest, PipelinedCommandsArePaired) {
  const std::vector<Chunk> talk = {
      {kS, "220 mx ESMTP\r\n"},
      {kC, "MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\nDATA\r\n"},
      {kS, "250 ok\r\n250 ok\r\n550 no such user\r\n354 go ahead\r\n"},
      {kC, "body\r\n.\r\n"},
      {kS, "250 queued\r\n"},
  };
  const Recorded r = Feed(MakeSmtpParser, talk);
  std::vector<std::string> pairs;
  for (const AppMessage& m : r.messages) {
    if (m.from == kS && m.fields.size() > 1) pairs.push_back(m.type + ":" + m.fields[1].second);
  }
  EXPECT_EQ(pairs, (std::vector<std::string>{"220:", "250:MAIL", "250:RCPT", "550:RCPT", "354:DATA",
                                             "250:."}));
  ExpectSameForEverySplit(MakeSmtpParser, talk);
}

TEST(SmtpParserTest, RejectedDataDoesNotSwallowCommands) {
  const Recorded r = Feed(
      MakeSmtpParser,
      {{kS, "220 mx ESMTP\r\n"}, {kC, "DATA\r\n"}, {kS, "503 need RCPT\r\n"}, {kC, "QUIT\r\n"}});
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"220", "DATA", "503", "QUIT"}));
}

// ---- POP3 ----

std::vector<Chunk> Pop3Talk() {
  return {
      {kS, "+OK Dovecot (Debian) ready.\r\n"},
      {kC, "CAPA\r\n"},
      {kS, "+OK\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nUSER\r\nSASL PLAIN\r\n.\r\n"},
      {kC, "USER carol\r\n"},
      {kS, "+OK\r\n"},
      {kC, "PASS p0p3secret\r\n"},
      {kS, "+OK Logged in.\r\n"},
      {kC, "RETR 1\r\n"},
      {kS, "+OK 40 octets\r\nSubject: x\r\n\r\n+OK this line is body\r\n.\r\n"},
      {kC, "QUIT\r\n"},
      {kS, "+OK Logging out.\r\n"},
  };
}

TEST(Pop3ParserTest, UserPassAndMultilineAnswers) {
  const Recorded r = Feed(MakePop3Parser, Pop3Talk());
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"+OK", "CAPA", "+OK", "multiline_body", "USER", "+OK", "PASS",
                                      "+OK", "RETR", "+OK", "multiline_body", "QUIT", "+OK"}));
  EXPECT_EQ(r.facts.server_version, "Dovecot (Debian) ready.");
  EXPECT_EQ(r.facts.user, "carol");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "pop3_password");
  EXPECT_EQ(r.credentials[0].user, "carol");
  EXPECT_EQ(r.credentials[0].evidence.rfind("PASS p", 0), 0u);
  ExpectSecretHidden(r, "p0p3secret");
  ExpectSameForEverySplit(MakePop3Parser, Pop3Talk());
}

TEST(Pop3ParserTest, StlsThenEncrypted) {
  const Recorded r = Feed(MakePop3Parser, {{kS, "+OK ready\r\n"},
                                           {kC, "STLS\r\n"},
                                           {kS, "+OK Begin TLS negotiation now.\r\n"},
                                           {kC, std::string("\x16\x03\x01\x00\x05\x01", 6)}});
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(r.facts.encryption, "starttls");
}

TEST(Pop3ParserTest, AuthPlainTwoSteps) {
  // "\0dave\0pw4dave"
  const std::vector<Chunk> talk = {{kS, "+OK ready\r\n"},
                                   {kC, "AUTH PLAIN\r\n"},
                                   {kS, "+ \r\n"},
                                   {kC, "AGRhdmUAcHc0ZGF2ZQ==\r\n"},
                                   {kS, "+OK Logged in.\r\n"},
                                   {kC, "STAT\r\n"},
                                   {kS, "+OK 0 0\r\n"}};
  const Recorded r = Feed(MakePop3Parser, talk);
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].user, "dave");
  ExpectSecretHidden(r, "AGRhdmUAcHc0ZGF2ZQ==");
  EXPECT_EQ(MessageTypes(r).back(), "+OK");
  EXPECT_EQ(r.messages[r.messages.size() - 2].type, "STAT");
  ExpectSameForEverySplit(MakePop3Parser, talk);
}

// ---- IMAP ----

std::vector<Chunk> ImapTalk() {
  return {
      {kS,
       "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
       "AUTH=PLAIN] Dovecot (Debian) ready.\r\n"},
      {kC, "A001 CAPABILITY\r\n"},
      {kS,
       "* CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
       "AUTH=PLAIN\r\nA001 OK Pre-login capabilities listed, post-login capabilities have "
       "more.\r\n"},
      {kC, "A002 LOGIN erin \"im4p pass\"\r\n"},
      {kS, "A002 OK Logged in\r\n"},
      {kC, "A003 SELECT INBOX\r\n"},
      {kS,
       "* FLAGS (\\Answered \\Flagged)\r\n* 1 EXISTS\r\n* 0 RECENT\r\nA003 OK [READ-WRITE] "
       "Select completed.\r\n"},
      {kC, "A004 FETCH 1 BODY[]\r\n"},
      {kS,
       "* 1 FETCH (BODY[] {24}\r\nSubject: x\r\n\r\nA9 OK no\r\n)\r\nA004 OK Fetch "
       "completed.\r\n"},
      {kC, "A005 LOGOUT\r\n"},
      {kS, "* BYE Logging out\r\nA005 OK Logout completed.\r\n"},
  };
}

TEST(ImapParserTest, LoginSelectFetchWithLiteral) {
  const Recorded r = Feed(MakeImapParser, ImapTalk());
  EXPECT_EQ(MessageTypes(r),
            (std::vector<std::string>{"greeting", "CAPABILITY", "* CAPABILITY", "OK", "LOGIN", "OK",
                                      "SELECT", "* FLAGS", "* EXISTS", "* RECENT", "OK", "FETCH",
                                      "* FETCH", "OK", "LOGOUT", "* BYE", "OK"}));
  EXPECT_EQ(r.facts.user, "erin");
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].kind, "imap_password");
  EXPECT_EQ(r.credentials[0].user, "erin");
  EXPECT_EQ(r.credentials[0].evidence.rfind("LOGIN erin i", 0), 0u);
  ExpectSecretHidden(r, "im4p pass");
  EXPECT_NE(r.facts.server_version.find("Dovecot"), std::string::npos);
  ExpectSameForEverySplit(MakeImapParser, ImapTalk());
}

TEST(ImapParserTest, StartTlsThenEncrypted) {
  const std::vector<Chunk> talk = {{kS, "* OK IMAP4rev1 ready\r\n"},
                                   {kC, "a STARTTLS\r\n"},
                                   {kS, "a OK Begin TLS negotiation now.\r\n"},
                                   {kC, std::string("\x16\x03\x01\x00\x05\x01\r\n", 8)}};
  const Recorded r = Feed(MakeImapParser, talk);
  EXPECT_TRUE(r.facts.encrypted);
  EXPECT_EQ(MessageTypes(r), (std::vector<std::string>{"greeting", "STARTTLS", "OK"}));
}

TEST(ImapParserTest, AuthenticatePlainInitialResponse) {
  // "\0frank\0imapPW!"
  const std::vector<Chunk> talk = {{kS, "* OK ready\r\n"},
                                   {kC, "1 AUTHENTICATE PLAIN AGZyYW5rAGltYXBQVyE=\r\n"},
                                   {kS, "1 OK Logged in\r\n"}};
  const Recorded r = Feed(MakeImapParser, talk);
  ASSERT_EQ(r.credentials.size(), 1u);
  EXPECT_EQ(r.credentials[0].user, "frank");
  EXPECT_EQ(r.credentials[0].kind, "imap_auth");
  ExpectSecretHidden(r, "AGZyYW5rAGltYXBQVyE=");
}

TEST(LineParsersTest, GarbageNeverStopsOrCrashes) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  for (ParserFactory make :
       {MakeSshParser, MakeFtpParser, MakeSmtpParser, MakePop3Parser, MakeImapParser}) {
    for (SplitMode mode : kAllSplitModes) {
      const Recorded r = Feed(make, {{kS, junk}, {kC, junk}, {kC, "", 10}, {kC, junk}}, mode);
      for (const AppMessage& m : r.messages) {
        EXPECT_LE(m.summary.size(), kMaxTextBytes);
        EXPECT_LE(m.head.size(), kPreviewBytes);
      }
    }
  }
}

}  // namespace
}  // namespace mcpcap::payload
