#include "backend/service/prompt_service.h"

#include "absl/container/flat_hash_set.h"
#include "backend/prompts/prompt_catalog.h"
#include "backend/service/request_strings.h"
#include "backend/service/status_conversion.h"

namespace mcpcap {

grpc::ServerUnaryReactor* PromptService::ListPrompts(grpc::CallbackServerContext* ctx,
                                                     const v1::ListPromptsRequest* request,
                                                     v1::ListPromptsResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (absl::Status strings = CheckRequestStrings(*request); !strings.ok()) {
    reactor->Finish(ToGrpcStatus(strings));
    return reactor;
  }
  const absl::flat_hash_set<std::string> modules(request->modules().begin(),
                                                 request->modules().end());
  for (const PromptSpec& spec : PromptCatalog()) {
    // A prompt of no module (triage) leads to whichever tools are offered: always listed.
    if (!spec.module.empty() && !modules.empty() && !modules.contains(spec.module)) continue;
    v1::Prompt* prompt = response->add_prompts();
    prompt->set_name(spec.name);
    prompt->set_title(spec.title);
    prompt->set_description(spec.description);
    prompt->set_module(spec.module);
    for (const PromptArgumentSpec& arg : spec.arguments) {
      v1::PromptArgument* out = prompt->add_arguments();
      out->set_name(arg.name);
      out->set_description(arg.description);
      out->set_required(false);
      for (const std::string& value : arg.allowed_values) out->add_allowed_values(value);
    }
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PromptService::GetPrompt(grpc::CallbackServerContext* ctx,
                                                   const v1::GetPromptRequest* request,
                                                   v1::GetPromptResponse* response) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  if (absl::Status strings = CheckRequestStrings(*request); !strings.ok()) {
    reactor->Finish(ToGrpcStatus(strings));
    return reactor;
  }
  const PromptArgs args(request->arguments().begin(), request->arguments().end());
  absl::StatusOr<std::string> text = RenderPrompt(request->name(), args);
  if (!text.ok()) {
    reactor->Finish(ToGrpcStatus(text.status()));
    return reactor;
  }
  for (const PromptSpec& spec : PromptCatalog()) {
    if (spec.name == request->name()) response->set_description(spec.description);
  }
  v1::PromptMessage* message = response->add_messages();
  message->set_role("user");
  message->set_text(std::move(*text));
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace mcpcap
