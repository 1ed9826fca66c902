// Tool arguments (JSON) -> request messages.
#include "gateway/convert/args_to_message.h"

#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "gateway/schema/contract.h"
#include "mcpcap/v1/capinfos.pb.h"
#include "mcpcap/v1/tcp.pb.h"

namespace mcpcap::gateway {
namespace {

// Converts over the embedded pool, then re-reads as the generated type for easy checks.
template <typename T>
absl::Status Convert(const char* json, T* out, uint64_t cap = 0) {
  static std::unique_ptr<Contract> contract = *Contract::LoadEmbedded();
  const auto* type = contract->pool().FindMessageTypeByName(T::descriptor()->full_name());
  auto request = contract->NewMessage(type);
  absl::Status s = ArgsToMessage(Json::parse(json), request.get());
  CapMaxPackets(request.get(), cap);
  out->ParseFromString(request->SerializeAsString());
  return s;
}

TEST(ArgsToMessage, FillsFieldsAndFlattenedOptions) {
  v1::AnalyzeTcpConnectionsRequest r;
  ASSERT_TRUE(Convert(R"({"pcap_file":"/x.pcap","server_ip":"10.0.0.5","server_port":443,
                          "detailed":true,"max_packets":1000,"bpf_filter":"tcp",
                          "max_results":5})",
                      &r)
                  .ok());
  EXPECT_EQ(r.pcap_file(), "/x.pcap");
  EXPECT_EQ(r.server_ip(), "10.0.0.5");
  EXPECT_TRUE(r.has_server_port());
  EXPECT_EQ(r.server_port(), 443u);
  EXPECT_TRUE(r.detailed());
  EXPECT_EQ(r.options().max_packets(), 1000u);
  EXPECT_EQ(r.options().bpf_filter(), "tcp");
  EXPECT_EQ(r.options().max_results(), 5u);
}

// A closed set is given by its lowercase word, in any case, or the value's full name.
TEST(ArgsToMessage, EnumArgumentsIgnoreCase) {
  for (const char* given : {"sha256", "SHA256", "Sha256", "CAPINFOS_HASHES_SHA256"}) {
    v1::AnalyzeCapinfosRequest r;
    const std::string args = absl::StrCat(R"({"pcap_file":"a","hashes":")", given, R"("})");
    ASSERT_TRUE(Convert(args.c_str(), &r).ok()) << given;
    EXPECT_EQ(r.hashes(), v1::CAPINFOS_HASHES_SHA256) << given;
  }
  v1::AnalyzeCapinfosRequest r;
  const absl::Status s = Convert(R"({"pcap_file":"a","hashes":"md5"})", &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("must be one of sha256, all, none"), std::string::npos) << s;
  EXPECT_FALSE(Convert(R"({"pcap_file":"a","hashes":"unspecified"})", &r).ok());
}

// gRPC-only fields (mcp_hidden) are not arguments.
TEST(ArgsToMessage, HiddenFieldsAreUnknownArguments) {
  v1::AnalyzeCapinfosRequest r;
  const absl::Status s = Convert(R"({"capture":"captures/00"})", &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown argument 'capture'"), std::string::npos) << s;
  EXPECT_EQ(s.message().find(", capture"), std::string::npos) << s;  // not offered either
}

// Enum values by name or number; a number is read at full width (2^32 + 1 is not 1).
// descriptor.proto's FieldDescriptorProto.type stands in for an enum of any pool.
TEST(ArgsToMessage, EnumNumbersAreReadAtFullWidth) {
  google::protobuf::FieldDescriptorProto field;
  EXPECT_TRUE(ArgsToMessage(Json::parse(R"({"type": "TYPE_STRING"})"), &field).ok());
  EXPECT_EQ(field.type(), google::protobuf::FieldDescriptorProto::TYPE_STRING);
  EXPECT_TRUE(ArgsToMessage(Json::parse(R"({"type": 1})"), &field).ok());
  EXPECT_EQ(field.type(), google::protobuf::FieldDescriptorProto::TYPE_DOUBLE);
  for (const char* wide : {R"({"type": 4294967297})", R"({"type": -4294967295})",
                           R"({"type": 18446744073709551615})"}) {
    google::protobuf::FieldDescriptorProto other;
    const absl::Status s = ArgsToMessage(Json::parse(wide), &other);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << wide;
    EXPECT_FALSE(other.has_type()) << wide;
  }
}

TEST(ArgsToMessage, LaxWhereUnambiguous) {
  v1::AnalyzeTcpConnectionsRequest r;
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","server_port":"80","detailed":"true",
                          "max_packets":10.0})",
                      &r)
                  .ok());
  EXPECT_EQ(r.server_port(), 80u);
  EXPECT_TRUE(r.detailed());
  EXPECT_EQ(r.options().max_packets(), 10u);
  v1::AnalyzeTcpRetransmissionsRequest t;
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","threshold":"0.05"})", &t).ok());
  EXPECT_DOUBLE_EQ(t.threshold(), 0.05);
}

TEST(ArgsToMessage, NullMeansNotGiven) {
  v1::AnalyzeTcpConnectionsRequest r;
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","server_ip":null,"server_port":null})", &r).ok());
  EXPECT_FALSE(r.has_server_ip());
  EXPECT_FALSE(r.has_server_port());
}

