#include "gateway/mcp/status_resource.h"

#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "gateway/backend/error_details.h"
#include "gateway/convert/message_to_json.h"
#include "mcpcap/v1/status.pb.h"

namespace mcpcap::gateway {

ResourceDef ServerStatusResource(Backend& backend) {
  ResourceDef def;
  def.uri = kServerStatusUri;
  def.name = "server_status";
  def.description =
      "The analysis server's state: its result cache (entries, memory_bytes and its limit, "
      "hits, misses, joined calls, evictions) and the captures it holds.";
  def.mime_type = "application/json";
  def.read = [&backend](const std::string& uri) -> Json {
    v1::GetServerStatusRequest request;
    std::string bytes;
    grpc::Status status = backend.Call("/mcpcap.v1.ServerStatusService/GetServerStatus",
                                       request.SerializeAsString(), &bytes);
    v1::GetServerStatusResponse response;
    if (!status.ok()) {
      throw std::runtime_error(absl::StrCat("server status: ", DescribeBackendError(status)));
    }
    if (!response.ParseFromString(bytes)) {
      throw std::runtime_error("server status: the backend's reply does not parse");
    }
    return Json::array({Json{{"uri", uri},
                             {"mimeType", "application/json"},
                             {"text", DumpJson(MessageToJson(response))}}});
  };
  return def;
}

}  // namespace mcpcap::gateway
