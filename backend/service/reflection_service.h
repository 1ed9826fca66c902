// gRPC server reflection, v1 and v1alpha: one template over ReflectionIndex (which does the
// work), instantiated for the two protocols, whose messages are the same in different packages.
// Each request on the stream gets one response, as in gRPC's own implementation: errors are an
// ErrorResponse with the canonical code, and the stream goes on.
#ifndef MCPCAP_BACKEND_SERVICE_REFLECTION_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_REFLECTION_SERVICE_H_

#include <grpcpp/support/server_callback.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "backend/service/reflection_index.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace mcpcap {

template <typename Protocol>
class ReflectionService final : public Protocol::CallbackService {
 public:
  using Request = typename Protocol::Request;
  using Response = typename Protocol::Response;

  explicit ReflectionService(ReflectionIndex* index) : index_(index) {}

  grpc::ServerBidiReactor<Request, Response>* ServerReflectionInfo(
      grpc::CallbackServerContext*) override {
    return new Stream(index_);
  }

 private:
  // Reads a request, writes its response, reads the next, until the client closes its side.
  class Stream final : public grpc::ServerBidiReactor<Request, Response> {
   public:
    explicit Stream(ReflectionIndex* index) : index_(index) { this->StartRead(&request_); }

    void OnReadDone(bool ok) override {
      if (!ok) return this->Finish(grpc::Status::OK);
      response_.Clear();
      Answer(*index_, request_, &response_);
      this->StartWrite(&response_);
    }
    void OnWriteDone(bool ok) override {
      if (!ok) return this->Finish(grpc::Status::OK);  // the client is gone
      this->StartRead(&request_);
    }
    void OnDone() override { delete this; }

   private:
    ReflectionIndex* index_;
    Request request_;
    Response response_;
  };

  static void Answer(ReflectionIndex& index, const Request& request, Response* response) {
    response->set_valid_host(request.host());
    *response->mutable_original_request() = request;
    absl::Status status;
    switch (request.message_request_case()) {
      case Request::kFileByFilename:
        status = AddFiles(index.FileByName(request.file_by_filename()), response);
        break;
      case Request::kFileContainingSymbol:
        status = AddFiles(index.FileContainingSymbol(request.file_containing_symbol()), response);
        break;
      case Request::kFileContainingExtension: {
        const auto& extension = request.file_containing_extension();
        status = AddFiles(index.FileContainingExtension(extension.containing_type(),
                                                        extension.extension_number()),
                          response);
        break;
      }
      case Request::kAllExtensionNumbersOfType: {
        absl::StatusOr<std::vector<int>> numbers =
            index.ExtensionNumbers(request.all_extension_numbers_of_type());
        status = numbers.status();
        if (!numbers.ok()) break;
        auto* out = response->mutable_all_extension_numbers_response();
        out->set_base_type_name(request.all_extension_numbers_of_type());
        for (int number : *numbers) out->add_extension_number(number);
        break;
      }
      case Request::kListServices: {
        auto* out = response->mutable_list_services_response();
        for (const std::string& name : index.ServiceNames()) out->add_service()->set_name(name);
        break;
      }
      default:
        status = absl::UnimplementedError("unknown reflection request");
    }
    if (!status.ok()) {
      auto* error = response->mutable_error_response();
      error->set_error_code(static_cast<int>(status.code()));
      error->set_error_message(std::string(status.message()));
    }
  }

  static absl::Status AddFiles(absl::StatusOr<std::vector<std::string>> files, Response* response) {
    if (!files.ok()) return files.status();
    auto* out = response->mutable_file_descriptor_response();
    for (std::string& file : *files) out->add_file_descriptor_proto(std::move(file));
    return absl::OkStatus();
  }

  ReflectionIndex* index_;
};

struct ReflectionV1 {
  using CallbackService = grpc::reflection::v1::ServerReflection::CallbackService;
  using Request = grpc::reflection::v1::ServerReflectionRequest;
  using Response = grpc::reflection::v1::ServerReflectionResponse;
};
struct ReflectionV1Alpha {
  using CallbackService = grpc::reflection::v1alpha::ServerReflection::CallbackService;
  using Request = grpc::reflection::v1alpha::ServerReflectionRequest;
  using Response = grpc::reflection::v1alpha::ServerReflectionResponse;
};
using ReflectionV1Service = ReflectionService<ReflectionV1>;
using ReflectionV1AlphaService = ReflectionService<ReflectionV1Alpha>;

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_REFLECTION_SERVICE_H_
