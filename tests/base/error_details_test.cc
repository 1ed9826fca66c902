// Errors with reasons: what ReasonError, FieldError and WithRetryDelay keep, and the
// google.rpc.Status the service sends for them.
#include "backend/base/error_details.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"

namespace mcpcap {
namespace {

template <typename Detail>
bool Unpack(const google::rpc::Status& rpc, int i, Detail* detail) {
  return i < rpc.details_size() &&
         rpc.details(i).type_url() == "type.googleapis.com/" + Detail::descriptor()->full_name() &&
         detail->ParseFromString(rpc.details(i).value());
}

TEST(ErrorDetailsTest, ReasonErrorKeepsCodeMessageReasonAndMetadata) {
  const absl::Status s =
      ReasonError(absl::StatusCode::kNotFound, v1::ERROR_REASON_CAPTURE_NOT_FOUND,
                  "capture '/x.pcap' not found", {{"pcap_file", "/x.pcap"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "capture '/x.pcap' not found");
  EXPECT_EQ(ErrorReasonOf(s), v1::ERROR_REASON_CAPTURE_NOT_FOUND);

  const google::rpc::Status rpc = ToRpcStatus(s);
  EXPECT_EQ(rpc.code(), 5);
  EXPECT_EQ(rpc.message(), "capture '/x.pcap' not found");
  ASSERT_EQ(rpc.details_size(), 1);  // no BadRequest, no RetryInfo
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Unpack(rpc, 0, &info));
  EXPECT_EQ(info.reason(), "CAPTURE_NOT_FOUND");
  EXPECT_EQ(info.domain(), "mcpcap.v1");
  EXPECT_EQ(info.metadata().at("pcap_file"), "/x.pcap");
}

TEST(ErrorDetailsTest, FieldErrorNamesTheField) {
  const absl::Status s =
      FieldError("options.bpf_filter", "bpf_filter 'tcp port' is not valid",
                 v1::ERROR_REASON_BPF_FILTER_INVALID, {{"bpf_filter", "tcp port"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  const google::rpc::Status rpc = ToRpcStatus(s);
  ASSERT_EQ(rpc.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Unpack(rpc, 0, &info));
  EXPECT_EQ(info.reason(), "BPF_FILTER_INVALID");
  EXPECT_EQ(info.metadata().at("field"), "options.bpf_filter");
  EXPECT_EQ(info.metadata().at("bpf_filter"), "tcp port");
  google::rpc::BadRequest bad;
  ASSERT_TRUE(Unpack(rpc, 1, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "options.bpf_filter");
  EXPECT_EQ(bad.field_violations(0).description(), "bpf_filter 'tcp port' is not valid");

  EXPECT_EQ(ErrorReasonOf(FieldError("hashes", "no")), v1::ERROR_REASON_INVALID_ARGUMENT);
}

TEST(ErrorDetailsTest, RetryDelayAndMessageChangesKeepTheReason) {
  const absl::Status busy = WithRetryDelay(
      ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_BUSY, "busy"),
      absl::Milliseconds(1500));
  const absl::Status wrapped = WithFacts(WithMessage(busy, "still busy"), {{"max_queue", "4"}});
  EXPECT_EQ(wrapped.message(), "still busy");
  EXPECT_EQ(wrapped.code(), absl::StatusCode::kResourceExhausted);
  const google::rpc::Status rpc = ToRpcStatus(wrapped);
  ASSERT_EQ(rpc.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Unpack(rpc, 0, &info));
  EXPECT_EQ(info.reason(), "SERVER_BUSY");
  EXPECT_EQ(info.metadata().at("max_queue"), "4");
  google::rpc::RetryInfo retry;
  ASSERT_TRUE(Unpack(rpc, 1, &retry));
  EXPECT_EQ(retry.retry_delay().seconds(), 1);
  EXPECT_EQ(retry.retry_delay().nanos(), 500000000);
}

TEST(ErrorDetailsTest, AStatusWithoutReasonGetsOneFromItsCode) {
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(Unpack(ToRpcStatus(absl::InvalidArgumentError("x")), 0, &info));
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  ASSERT_TRUE(Unpack(ToRpcStatus(absl::CancelledError("x")), 0, &info));
  EXPECT_EQ(info.reason(), "CALL_CANCELLED");
  ASSERT_TRUE(Unpack(ToRpcStatus(absl::InternalError("x")), 0, &info));
  EXPECT_EQ(info.reason(), "SERVER_ERROR");
  EXPECT_EQ(info.domain(), "mcpcap.v1");
  EXPECT_EQ(ErrorReasonOf(absl::InternalError("x")), v1::ERROR_REASON_UNSPECIFIED);
  EXPECT_EQ(ToRpcStatus(absl::OkStatus()).details_size(), 0);
}

TEST(ErrorDetailsTest, TheSameErrorGivesTheSameBytes) {
  auto bytes = [](ErrorFacts facts) {
    return ToRpcStatus(ReasonError(absl::StatusCode::kResourceExhausted,
                                   v1::ERROR_REASON_UPLOAD_TOO_LARGE, "too large", facts))
        .SerializeAsString();
  };
  EXPECT_EQ(bytes({{"limit_bytes", "10"}, {"size_bytes", "20"}, {"a", "1"}}),
            bytes({{"size_bytes", "20"}, {"a", "1"}, {"limit_bytes", "10"}}));
}

TEST(ErrorDetailsTest, EveryReasonNameIsUpperSnakeWithoutPrefix) {
  const auto* e = v1::ErrorReason_descriptor();
  for (int i = 1; i < e->value_count(); ++i) {
    const std::string name = ReasonName(static_cast<v1::ErrorReason>(e->value(i)->number()));
    EXPECT_THAT(name, ::testing::MatchesRegex("[A-Z][A-Z0-9_]*")) << e->value(i)->name();
    EXPECT_EQ("ERROR_REASON_" + name, e->value(i)->name());
  }
}

}  // namespace
}  // namespace mcpcap
