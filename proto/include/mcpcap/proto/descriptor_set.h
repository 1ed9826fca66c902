// The contract's FileDescriptorSet (with source comments), embedded at build time.
#ifndef MCPCAP_PROTO_DESCRIPTOR_SET_H_
#define MCPCAP_PROTO_DESCRIPTOR_SET_H_

#include <string_view>

namespace mcpcap::proto {

// Serialized google.protobuf.FileDescriptorSet of mcpcap.proto and its imports.
std::string_view DescriptorSetBytes();

}  // namespace mcpcap::proto

#endif  // MCPCAP_PROTO_DESCRIPTOR_SET_H_
