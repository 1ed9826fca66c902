// Every string of a request (paths, filters, URLs, names, nested and repeated ones included)
// must be free of NUL: C APIs below would cut it there and act on another value than the one
// the caller sent ("inside.pcap\0/etc/passwd"). Bytes fields carry data and are not checked.
#ifndef MCPCAP_BACKEND_SERVICE_REQUEST_STRINGS_H_
#define MCPCAP_BACKEND_SERVICE_REQUEST_STRINGS_H_

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace mcpcap {

// INVALID_ARGUMENT naming the first string field that holds a NUL byte.
absl::Status CheckRequestStrings(const google::protobuf::Message& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_REQUEST_STRINGS_H_
