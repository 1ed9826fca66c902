// libpcap filters (tcpdump syntax) applied to records of any link type. This is where libpcap
// earns its place: its compiler and interpreter are the reference for filter semantics.
#ifndef MCPCAP_BACKEND_SOURCE_BPF_FILTER_H_
#define MCPCAP_BACKEND_SOURCE_BPF_FILTER_H_

#include <memory>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "backend/source/packet_record.h"

namespace mcpcap {

class BpfFilter {
 public:
  // Checks the expression against `first_link_type` so that a bad filter fails before reading.
  // INVALID_ARGUMENT with libpcap's message when it does not compile.
  static absl::StatusOr<std::unique_ptr<BpfFilter>> Create(const std::string& expression,
                                                           uint16_t first_link_type);
  ~BpfFilter();

  // True when the record passes. A link type the expression cannot apply to (pcapng files mix
  // them) rejects the record.
  bool Matches(const PacketRecord& record);

  const std::string& expression() const { return expression_; }

 private:
  struct Program;
  explicit BpfFilter(std::string expression);
  absl::StatusOr<Program*> ProgramFor(uint16_t link_type);

  std::string expression_;
  std::unordered_map<uint16_t, std::unique_ptr<Program>> programs_;
};

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_SOURCE_BPF_FILTER_H_
