// The JSON type of the gateway: insertion-ordered so results keep the .proto field order.
#ifndef MCPCAP_GATEWAY_JSON_JSON_H_
#define MCPCAP_GATEWAY_JSON_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

namespace mcpcap::gateway {

using Json = nlohmann::ordered_json;

// Compact (indent < 0) or pretty text; invalid UTF-8 is replaced instead of throwing.
inline std::string DumpJson(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_JSON_JSON_H_
