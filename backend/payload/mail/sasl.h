// SASL PLAIN and LOGIN as the mail protocols carry them (base64 lines): the user name, decoded,
// for Credential::user. The secret is never decoded into a result.
#ifndef MCPCAP_BACKEND_PAYLOAD_MAIL_SASL_H_
#define MCPCAP_BACKEND_PAYLOAD_MAIL_SASL_H_

#include <string>

#include "absl/strings/string_view.h"

namespace mcpcap::payload {

// The authentication identity of a base64 PLAIN response ("authzid NUL authcid NUL passwd");
// empty when it does not decode.
std::string SaslPlainUser(absl::string_view base64);
// A base64 line decoded as a user name (AUTH LOGIN's first answer); empty when invalid.
std::string SaslLoginUser(absl::string_view base64);

}  // namespace mcpcap::payload

#endif  // MCPCAP_BACKEND_PAYLOAD_MAIL_SASL_H_
