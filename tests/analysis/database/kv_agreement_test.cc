// Our Redis and MongoDB parsers against tshark's dissectors, over every capture that has either:
// the shared public captures and our own recordings (tests/analysis/payload/data/redis_*.pcap).
//
//  - Redis: tshark 4.0 has a RESP dissector ("resp", RESP2 only, port 6379 by default; other ports
//    via -d tcp.port==N,resp). Client commands are flat arrays of bulk strings, which tshark's
//    fields give exactly (resp.array.length, resp.bulk_string.value): every command of every
//    flow must agree in order, argument for argument (compared through our own text formatting,
//    so passwords are masked on both sides). Replies are not compared: tshark 4.0 decodes RESP2
//    only (RESP3 maps, sets, doubles, pushes come out as errors) and flattens nested arrays.
//  - MongoDB: tshark's "mongo" dissector: every message's opcode, requestID, responseTo, full
//    collection name (legacy opcodes) and, for requests, the command name (the first element of
//    the command document) must agree, message by message in each direction.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backend/analysis/payload/payload_scan.h"
#include "backend/payload/mongodb/mongodb_wire.h"
#include "backend/payload/redis/redis_commands.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

using payload::Protocol;

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

bool HaveTshark() { return std::system("tshark -v >/dev/null 2>&1") == 0; }

std::vector<std::string> Captures() {
  std::vector<std::string> paths;
  for (const char* dir : {MCPCAP_SHARED_CAPTURES, MCPCAP_PAYLOAD_TEST_DATA}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext == ".pcap" || ext == ".pcapng") paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string FromHex(absl::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int v = 0;
    for (size_t j = 0; j < 2; ++j) {
      const char c = absl::ascii_tolower(hex[i + j]);
      v = v * 16 + (c >= 'a' ? c - 'a' + 10 : c - '0');
    }
    out += static_cast<char>(v);
  }
  return out;
}

std::vector<std::string> Occurrences(absl::string_view field) {
  if (field.empty()) return {};
  return absl::StrSplit(field, '|');
}

