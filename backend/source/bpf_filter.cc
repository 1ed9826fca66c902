#include "backend/source/bpf_filter.h"

#include <pcap/pcap.h>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "backend/base/error_details.h"

namespace mcpcap {
namespace {

// Older libpcap releases compiled filters with a global parser; serialise to be safe.
std::mutex& CompileMutex() {
  static std::mutex mu;
  return mu;
}

constexpr int kSnaplen = 262144;

// pcap_open_dead takes a DLT_* value; files store LINKTYPE_* values. They agree except for a few
// historical ones (libpcap's own mapping is not exported).
int LinkTypeToDlt(uint16_t link_type) {
  switch (link_type) {
    case 100:
      return DLT_ATM_RFC1483;
    case 101:
      return DLT_RAW;
    case 14:
      return DLT_RAW;  // raw IP as OpenBSD numbered it
    case 102:
      return DLT_SLIP_BSDOS;
    case 103:
      return DLT_PPP_BSDOS;
    case 106:
      return DLT_ATM_CLIP;
    default:
      return link_type;
  }
}

}  // namespace

struct BpfFilter::Program {
  bpf_program program{};
  bool valid = false;  // false: the expression does not apply to this link type
  ~Program() {
    if (valid) pcap_freecode(&program);
  }
};

absl::StatusOr<BpfFilter::Program*> BpfFilter::ProgramFor(uint16_t link_type) {
  auto it = programs_.find(link_type);
  if (it != programs_.end()) return it->second.get();
  auto program = std::make_unique<Program>();
  {
    std::lock_guard<std::mutex> lock(CompileMutex());
    pcap_t* dead = pcap_open_dead(LinkTypeToDlt(link_type), kSnaplen);
    if (dead == nullptr) {
      return ReasonError(absl::StatusCode::kInternal, v1::ERROR_REASON_SERVER_ERROR,
                         "pcap_open_dead failed");
    }
    if (pcap_compile(dead, &program->program, expression_.c_str(), /*optimize=*/1,
                     PCAP_NETMASK_UNKNOWN) == 0) {
      program->valid = true;
    } else {
      std::string message = pcap_geterr(dead);
      pcap_close(dead);
      return FieldError("options.bpf_filter",
                        absl::StrCat("bpf_filter '", expression_, "' is not valid: ", message),
                        v1::ERROR_REASON_BPF_FILTER_INVALID,
                        {{"bpf_filter", expression_}, {"link_type", absl::StrCat(link_type)}});
    }
    pcap_close(dead);
  }
  Program* raw = program.get();
  programs_.emplace(link_type, std::move(program));
  return raw;
}

absl::StatusOr<std::unique_ptr<BpfFilter>> BpfFilter::Create(const std::string& expression,
                                                             uint16_t first_link_type) {
  std::unique_ptr<BpfFilter> filter(new BpfFilter(expression));
  auto program = filter->ProgramFor(first_link_type);
  if (!program.ok()) return program.status();
  return filter;
}

BpfFilter::BpfFilter(std::string expression) : expression_(std::move(expression)) {}

BpfFilter::~BpfFilter() = default;

bool BpfFilter::Matches(const PacketRecord& record) {
  auto program = ProgramFor(record.link_type);
  if (!program.ok()) {
    // Remember the failure so the expression is compiled once per link type.
    programs_[record.link_type] = std::make_unique<Program>();
    return false;
  }
  if (!(*program)->valid) return false;
  pcap_pkthdr header{};
  header.caplen = record.caplen;
  header.len = record.origlen;
  return pcap_offline_filter(&(*program)->program, &header, record.data.data()) != 0;
}

}  // namespace mcpcap
