// How long mcpcapd lets calls in flight finish after SIGTERM. The gateway waits longer than this
// before it kills its private mcpcapd, so that the backend always cleans up after itself.
#ifndef MCPCAP_TOOLS_CLI_SHUTDOWN_GRACE_H_
#define MCPCAP_TOOLS_CLI_SHUTDOWN_GRACE_H_

namespace mcpcap {

inline constexpr int kBackendShutdownGraceSeconds = 5;

}  // namespace mcpcap

#endif  // MCPCAP_TOOLS_CLI_SHUTDOWN_GRACE_H_
