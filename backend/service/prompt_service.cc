#include "backend/service/prompt_service.h"

#include "absl/strings/str_cat.h"

namespace mcpcap {

// The prompt catalogue is empty in this version: listing answers with no prompts, and asking
// for one names it as unknown.
grpc::ServerUnaryReactor* PromptService::ListPrompts(grpc::CallbackServerContext* ctx,
                                                     const v1::ListPromptsRequest*,
                                                     v1::ListPromptsResponse*) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* PromptService::GetPrompt(grpc::CallbackServerContext* ctx,
                                                   const v1::GetPromptRequest* request,
                                                   v1::GetPromptResponse*) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                               absl::StrCat("unknown prompt '", request->name(), "'")));
  return reactor;
}

}  // namespace mcpcap