TEST(ArgsToMessage, RejectsWrongTypesClearly) {
  v1::AnalyzeTcpConnectionsRequest r;
  absl::Status s = Convert(R"({"pcap_file":"a","server_port":"http"})", &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "argument 'server_port' must be an integer, got a string \"http\"");
  s = Convert(R"({"pcap_file":"a","server_port":-1})", &r);
  EXPECT_NE(s.message().find("out of range"), std::string::npos) << s;
  s = Convert(R"({"pcap_file":"a","server_port":4294967296})", &r);
  EXPECT_NE(s.message().find("out of range"), std::string::npos) << s;
  s = Convert(R"({"pcap_file":"a","server_port":1.5})", &r);
  EXPECT_NE(s.message().find("must be an integer"), std::string::npos) << s;
  s = Convert(R"({"pcap_file":42})", &r);
  EXPECT_EQ(s.message(), "argument 'pcap_file' must be a string, got an integer 42");
  s = Convert(R"({"pcap_file":"a","detailed":"maybe"})", &r);
  EXPECT_NE(s.message().find("must be a boolean"), std::string::npos) << s;
}

TEST(ArgsToMessage, RefusesNulInStrings) {
  // A path, filter or URL would be cut at the NUL by the C APIs that use it.
  v1::AnalyzeTcpConnectionsRequest r;
  for (const char* json : {R"({"pcap_file":"inside.pcap\u0000/etc/passwd"})",
                           R"({"pcap_file":"a","bpf_filter":"tcp\u0000 or udp"})",
                           R"({"pcap_file":"https://example.com/a\u0000.pcap"})"}) {
    absl::Status s = Convert(json, &r);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    EXPECT_NE(s.message().find("NUL"), std::string::npos) << s;
  }
}

TEST(ArgsToMessage, UnknownArgumentsAreNamed) {
  v1::AnalyzeCapinfosRequest r;
  absl::Status s = Convert(R"({"pcap_file":"a","pcap":"b","verbose":true})", &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown arguments 'pcap', 'verbose'"), std::string::npos) << s;
  EXPECT_NE(s.message().find("accepted: pcap_file"), std::string::npos) << s;
  // The nested message itself is not an argument: its fields are.
  s = Convert(R"({"pcap_file":"a","options":{}})", &r);
  EXPECT_NE(s.message().find("unknown argument 'options'"), std::string::npos) << s;
}

// (mcp_name): CaptureOptions.page_token is the argument `cursor`; its .proto name is no
// argument at all.
TEST(ArgsToMessage, FieldsRenamedForMcpGoByTheirMcpNameOnly) {
  v1::AnalyzeCapinfosRequest r;
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","cursor":"tok"})", &r).ok());
  EXPECT_EQ(r.options().page_token(), "tok");
  absl::Status s = Convert(R"({"pcap_file":"a","page_token":"tok"})", &r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unknown argument 'page_token'"), std::string::npos) << s;
  EXPECT_NE(s.message().find("max_results, cursor"), std::string::npos) << s;
  EXPECT_EQ(s.message().find("accepted: page_token"), std::string::npos) << s;
  EXPECT_NE(Convert(R"({"pcap_file":"a","cursor":5})", &r).message().find("argument 'cursor'"),
            std::string::npos);
}

TEST(ArgumentNameOf, FlattenedAndRenamedFields) {
  const auto* d = v1::AnalyzeTcpConnectionsRequest::descriptor();
  EXPECT_EQ(ArgumentNameOf(d, "options.bpf_filter"), "bpf_filter");
  EXPECT_EQ(ArgumentNameOf(d, "options.page_token"), "cursor");
  EXPECT_EQ(ArgumentNameOf(d, "server_port"), "server_port");
  EXPECT_EQ(ArgumentNameOf(d, "options"), "options");
  EXPECT_EQ(ArgumentNameOf(d, "nope.page_token"), "nope.page_token");
  EXPECT_EQ(ArgumentNameOf(d, "options.page_token.x"), "cursor.x");
}

TEST(ArgsToMessage, MissingRequired) {
  v1::AnalyzeCapinfosRequest r;
  EXPECT_EQ(Convert("{}", &r).message(), "missing required argument 'pcap_file'");
  EXPECT_EQ(Convert(R"({"pcap_file":null})", &r).message(),
            "missing required argument 'pcap_file'");
  v1::AnalyzeTrafficFlowRequest f;
  EXPECT_EQ(Convert(R"({"pcap_file":"a"})", &f).message(), "missing required argument 'server_ip'");
}

TEST(ArgsToMessage, ArgumentsMustBeAnObject) {
  v1::AnalyzeCapinfosRequest r;
  EXPECT_NE(Convert("[1]", &r).message().find("must be a JSON object"), std::string::npos);
}

TEST(CapMaxPackets, TakesTheSmallerAndFillsZero) {
  v1::AnalyzeCapinfosRequest r;
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","max_packets":50})", &r, 100).ok());
  EXPECT_EQ(r.options().max_packets(), 50u);
  ASSERT_TRUE(Convert(R"({"pcap_file":"a","max_packets":500})", &r, 100).ok());
  EXPECT_EQ(r.options().max_packets(), 100u);
  ASSERT_TRUE(Convert(R"({"pcap_file":"a"})", &r, 100).ok());
  EXPECT_EQ(r.options().max_packets(), 100u);
  ASSERT_TRUE(Convert(R"({"pcap_file":"a"})", &r, 0).ok());
  EXPECT_EQ(r.options().max_packets(), 0u);
}

}  // namespace
}  // namespace mcpcap::gateway
