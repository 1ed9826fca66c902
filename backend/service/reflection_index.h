// What gRPC server reflection answers, independent of the protocol version (v1 and v1alpha have
// the same messages in different packages; reflection_service.h adapts both to this).
// Our contract's files are served from the descriptor set protoc wrote at build time, so they
// keep their comments (the allowed values of string fields are documented there); every other
// file comes from the generated pool.
#ifndef MCPCAP_BACKEND_SERVICE_REFLECTION_INDEX_H_
#define MCPCAP_BACKEND_SERVICE_REFLECTION_INDEX_H_

#include <google/protobuf/descriptor_database.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "backend/service/registered_services.h"

namespace mcpcap {

class ReflectionIndex {
 public:
  // `descriptor_set`: a serialized FileDescriptorSet with source info; its files under
  // `own_prefix` take precedence over the generated pool, its other files fill in what the pool
  // lacks. `services` names what list_services answers.
  ReflectionIndex(std::string_view descriptor_set, std::string_view own_prefix,
                  const RegisteredServices* services);
  ReflectionIndex(const ReflectionIndex&) = delete;
  ReflectionIndex& operator=(const ReflectionIndex&) = delete;

  // Full names of the services the server serves, sorted.
  std::vector<std::string> ServiceNames() const;

  // Each returns serialized FileDescriptorProtos: the file asked for first, then its
  // dependencies, transitively, each once. NOT_FOUND when nothing matches.
  absl::StatusOr<std::vector<std::string>> FileByName(const std::string& name);
  absl::StatusOr<std::vector<std::string>> FileContainingSymbol(const std::string& symbol);
  absl::StatusOr<std::vector<std::string>> FileContainingExtension(const std::string& type,
                                                                   int number);
  // The field numbers of every known extension of `type`, ascending.
  absl::StatusOr<std::vector<int>> ExtensionNumbers(const std::string& type);

 private:
  std::vector<std::string> WithDependencies(const google::protobuf::FileDescriptorProto& file)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RegisteredServices* services_;
  // protobuf promises no thread safety for these databases; reflection traffic is light.
  absl::Mutex mu_;
  google::protobuf::SimpleDescriptorDatabase own_files_ ABSL_GUARDED_BY(mu_);
  google::protobuf::DescriptorPoolDatabase generated_ ABSL_GUARDED_BY(mu_);
  google::protobuf::SimpleDescriptorDatabase imported_files_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<google::protobuf::MergedDescriptorDatabase> all_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_REFLECTION_INDEX_H_
