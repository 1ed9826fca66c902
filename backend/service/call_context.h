// What every service's calls share: when a call should stop, and the answer when the workers
// are all busy.
#ifndef MCPCAP_BACKEND_SERVICE_CALL_CONTEXT_H_
#define MCPCAP_BACKEND_SERVICE_CALL_CONTEXT_H_

#include <grpcpp/grpcpp.h>

#include <functional>

#include "absl/status/status.h"
#include "backend/service/worker_pool.h"

namespace mcpcap {

// True once the client cancelled or the deadline passed.
std::function<bool()> CancelledOrLate(grpc::CallbackServerContext* ctx);

// RESOURCE_EXHAUSTED (SERVER_BUSY) with a RetryInfo: the pool's queue is full.
absl::Status BusyError(const WorkerPool& pool);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SERVICE_CALL_CONTEXT_H_
