// The typed Analyze stream carries each analysis' request and response in a oneof field of that
// message type; this finds the field from the type, so no list of analyses is kept by hand.
#ifndef MCPCAP_PROTO_ONEOF_FIELD_H_
#define MCPCAP_PROTO_ONEOF_FIELD_H_

#include <google/protobuf/descriptor.h>

namespace mcpcap::proto {

// The field of `oneof` whose message type is `type`, or nullptr.
inline const google::protobuf::FieldDescriptor* OneofFieldOfType(
    const google::protobuf::OneofDescriptor* oneof, const google::protobuf::Descriptor* type) {
  for (int i = 0; i < oneof->field_count(); ++i) {
    if (oneof->field(i)->message_type() == type) return oneof->field(i);
  }
  return nullptr;
}

}  // namespace mcpcap::proto

#endif  // MCPCAP_PROTO_ONEOF_FIELD_H_
