// What the backend is expected to serve, read from the contract's descriptor set rather than
// listed by hand, so that the tests follow renamed or added services.
#ifndef MCPCAP_TESTS_SERVICE_SERVED_SERVICES_H_
#define MCPCAP_TESTS_SERVICE_SERVED_SERVICES_H_

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mcpcap/proto/descriptor_set.h"

namespace mcpcap::testing {

// The full names of the services our contract defines.
inline std::vector<std::string> ContractServiceNames() {
  google::protobuf::FileDescriptorSet set;
  const std::string_view bytes = proto::DescriptorSetBytes();
  set.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  std::vector<std::string> names;
  for (const auto& file : set.file()) {
    if (file.name().rfind("mcpcap/", 0) != 0) continue;
    for (const auto& service : file.service())
      names.push_back(file.package() + "." + service.name());
  }
  return names;
}

// Ours plus gRPC's health and both reflection versions, sorted.
inline std::vector<std::string> ServedServiceNames() {
  std::vector<std::string> names = ContractServiceNames();
  names.insert(names.end(), {"grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                             "grpc.reflection.v1alpha.ServerReflection"});
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_SERVICE_SERVED_SERVICES_H_
