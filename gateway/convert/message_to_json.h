// Protobuf -> JSON by reflection, in the shape the outputSchema promises: .proto field names in
// field-number order, 64-bit integers as JSON numbers, zero values present except for unset
// `optional` scalars and messages, NaN/Inf as null, map keys sorted, enums by name.
#ifndef MCPCAP_GATEWAY_CONVERT_MESSAGE_TO_JSON_H_
#define MCPCAP_GATEWAY_CONVERT_MESSAGE_TO_JSON_H_

#include <google/protobuf/message.h>

#include "gateway/json/json.h"

namespace mcpcap::gateway {

Json MessageToJson(const google::protobuf::Message& message);

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_CONVERT_MESSAGE_TO_JSON_H_
