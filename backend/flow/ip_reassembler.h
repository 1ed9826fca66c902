// IPv4 and IPv6 fragment reassembly with bounded memory and capture-time time-outs.
//
//   IpReassembler defrag;
//   DecodePacket(rec.link_type, rec.data, rec.origlen, &pkt);
//   if (pkt.ip.is_fragment) {
//     const ReassembledDatagram* d = defrag.Feed(pkt, rec.frame_number, now);
//     if (d == nullptr) continue;                   // buffered (or dropped): nothing to analyse
//     yet DecodeTransport(d->protocol, d->payload, &pkt);  // pkt now describes the whole datagram,
//   }                                               // reported at the frame that completed it
//   ... analyse pkt ...
//   defrag.Flush();  // end of capture: what is left counts as timed out
//
// Overlapping fragments keep the first data seen (as Wireshark does); differing overlap bytes are
// flagged separately because they are how IDS evasion works.
#ifndef MCPCAP_BACKEND_FLOW_IP_REASSEMBLER_H_
#define MCPCAP_BACKEND_FLOW_IP_REASSEMBLER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <list>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "backend/base/byte_reader.h"
#include "backend/dissect/ip_address.h"
#include "backend/dissect/packet.h"
#include "backend/flow/capture_time.h"
#include "backend/flow/flow_anomaly.h"

namespace mcpcap {

struct IpReassemblyLimits {
  size_t max_datagrams = 4096;                  // concurrent incomplete datagrams; oldest dropped
  size_t max_fragments_per_datagram = 64;       // duplicates included
  size_t max_buffered_bytes = 64u << 20;        // all incomplete datagrams together
  CaptureNanos timeout = 30 * kNanosPerSecond;  // from a datagram's first fragment
};

// Counters over the reassembler's life; names are the snake_case of the fields.
struct IpReassemblyStats {
  uint64_t fragments = 0;                   // fragments fed
  uint64_t reassembled = 0;                 // datagrams completed
  uint64_t timed_out = 0;                   // fragment_timeout: expired, or incomplete at Flush()
  uint64_t dropped_too_many_datagrams = 0;  // oldest dropped to admit a new one
  uint64_t dropped_memory = 0;              // oldest dropped to stay under max_buffered_bytes
  uint64_t dropped_too_large = 0;           // datagram would exceed 65535 bytes
  uint64_t dropped_too_many_fragments = 0;
  uint64_t truncated_fragments = 0;  // captured short (snaplen): ignored
  uint64_t overlaps = 0;             // fragments overlapping earlier data (duplicates too)
  uint64_t overlap_conflicts = 0;    // ...with different bytes
  uint64_t bad_end = 0;              // data past the datagram's end, or conflicting ends

  uint64_t dropped_for_limits() const {
    return dropped_too_many_datagrams + dropped_memory + dropped_too_large +
           dropped_too_many_fragments;
  }
  // fn(absl::string_view name, uint64_t value) for each counter, with stable snake_case names
  // that match the FlowAnomaly names where both exist (e.g. "fragment_timeout").
  template <typename Fn>
  void ForEachCounter(Fn fn) const {
    fn("fragments", fragments);
    fn("fragments_reassembled", reassembled);
    fn("fragment_timeout", timed_out);
    fn("fragment_dropped_too_many_datagrams", dropped_too_many_datagrams);
    fn("fragment_dropped_memory", dropped_memory);
    fn("fragment_too_large", dropped_too_large);
    fn("fragment_too_many", dropped_too_many_fragments);
    fn("fragment_truncated", truncated_fragments);
    fn("fragment_overlap", overlaps);
    fn("fragment_overlap_conflict", overlap_conflicts);
    fn("fragment_bad_end", bad_end);
  }
};

// A completed datagram. `payload` is the reassembled IP payload (for IPv6, after any extension
// headers that followed the fragment header) and is valid until the next Feed() or Flush().
struct ReassembledDatagram {
  uint8_t version = 0;   // 4 or 6
  uint8_t protocol = 0;  // transport protocol, for DecodeTransport()
  uint32_t id = 0;       // IPv4 identification or IPv6 fragment identification
  IpAddress src;
  IpAddress dst;
  uint64_t first_frame = 0;  // lowest frame number among the fragments
  uint64_t last_frame = 0;   // the frame that completed the datagram
  uint32_t fragment_count = 0;
  Bytes payload;
};

class IpReassembler {
 public:
  explicit IpReassembler(IpReassemblyLimits limits = {});
  IpReassembler(const IpReassembler&) = delete;
  IpReassembler& operator=(const IpReassembler&) = delete;

