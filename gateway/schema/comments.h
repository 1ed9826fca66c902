// Source comments of the contract as one-line descriptions.
#ifndef MCPCAP_GATEWAY_SCHEMA_COMMENTS_H_
#define MCPCAP_GATEWAY_SCHEMA_COMMENTS_H_

#include <google/protobuf/descriptor.h>

#include <string>

namespace mcpcap::gateway {

// The leading comment of a descriptor (trailing if none), lines joined with single spaces.
// Empty when the pool has no source info or the element has no comment.
template <typename Descriptor>
std::string CommentOf(const Descriptor* d);

// Joins comment lines: trims each line, drops empty ones, separates with a space.
std::string NormalizeComment(const std::string& raw);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_SCHEMA_COMMENTS_H_
