#include "backend/service/call_context.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "backend/base/error_details.h"

namespace mcpcap {

// How long a refused caller should wait: about one analysis of a small capture.
constexpr absl::Duration kBusyRetryDelay = absl::Seconds(1);

std::function<bool()> CancelledOrLate(grpc::CallbackServerContext* ctx) {
  const auto deadline = ctx->deadline();
  return
      [ctx, deadline] { return ctx->IsCancelled() || std::chrono::system_clock::now() > deadline; };
}

absl::Status BusyError(const WorkerPool& pool) {
  return WithRetryDelay(
      ReasonError(absl::StatusCode::kResourceExhausted, v1::ERROR_REASON_SERVER_BUSY,
                  "mcpcapd is busy: too many analyses queued; retry later",
                  {{"max_queue", absl::StrCat(pool.max_queued())}}),
      kBusyRetryDelay);
}

}  // namespace mcpcap