  // Feeds a fragment (pkt.ip.is_fragment) captured at `time`. Returns the datagram it completed,
  // or nullptr. Anomalies of this fragment are added to *anomalies when given. Also expires
  // datagrams older than the time-out.
  const ReassembledDatagram* Feed(const DecodedPacket& pkt, uint64_t frame_number,
                                  CaptureNanos time, FlowAnomalySet* anomalies = nullptr);

  // Expires datagrams whose first fragment is older than `time` minus the time-out.
  void ExpireUntil(CaptureNanos time);

  // End of capture: every incomplete datagram is dropped and counted as timed out.
  void Flush();

  const IpReassemblyStats& stats() const { return stats_; }
  size_t pending_datagrams() const { return index_.size(); }
  size_t buffered_bytes() const { return buffered_bytes_; }

 private:
  struct Key {
    IpAddress src;
    IpAddress dst;
    uint32_t id = 0;
    uint8_t protocol = 0;  // IPv4 only: IPv6 identifies a datagram by addresses and id
    friend bool operator==(const Key& a, const Key& b) {
      return a.id == b.id && a.protocol == b.protocol && a.src == b.src && a.dst == b.dst;
    }
    template <typename H>
    friend H AbslHashValue(H h, const Key& k) {
      return H::combine(std::move(h), k.src, k.dst, k.id, k.protocol);
    }
  };
  struct Range {  // received bytes [begin, end), kept sorted and merged
    uint32_t begin;
    uint32_t end;
  };
  struct Datagram {
    Key key;
    uint8_t version = 0;
    uint8_t protocol = 0;  // from the offset-0 fragment when seen
    bool has_first = false;
    bool has_last = false;
    uint32_t total_length = 0;  // payload length, known once the last fragment arrived
    uint32_t fragment_count = 0;
    uint64_t first_frame = 0;
    CaptureNanos first_time = 0;
    std::vector<uint8_t> data;
    std::vector<Range> ranges;
  };
  using DatagramList = std::list<Datagram>;  // arrival order of first fragments: oldest first

  // Copies [offset, offset + bytes.size()) into d where nothing was received yet (first data
  // wins) and records overlaps.
  void Merge(Datagram& d, uint32_t offset, Bytes bytes, FlowAnomalySet* anomalies);
  bool IsComplete(const Datagram& d) const;
  void Drop(DatagramList::iterator it);
  // Drops the oldest datagrams until under the byte limit; false if `keep` had to go too.
  bool EnforceMemoryLimit(DatagramList::iterator keep);
  const ReassembledDatagram* Complete(DatagramList::iterator it, uint64_t frame_number);

  IpReassemblyLimits limits_;
  IpReassemblyStats stats_;
  DatagramList datagrams_;
  absl::flat_hash_map<Key, DatagramList::iterator> index_;
  size_t buffered_bytes_ = 0;
  // Latest capture time seen: time-outs never run backwards when timestamps do.
  CaptureNanos clock_ = std::numeric_limits<CaptureNanos>::min();
  std::vector<uint8_t> completed_data_;  // owns the last completed datagram's payload
  ReassembledDatagram completed_;
};

// Feeds `fragment` and, when it completes a datagram, decodes the datagram's transport into
// `whole`: the completing fragment's view, no longer a fragment, so analyses report the whole
// datagram at the frame that completed it (as Wireshark does). nullptr until then.
const ReassembledDatagram* ReassembleFragment(IpReassembler& reassembler,
                                              const DecodedPacket& fragment, uint64_t frame,
                                              CaptureNanos time, DecodedPacket* whole,
                                              FlowAnomalySet* anomalies = nullptr);

// The TCP or UDP packet over IP that a decoded frame carries, whole: the frame itself, or for a
// fragment the datagram it completes (through ReassembleFragment, into `whole`). nullptr for
// anything else and while a datagram waits for its other fragments. For the analyses that read
// TCP and UDP payloads (DNS, SIP, the payload scan).
const DecodedPacket* WholeTcpOrUdp(IpReassembler& reassembler, const DecodedPacket& decoded,
                                   uint64_t frame, CaptureNanos time, DecodedPacket* whole);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_FLOW_IP_REASSEMBLER_H_