// tshark's fields for the packets of one capture that `filter` selects, one line per packet.
std::vector<std::vector<std::string>> TsharkFields(const std::string& path,
                                                   const std::string& decode_as,
                                                   const std::string& filter,
                                                   const std::vector<std::string>& fields) {
  std::string command = absl::StrCat("tshark -n -r '", path, "' ", decode_as, " -Y '", filter,
                                     "' -T fields -E occurrence=a -E aggregator='|'");
  for (const std::string& f : fields) absl::StrAppend(&command, " -e ", f);
  absl::StrAppend(&command, " 2>/dev/null");
  std::vector<std::vector<std::string>> lines;
  for (absl::string_view line : absl::StrSplit(Run(command), '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    cols.resize(fields.size());
    lines.push_back(std::move(cols));
  }
  return lines;
}

struct Counts {
  int captures = 0;
  int flows = 0;
  int compared = 0;  // commands / messages
  int agreed = 0;
};

// The tshark columns read for each packet.
enum Column {
  kProtocols,
  kSourcePort,
  kDestinationPort,
  kArrayLength,
  kBulkValue,
  kOpCode,
  kRequestId,
  kResponseTo,
  kCollection,
  kElement,
  kColumns,
};
const std::vector<std::string> kFields = {"frame.protocols",
                                          "tcp.srcport",
                                          "tcp.dstport",
                                          "resp.array.length",
                                          "resp.bulk_string.value",
                                          "mongo.opcode",
                                          "mongo.request_id",
                                          "mongo.response_to",
                                          "mongo.full_collection_name",
                                          "mongo.element.name"};

using Lines = std::vector<std::vector<std::string>>;

// Client commands sent to `server_port`, by client port, in order, as tshark decodes them: each
// command's arguments put through our own text formatting.
std::map<uint16_t, std::vector<std::string>> TsharkRedisCommands(const Lines& lines,
                                                                 uint16_t server_port) {
  std::map<uint16_t, std::vector<std::string>> by_client;
  for (const auto& cols : lines) {
    uint32_t client = 0;
    uint32_t server = 0;
    if (!absl::StrContains(cols[kProtocols], ":resp") ||
        !absl::SimpleAtoi(cols[kSourcePort], &client) ||
        !absl::SimpleAtoi(cols[kDestinationPort], &server) || server != server_port) {
      continue;
    }
    const std::vector<std::string> values = Occurrences(cols[kBulkValue]);
    size_t next = 0;
    for (const std::string& count_text : Occurrences(cols[kArrayLength])) {
      int count = 0;
      if (!absl::SimpleAtoi(count_text, &count) || count <= 0) continue;
      std::vector<std::string> args;
      std::vector<uint64_t> sizes;
      for (int i = 0; i < count && next < values.size(); ++i, ++next) {
        std::string value = FromHex(values[next]);
        sizes.push_back(value.size());
        value.resize(std::min(value.size(), payload::kMaxValueBytes));
        args.push_back(std::move(value));
      }
      by_client[static_cast<uint16_t>(client)].push_back(
          payload::RedisCommandText(args, sizes, args.size()));
    }
  }
  return by_client;
}

// One MongoDB message as both sides describe it.
std::string MongoKey(absl::string_view op, absl::string_view request_id,
                     absl::string_view response_to, absl::string_view collection,
                     absl::string_view command) {
  return absl::StrCat(op, " id=", request_id, " to=", response_to, " ns=", collection,
                      " cmd=", command);
}

// MongoDB messages by source port, in order, as tshark decodes them.
std::map<uint16_t, std::vector<std::string>> TsharkMongoMessages(const Lines& lines) {
  std::map<uint16_t, std::vector<std::string>> by_source;
  for (const auto& cols : lines) {
    uint32_t source = 0;
    if (!absl::StrContains(cols[kProtocols], ":mongo") ||
        !absl::SimpleAtoi(cols[kSourcePort], &source)) {
      continue;
    }
    const std::vector<std::string> ops = Occurrences(cols[kOpCode]);
    const std::vector<std::string> ids = Occurrences(cols[kRequestId]);
    const std::vector<std::string> tos = Occurrences(cols[kResponseTo]);
    const std::vector<std::string> names = Occurrences(cols[kCollection]);
    const std::vector<std::string> elements = Occurrences(cols[kElement]);
    for (size_t i = 0; i < ops.size() && i < ids.size() && i < tos.size(); ++i) {
      int32_t op = 0;
      uint32_t id = 0;
      uint32_t to = 0;
      if (!absl::SimpleAtoi(ops[i], &op) || !absl::SimpleHexAtoi(ids[i], &id) ||
          !absl::SimpleHexAtoi(tos[i], &to)) {
        continue;
      }
      const bool request = op != payload::kOpReply && !(op == payload::kOpMsg && to != 0);
      // The command is the first element of the request's document (one message per frame).
      const std::string command =
          request && ops.size() == 1 && !elements.empty() ? elements[0] : "";
      by_source[static_cast<uint16_t>(source)].push_back(
          MongoKey(payload::MongoOpCodeName(op), absl::StrCat(id), absl::StrCat(to),
                   ops.size() == 1 && !names.empty() ? names[0] : "", command));
    }
  }
  return by_source;
}

std::string Field(const payload::AppMessage& m, absl::string_view key) {
  for (const auto& [k, v] : m.fields) {
    if (k == key) return v;
  }
  return "";
}

void CompareRedis(const PayloadFlowResult& flow, const Lines& lines, const std::string& path,
                  Counts& counts) {
  ++counts.flows;
  const std::vector<std::string> theirs =
      TsharkRedisCommands(lines, flow.server_port)[flow.client_port];
  std::vector<std::string> ours;
  for (const payload::DbQuery& q : flow.queries) ours.push_back(q.text);
  const bool any_inline = std::any_of(flow.messages.begin(), flow.messages.end(),
                                      [](const auto& m) { return Field(m, "inline") == "true"; });
  if (any_inline) {
    // tshark 4.0's RESP dissector reads no inline commands: its commands must be ours, in
    // order, with the inline ones between them.
    auto at = ours.begin();
    for (const std::string& t : theirs) {
      at = std::find(at, ours.end(), t);
      EXPECT_NE(at, ours.end()) << path << " client port " << flow.client_port << ": " << t;
      if (at == ours.end()) break;
      ++at;
      ++counts.agreed;
    }
    counts.compared += static_cast<int>(theirs.size());
    return;
  }
  EXPECT_EQ(ours, theirs) << path << " client port " << flow.client_port;
  counts.compared += static_cast<int>(theirs.size());
  for (size_t i = 0; i < theirs.size() && i < ours.size(); ++i) {
    counts.agreed += ours[i] == theirs[i] ? 1 : 0;
  }
}

void CompareMongo(const PayloadFlowResult& flow, const Lines& lines, const std::string& path,
                  Counts& counts) {
  ++counts.flows;
  const auto theirs = TsharkMongoMessages(lines);
  std::map<uint16_t, std::vector<std::string>> ours;
  for (const payload::AppMessage& m : flow.messages) {
    const bool from_client = m.from == payload::Side::kClient;
    const std::string command = Field(m, "response_to") == "0" ? Field(m, "command") : "";
    ours[from_client ? flow.client_port : flow.server_port].push_back(
        MongoKey(m.type, Field(m, "request_id"), Field(m, "response_to"),
                 Field(m, "full_collection_name"), command));
  }
  for (uint16_t port : {flow.client_port, flow.server_port}) {
    const auto it = theirs.find(port);
    const std::vector<std::string> none;
    const std::vector<std::string>& t = it == theirs.end() ? none : it->second;
    EXPECT_EQ(ours[port], t) << path << " from port " << port;
    counts.compared += static_cast<int>(t.size());
    for (size_t i = 0; i < t.size() && i < ours[port].size(); ++i) {
      counts.agreed += ours[port][i] == t[i] ? 1 : 0;
    }
  }
}

TEST(KvAgreementTest, RedisAndMongoDbAgreeWithTshark) {
  if (!std::filesystem::is_directory(MCPCAP_SHARED_CAPTURES)) {
    GTEST_SKIP() << "no shared captures at " << MCPCAP_SHARED_CAPTURES;
  }
  if (!HaveTshark()) GTEST_SKIP() << "tshark is not installed";
  Counts redis;
  Counts mongo;
  int unreadable = 0;
  for (const std::string& path : Captures()) {
    AnalysisInput input;
    input.source = input.local_path = path;
    PayloadScanOptions options;
    options.max_messages_per_flow = 100000;
    absl::StatusOr<PayloadScanResult> result = RunPayloadScan(input, options);
    if (!result.ok()) {  // the shared set has deliberately broken files
      ++unreadable;
      continue;
    }
    // tshark decodes its registered ports (6379, 27017) and, as we tell it, the ports where we
    // found Redis or MongoDB; one run per capture.
    std::string decode_as;
    bool our_redis = false;
    bool our_mongo = false;
    bool registered_port = false;  // tshark dissects RESP and mongo on these ports only
    for (const PayloadFlowResult& flow : result->flows) {
      for (uint16_t port : {flow.client_port, flow.server_port}) {
        registered_port |= port == 6379 || port == 27017;
      }
      if (flow.detection.protocol == Protocol::kRedis) {
        our_redis = true;
        absl::StrAppend(&decode_as, " -d tcp.port==", flow.server_port, ",resp");
      } else if (flow.detection.protocol == Protocol::kMongoDb) {
        our_mongo = true;
        absl::StrAppend(&decode_as, " -d tcp.port==", flow.server_port, ",mongo");
      }
    }
    if (!our_redis && !our_mongo && !registered_port) continue;  // tshark would see none either
    // tshark decodes a message split over segments once per segment before reassembling it
    // (resp.partial, resp.reassembled_in_next_frame): only the reassembled one counts.
    const Lines lines = TsharkFields(
        path, decode_as, "(resp && !resp.partial && !resp.reassembled_in_next_frame) || mongo",
        kFields);
    bool their_redis = false;
    bool their_mongo = false;
    for (const auto& cols : lines) {
      their_redis |= absl::StrContains(cols[kProtocols], ":resp");
      their_mongo |= absl::StrContains(cols[kProtocols], ":mongo");
    }
    // Nothing tshark recognises is missed.
    EXPECT_EQ(our_redis, their_redis) << path;
    EXPECT_EQ(our_mongo, their_mongo) << path;
    redis.captures += our_redis ? 1 : 0;
    mongo.captures += our_mongo ? 1 : 0;
    for (const PayloadFlowResult& flow : result->flows) {
      if (flow.detection.protocol == Protocol::kRedis) CompareRedis(flow, lines, path, redis);
      if (flow.detection.protocol == Protocol::kMongoDb) CompareMongo(flow, lines, path, mongo);
    }
  }
  std::printf("redis vs tshark: %d captures, %d flows, %d of %d commands agree\n", redis.captures,
              redis.flows, redis.agreed, redis.compared);
  std::printf("mongodb vs tshark: %d captures, %d flows, %d of %d messages agree\n", mongo.captures,
              mongo.flows, mongo.agreed, mongo.compared);
  std::printf("(%d unreadable captures skipped)\n", unreadable);
  EXPECT_GE(redis.captures, 5);  // zeek__set.pcap and our four recordings
  EXPECT_GT(redis.compared, 50);
  EXPECT_GE(mongo.captures, 1);  // pbeat__mongodb_inserts.pcap
  EXPECT_GE(mongo.compared, 10);
}

}  // namespace
}  // namespace mcpcap
