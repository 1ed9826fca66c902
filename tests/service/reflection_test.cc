// Server reflection v1 and v1alpha over the real gRPC stack on a real Unix socket, asked by a
// client generated from the same protos: the services listed, our files served with their
// comments and dependencies, extensions, and errors that leave the stream usable.
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/service/backend_on_socket.h"
#include "tests/service/served_services.h"

namespace mcpcap {
namespace {

namespace pb = google::protobuf;
using ::testing::Contains;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

struct V1 {
  using Api = grpc::reflection::v1::ServerReflection;
  using Request = grpc::reflection::v1::ServerReflectionRequest;
  using Response = grpc::reflection::v1::ServerReflectionResponse;
};
struct V1Alpha {
  using Api = grpc::reflection::v1alpha::ServerReflection;
  using Request = grpc::reflection::v1alpha::ServerReflectionRequest;
  using Response = grpc::reflection::v1alpha::ServerReflectionResponse;
};

template <typename Protocol>
class ReflectionTest : public ::testing::Test {
 protected:
  using Request = typename Protocol::Request;
  using Response = typename Protocol::Response;

  void SetUp() override {
    auto started = testing::StartBackendOnSocket("reflection");
    ASSERT_TRUE(started.ok()) << started.status();
    backend_ = std::move(started->backend);
    stub_ = Protocol::Api::NewStub(started->channel);
    stream_ = stub_->ServerReflectionInfo(&ctx_);
  }

  void TearDown() override {
    if (!stream_) return;
    stream_->WritesDone();
    grpc::Status status = stream_->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  // One request and its response, on the one stream of the test.
  Response Ask(const Request& request) {
    Response response;
    EXPECT_TRUE(stream_->Write(request));
    EXPECT_TRUE(stream_->Read(&response));
    EXPECT_EQ(response.original_request().SerializeAsString(), request.SerializeAsString());
    return response;
  }

  Response AskSymbol(const std::string& symbol) {
    Request request;
    request.set_file_containing_symbol(symbol);
    return Ask(request);
  }

  // The FileDescriptorProtos of a file_descriptor_response, in order.
  static std::vector<pb::FileDescriptorProto> Files(const Response& response) {
    std::vector<pb::FileDescriptorProto> files;
    for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
      files.emplace_back();
      EXPECT_TRUE(files.back().ParseFromString(bytes));
    }
    return files;
  }

  // Every dependency of every file sent is sent too, and no file twice.
  static void ExpectSelfContained(const std::vector<pb::FileDescriptorProto>& files) {
    std::set<std::string> names;
    for (const auto& file : files) EXPECT_TRUE(names.insert(file.name()).second) << file.name();
    for (const auto& file : files) {
      for (const std::string& dependency : file.dependency()) {
        EXPECT_THAT(names, Contains(dependency)) << "needed by " << file.name();
      }
    }
  }

