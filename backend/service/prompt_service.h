// Prompts: the catalogue of expert guidance texts (prompt_catalog.h), served so that the
// gateway holds no prompt text itself.
#ifndef MCPCAP_BACKEND_SERVICE_PROMPT_SERVICE_H_
#define MCPCAP_BACKEND_SERVICE_PROMPT_SERVICE_H_

#include "mcpcap/v1/prompts.grpc.pb.h"

namespace mcpcap {

class PromptService final : public v1::PromptService::CallbackService {
 public:
  grpc::ServerUnaryReactor* ListPrompts(grpc::CallbackServerContext* ctx,
                                        const v1::ListPromptsRequest* request,
                                        v1::ListPromptsResponse* response) override;
  grpc::ServerUnaryReactor* GetPrompt(grpc::CallbackServerContext* ctx,
                                      const v1::GetPromptRequest* request,
                                      v1::GetPromptResponse* response) override;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_PROMPT_SERVICE_H_
