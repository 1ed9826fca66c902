// analyze_capinfos: what Wireshark's capinfos reports about a capture file.
#ifndef MCPCAP_BACKEND_ANALYSIS_CAPINFOS_CAPINFOS_H_
#define MCPCAP_BACKEND_ANALYSIS_CAPINFOS_CAPINFOS_H_

#include "absl/status/statusor.h"
#include "backend/analysis/common/analysis_input.h"
#include "mcpcap/v1/capinfos.pb.h"

namespace mcpcap {

absl::StatusOr<v1::AnalyzeCapinfosResponse> AnalyzeCapinfos(
    const AnalysisInput& input, const v1::AnalyzeCapinfosRequest& request);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_CAPINFOS_CAPINFOS_H_