  std::unique_ptr<BackendServer> backend_;
  std::unique_ptr<typename Protocol::Api::Stub> stub_;
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReaderWriter<Request, Response>> stream_;
};

using Protocols = ::testing::Types<V1, V1Alpha>;
TYPED_TEST_SUITE(ReflectionTest, Protocols);

TYPED_TEST(ReflectionTest, ListsOurServicesHealthAndReflection) {
  typename TestFixture::Request request;
  request.set_list_services("*");
  const auto response = this->Ask(request);
  ASSERT_TRUE(response.has_list_services_response()) << response.DebugString();
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, ElementsAreArray(testing::ServedServiceNames()));
  EXPECT_GE(testing::ContractServiceNames().size(), 3u);
}

// The comments are what a reflection user reads the allowed values of a string field from.
TYPED_TEST(ReflectionTest, OurMessagesComeWithTheirComments) {
  const auto response = this->AskSymbol("mcpcap.v1.AnalyzeCapinfosRequest");
  ASSERT_TRUE(response.has_file_descriptor_response()) << response.DebugString();
  const std::vector<pb::FileDescriptorProto> files = this->Files(response);
  ASSERT_FALSE(files.empty());
  this->ExpectSelfContained(files);
  const pb::FileDescriptorProto& file = files.front();

  int message_index = -1, field_index = -1;
  for (int m = 0; m < file.message_type_size(); ++m) {
    if (file.message_type(m).name() != "AnalyzeCapinfosRequest") continue;
    message_index = m;
    for (int f = 0; f < file.message_type(m).field_size(); ++f) {
      if (file.message_type(m).field(f).name() == "hashes") field_index = f;
    }
  }
  ASSERT_GE(message_index, 0);
  ASSERT_GE(field_index, 0);
  std::string comment;
  const std::vector<int> path{pb::FileDescriptorProto::kMessageTypeFieldNumber, message_index,
                              pb::DescriptorProto::kFieldFieldNumber, field_index};
  for (const auto& location : file.source_code_info().location()) {
    if (std::vector<int>(location.path().begin(), location.path().end()) == path) {
      comment = location.leading_comments();
    }
  }
  EXPECT_THAT(comment, HasSubstr("sha256"));
  EXPECT_THAT(comment, HasSubstr("none"));
}

TYPED_TEST(ReflectionTest, ServicesMethodsAndLibraryFilesAreFound) {
  for (const std::string& service : testing::ServedServiceNames()) {
    const auto response = this->AskSymbol(service);
    ASSERT_TRUE(response.has_file_descriptor_response()) << service << response.DebugString();
    this->ExpectSelfContained(this->Files(response));
  }
  typename TestFixture::Request by_name;
  by_name.set_file_by_filename("google/protobuf/descriptor.proto");
  const auto library = this->Ask(by_name);
  ASSERT_TRUE(library.has_file_descriptor_response()) << library.DebugString();
  EXPECT_EQ(this->Files(library).front().name(), "google/protobuf/descriptor.proto");
}

TYPED_TEST(ReflectionTest, ExtensionsOfOurOptions) {
  typename TestFixture::Request numbers;
  numbers.set_all_extension_numbers_of_type("google.protobuf.FieldOptions");
  const auto all = this->Ask(numbers);
  ASSERT_TRUE(all.has_all_extension_numbers_response()) << all.DebugString();
  EXPECT_EQ(all.all_extension_numbers_response().base_type_name(), "google.protobuf.FieldOptions");
  ASSERT_GT(all.all_extension_numbers_response().extension_number_size(), 0);

  typename TestFixture::Request containing;
  containing.mutable_file_containing_extension()->set_containing_type(
      "google.protobuf.FieldOptions");
  containing.mutable_file_containing_extension()->set_extension_number(
      all.all_extension_numbers_response().extension_number(0));
  const auto file = this->Ask(containing);
  ASSERT_TRUE(file.has_file_descriptor_response()) << file.DebugString();
  EXPECT_EQ(this->Files(file).front().package(), "mcpcap.v1");
}

TYPED_TEST(ReflectionTest, UnknownNamesAreNotFoundAndTheStreamGoesOn) {
  const auto symbol = this->AskSymbol("mcpcap.v1.NoSuchMessage");
  ASSERT_TRUE(symbol.has_error_response()) << symbol.DebugString();
  EXPECT_EQ(symbol.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(symbol.error_response().error_message(), HasSubstr("mcpcap.v1.NoSuchMessage"));

  typename TestFixture::Request file;
  file.set_file_by_filename("mcpcap/v1/no_such.proto");
  EXPECT_EQ(this->Ask(file).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  typename TestFixture::Request extension;
  extension.mutable_file_containing_extension()->set_containing_type(
      "google.protobuf.FieldOptions");
  extension.mutable_file_containing_extension()->set_extension_number(1);
  EXPECT_EQ(this->Ask(extension).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  typename TestFixture::Request numbers;
  numbers.set_all_extension_numbers_of_type("no.such.Type");
  EXPECT_EQ(this->Ask(numbers).error_response().error_code(), grpc::StatusCode::NOT_FOUND);

  EXPECT_TRUE(this->AskSymbol("mcpcap.v1.AnalyzeCapinfosRequest").has_file_descriptor_response());
}

}  // namespace
}  // namespace mcpcap
