// Subject, issuer and validity of an X.509 certificate, read by a bounded DER walk over the
// fields before the public key: no allocation beyond the output strings (each cut at
// kMaxValueBytes), no recursion, every length checked against its enclosing element.
#ifndef MCPCAP_BACKEND_PAYLOAD_TLS_X509_SUMMARY_H_
#define MCPCAP_BACKEND_PAYLOAD_TLS_X509_SUMMARY_H_

#include "backend/base/byte_reader.h"
#include "backend/payload/common/app_events.h"

namespace mcpcap::payload {

// Fills `out` from the DER certificate `der`. Names are RFC 4514 strings (most specific RDN
// first: "CN=example.com,O=Example,C=US"), times ISO 8601 UTC ("2024-01-01T00:00:00Z").
// False when the bytes are not a certificate this walk understands (out may be partly filled).
bool SummarizeCertificate(Bytes der, Certificate* out);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_TLS_X509_SUMMARY_H_
