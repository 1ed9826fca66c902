// list_conversations: tshark's -z conv tables.
#ifndef MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_CONVERSATIONS_H_
#define MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_CONVERSATIONS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/conversations.pb.h"

namespace mcpcap {

absl::StatusOr<v1::ListConversationsResponse> ListConversations(
    const AnalysisInput& input, const v1::ListConversationsRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_CONVERSATIONS_CONVERSATIONS_H_
