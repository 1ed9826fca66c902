// What the payload scan's limits cost a result: the note of a flow let go before its end, and
// the warning of the capture summary that counts such flows.
#ifndef MCPCAP_BACKEND_ANALYSIS_PAYLOAD_SCAN_LIMITS_H_
#define MCPCAP_BACKEND_ANALYSIS_PAYLOAD_SCAN_LIMITS_H_

#include <string>

#include "backend/analysis/payload/payload_scan.h"
#include "mcpcap/v1/capture.pb.h"

namespace mcpcap {

// Why a flow was finished early: for max_memory_bytes (`for_memory`) or for max_flows.
std::string FinishedEarlyNote(bool for_memory, const PayloadScanOptions& options);

// Adds a warning when flows were finished early for max_flows or max_memory_bytes.
void AddScanLimitWarnings(const PayloadScanStats& stats, const PayloadScanOptions& options,
                          v1::CaptureSummary* summary);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PAYLOAD_SCAN_LIMITS_H_
