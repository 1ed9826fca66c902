#include "gateway/mcp/schema_resource.h"

namespace mcpcap::gateway {

ResourceTemplateDef ToolSchemaResources(const Contract& contract) {
  ResourceTemplateDef def;
  def.uri_template = kToolSchemaUriTemplate;
  def.name = "tool_output_schema";
  def.description =
      "The whole JSON Schema of a tool's result (tools/list cuts deep levels to stay small)";
  def.mime_type = "application/schema+json";
  def.read = [&contract](const std::string& uri, const std::map<std::string, std::string>& vars) {
    auto tool = vars.find("tool");
    const ToolSpec* spec = tool == vars.end() ? nullptr : contract.FindTool(tool->second);
    if (spec == nullptr) return Json();  // not found
    return Json::array({Json{{"uri", uri},
                             {"mimeType", "application/schema+json"},
                             {"text", spec->full_output_schema.dump()}}});
  };
  return def;
}

}  // namespace mcpcap::gateway
