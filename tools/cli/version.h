// The version both binaries print for --version: the project version from CMake and the git
// commit the build was made from.
#ifndef MCPCAP_TOOLS_CLI_VERSION_H_
#define MCPCAP_TOOLS_CLI_VERSION_H_

#include <string>

namespace mcpcap {

// "0.1.0" (CMake's project version).
const char* ProjectVersion();
// The commit, "3f2c1a9b0d4e" or "3f2c1a9b0d4e-dirty"; "unknown" outside a git checkout.
const char* GitCommit();
// The line --version prints: "<program> 0.1.0 (commit 3f2c1a9b0d4e)\n".
std::string VersionLine(const std::string& program);
// Makes absl's --version print VersionLine(program); call before absl::ParseCommandLine.
void InstallVersionFlag(const std::string& program);

}  // namespace mcpcap

#endif  // MCPCAP_TOOLS_CLI_VERSION_H_
