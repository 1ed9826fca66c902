#include "backend/service/reflection_index.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <deque>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace mcpcap {

namespace pb = google::protobuf;

namespace {

absl::Status NotFound(absl::string_view what, absl::string_view name) {
  return absl::NotFoundError(absl::StrCat(what, " not found: ", name));
}

}  // namespace

ReflectionIndex::ReflectionIndex(std::string_view descriptor_set, std::string_view own_prefix,
                                 const RegisteredServices* services)
    : services_(services), generated_(*pb::DescriptorPool::generated_pool()) {
  pb::FileDescriptorSet set;
  if (set.ParseFromArray(descriptor_set.data(), static_cast<int>(descriptor_set.size()))) {
    for (const pb::FileDescriptorProto& file : set.file()) {
      if (file.name().compare(0, own_prefix.size(), own_prefix) == 0) {
        own_files_.Add(file);
      } else {
        imported_files_.Add(file);
      }
    }
  }
  all_ = std::make_unique<pb::MergedDescriptorDatabase>(
      std::vector<pb::DescriptorDatabase*>{&own_files_, &generated_, &imported_files_});
}

std::vector<std::string> ReflectionIndex::ServiceNames() const { return services_->Names(); }

absl::StatusOr<std::vector<std::string>> ReflectionIndex::FileByName(const std::string& name) {
  absl::MutexLock lock(&mu_);
  pb::FileDescriptorProto file;
  if (!all_->FindFileByName(name, &file)) return NotFound("file", name);
  return WithDependencies(file);
}

absl::StatusOr<std::vector<std::string>> ReflectionIndex::FileContainingSymbol(
    const std::string& symbol) {
  absl::MutexLock lock(&mu_);
  pb::FileDescriptorProto file;
  if (!all_->FindFileContainingSymbol(symbol, &file)) return NotFound("symbol", symbol);
  return WithDependencies(file);
}

absl::StatusOr<std::vector<std::string>> ReflectionIndex::FileContainingExtension(
    const std::string& type, int number) {
  absl::MutexLock lock(&mu_);
  pb::FileDescriptorProto file;
  if (!all_->FindFileContainingSymbol(type, &file)) return NotFound("type", type);
  if (!all_->FindFileContainingExtension(type, number, &file)) {
    return NotFound("extension", absl::StrCat(type, " ", number));
  }
  return WithDependencies(file);
}

absl::StatusOr<std::vector<int>> ReflectionIndex::ExtensionNumbers(const std::string& type) {
  absl::MutexLock lock(&mu_);
  pb::FileDescriptorProto file;
  if (!all_->FindFileContainingSymbol(type, &file)) return NotFound("type", type);
  std::vector<int> numbers;
  all_->FindAllExtensionNumbers(type, &numbers);  // false only when none is known
  return numbers;
}

std::vector<std::string> ReflectionIndex::WithDependencies(const pb::FileDescriptorProto& file) {
  std::vector<std::string> out{file.SerializeAsString()};
  std::set<std::string> seen{file.name()};
  std::deque<std::string> pending(file.dependency().begin(), file.dependency().end());
  while (!pending.empty()) {
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (!seen.insert(name).second) continue;
    pb::FileDescriptorProto dependency;
    if (!all_->FindFileByName(name, &dependency)) continue;  // the client reports what is missing
    out.push_back(dependency.SerializeAsString());
    pending.insert(pending.end(), dependency.dependency().begin(), dependency.dependency().end());
  }
  return out;
}

}  // namespace mcpcap
