// Domain names on the wire (RFC 1035 4.1.4): labels and compression pointers, read with hard
// bounds so that hostile messages cannot loop, recurse or grow a name without limit.
#ifndef MCPCAP_BACKEND_DISSECT_DNS_NAME_H_
#define MCPCAP_BACKEND_DISSECT_DNS_NAME_H_

#include <cstddef>
#include <string>

#include "backend/base/byte_reader.h"
#include "backend/dissect/dns_anomaly.h"

namespace mcpcap {

inline constexpr size_t kDnsMaxNameWireLength = 255;
inline constexpr size_t kDnsMaxLabels = 127;
// Every pointer must land on a new offset, and a name has at most 127 labels, so more pointer
// hops than that means a loop even before an offset repeats.
inline constexpr size_t kDnsMaxPointerHops = 128;
// The root's presentation form (RFC 1035 5.1, dig). No other name reads "." : a dot inside a
// label is written "\.", so a label spelling "<Root>" or anything else cannot pass for the root.
inline constexpr char kDnsRootName[] = ".";

// Reads the name at `pos` of `message`. Its in-place bytes (before any pointer) must end at or
// before `limit` (the end of the enclosing record data, or message.size()); pointer targets may
// be anywhere in the message. On success sets *next to the byte after the in-place part and
// *out to the text form: labels joined by '.', no trailing dot, kDnsRootName for the root, bytes
// outside printable ASCII as \DDD and special characters backslash-escaped as dig does.
// On failure adds the anomaly, leaves in *out what was read so far, and returns false.
bool ReadDnsName(Bytes message, size_t pos, size_t limit, size_t* next, std::string* out,
                 DnsAnomalySet* anomalies);

// Appends one label's bytes in dig's presentation form (see above).
void AppendEscapedLabel(Bytes label, std::string* out);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_DISSECT_DNS_NAME_H_
