#include "gateway/mcp/cancel_token.h"

namespace mcpcap::gateway {

void CancelToken::Cancel() {
  std::lock_guard<std::mutex> running(hook_mu_);
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    hook = hook_;
  }
  if (hook) hook();
}

bool CancelToken::IsCancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

void CancelToken::SetHook(std::function<void()> hook) {
  bool run_now = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) {
      run_now = true;
    } else {
      hook_ = hook;
    }
  }
  if (run_now && hook) hook();
}

void CancelToken::ClearHook() {
  std::lock_guard<std::mutex> running(hook_mu_);
  std::lock_guard<std::mutex> lock(mu_);
  hook_ = nullptr;
}

}  // namespace mcpcap::gateway
