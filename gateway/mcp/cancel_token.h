// Cancellation of one in-flight request: the transport (on notifications/cancelled) calls
// Cancel(); whoever does the work registers a hook that stops it (e.g. ClientContext::TryCancel).
#ifndef MCPCAP_GATEWAY_MCP_CANCEL_TOKEN_H_
#define MCPCAP_GATEWAY_MCP_CANCEL_TOKEN_H_

#include <functional>
#include <mutex>

namespace mcpcap::gateway {

class CancelToken {
 public:
  // Idempotent; runs the current hook (outside the lock) the first time.
  void Cancel();
  bool IsCancelled() const;
  // Installs the hook, or runs it at once when already cancelled. One hook at a time.
  void SetHook(std::function<void()> hook);
  // Removes the hook; after it returns the hook is no longer running nor will run.
  void ClearHook();

 private:
  mutable std::mutex mu_;
  bool cancelled_ = false;
  std::function<void()> hook_;
  // The hook runs under this one so ClearHook() can wait for a running hook to finish.
  std::mutex hook_mu_;
};

}  // namespace mcpcap::gateway

#endif  // MCPCAP_GATEWAY_MCP_CANCEL_TOKEN_H_
