// Status propagation helpers. Debian's Abseil (20220623) has none; the names follow upstream's
// so that a later move to absl's own macros is mechanical.
#ifndef MCPCAP_BACKEND_BASE_STATUS_MACROS_H_
#define MCPCAP_BACKEND_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define MCPCAP_CONCAT_INNER_(a, b) a##b
#define MCPCAP_CONCAT_(a, b) MCPCAP_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status mcpcap_status_ = (expr);          \
    if (!mcpcap_status_.ok()) return mcpcap_status_; \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                           \
  if (!tmp.ok()) return tmp.status();           \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(MCPCAP_CONCAT_(mcpcap_statusor_, __LINE__), lhs, rexpr)

#endif  // MCPCAP_BACKEND_BASE_STATUS_MACROS_H_
