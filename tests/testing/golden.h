// Golden JSON files: a result serialised with the proto field names and every primitive field,
// compared with the file checked in; MCPCAP_UPDATE_GOLDEN=1 rewrites the file instead.
#ifndef MCPCAP_TESTS_TESTING_GOLDEN_H_
#define MCPCAP_TESTS_TESTING_GOLDEN_H_

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "gtest/gtest.h"

namespace mcpcap::testing {

inline std::string ToGoldenJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  // Map entries come out in hash order unless the binary form is deterministic (sorted keys),
  // so convert from a deterministic serialisation.
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", message.GetDescriptor()->file()->pool()));
  std::string json;
  EXPECT_TRUE(google::protobuf::util::BinaryToJsonString(
                  resolver.get(), "type.googleapis.com/" + message.GetDescriptor()->full_name(),
                  binary, &json, options)
                  .ok());
  return json;
}

inline void ExpectGolden(const std::string& json, const std::string& path) {
  const char* update = std::getenv("MCPCAP_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << json;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path
                         << " (create it with MCPCAP_UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(json, want.str()) << "golden mismatch for " << path
                              << "; if the change is intended, rerun with MCPCAP_UPDATE_GOLDEN=1";
}

}  // namespace mcpcap::testing

#endif  // MCPCAP_TESTS_TESTING_GOLDEN_H_
