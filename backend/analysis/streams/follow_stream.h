// follow_stream: one TCP connection's or UDP flow's payload, both directions in order.
#ifndef MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_STREAM_H_
#define MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_STREAM_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/streams.pb.h"

namespace mcpcap {

absl::StatusOr<v1::FollowStreamResponse> FollowStream(const AnalysisInput& input,
                                                      const v1::FollowStreamRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_STREAMS_FOLLOW_STREAM_H_
