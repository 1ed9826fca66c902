// resources/*: registered resources and templates (the product registers the backend's status,
// status_resource.h; the fixture server registers the conformance suite's).
#include <exception>

#include "gateway/mcp/server.h"

namespace mcpcap::gateway {

McpServer::Reply McpServer::ResourcesList() {
  Json list = Json::array();
  for (const ResourceDef& r : resources_) {
    Json item{{"uri", r.uri}, {"name", r.name}, {"description", r.description}};
    if (!r.mime_type.empty()) item["mimeType"] = r.mime_type;
    list.push_back(std::move(item));
  }
  return Ok(Json{{"resources", list}});
}

McpServer::Reply McpServer::ResourceTemplatesList() {
  Json list = Json::array();
  for (const ResourceTemplateDef& t : templates_) {
    Json item{{"uriTemplate", t.uri_template}, {"name", t.name}, {"description", t.description}};
    if (!t.mime_type.empty()) item["mimeType"] = t.mime_type;
    list.push_back(std::move(item));
  }
  return Ok(Json{{"resourceTemplates", list}});
}

McpServer::Reply McpServer::ResourcesRead(const Json& params) {
  auto uri = params.find("uri");
  if (uri == params.end() || !uri->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "resources/read needs a string \"uri\"");
  }
  for (const ResourceDef& r : resources_) {
    if (r.uri != *uri) continue;
    try {
      return Ok(Json{{"contents", r.read(*uri)}});
    } catch (const std::exception& e) {
      return Fail(jsonrpc::kInternalError, e.what());  // e.g. the backend is unreachable
    }
  }
  // The spec's error for an unknown resource.
  constexpr int kResourceNotFound = -32002;
  for (const ResourceTemplateDef& t : templates_) {
    if (auto vars = MatchUriTemplate(t.uri_template, *uri)) {
      Json contents = t.read(*uri, *vars);
      if (contents.is_null()) break;  // the template's variables name nothing
      return Ok(Json{{"contents", std::move(contents)}});
    }
  }
  return Fail(kResourceNotFound, "Resource not found: " + uri->get<std::string>());
}

McpServer::Reply McpServer::Subscribe(const Json& params, Session& session, bool subscribe) {
  auto uri = params.find("uri");
  if (uri == params.end() || !uri->is_string()) {
    return Fail(jsonrpc::kInvalidParams, "a string \"uri\" is needed");
  }
  if (!subscribe) {
    session.Unsubscribe(*uri);
  } else if (!session.Subscribe(*uri)) {
    return Fail(jsonrpc::kInvalidParams, "too many subscriptions in this session");
  }
  return Ok(Json::object());
}

}  // namespace mcpcap::gateway
