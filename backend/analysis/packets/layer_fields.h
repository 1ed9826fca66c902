// Writing one layer of get_packet_details: fields named as Wireshark's display filters, valued
// as tshark -T fields prints them, each with its place in the frame, under a bound per layer and
// per packet so that any frame gives a compact answer.
#ifndef MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_FIELDS_H_
#define MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "backend/base/byte_reader.h"
#include "mcpcap/v1/packets.pb.h"

namespace mcpcap {

inline constexpr size_t kMaxFieldsPerLayer = 64;
inline constexpr size_t kMaxFieldsPerPacket = 512;
inline constexpr size_t kMaxLayersPerPacket = 24;
inline constexpr size_t kMaxFieldValueBytes = 256;  // longer values (URIs, headers) are cut

// What the layers of one packet share: where offsets count from, and the fields left to write.
struct LayerContext {
  v1::GetPacketDetailsResponse* out = nullptr;
  const uint8_t* base =
      nullptr;  // offset 0: the frame's first byte (or the reassembled datagram's)
  bool reassembled = false;
  size_t fields_left = kMaxFieldsPerPacket;
  int depth = 0;  // tunnels and quoted packets opened so far
  // The end of the captured frame and the bytes the capture left out after it (origlen -
  // caplen): a header ending the capture has that much more on the wire.
  const uint8_t* frame_end = nullptr;
  size_t wire_excess = 0;
};

// The captured bytes of a header: reads past the capture give nothing, so a cut header still
// shows the fields it holds.
class HeaderBytes {
 public:
  explicit HeaderBytes(Bytes bytes) : bytes_(bytes) {}
  std::optional<uint8_t> U8(size_t at) const;
  std::optional<uint16_t> U16(size_t at) const;
  std::optional<uint32_t> U32(size_t at) const;
  bool Has(size_t at, size_t n) const { return at <= bytes_.size() && n <= bytes_.size() - at; }
  const uint8_t* At(size_t at) const { return bytes_.data() + at; }
  Bytes Sub(size_t at, size_t n) const;  // clamped to the capture
  size_t size() const { return bytes_.size(); }
  Bytes bytes() const { return bytes_; }

 private:
  Bytes bytes_;
};

class LayerWriter {
 public:
  // Appends a layer named `protocol` starting at `start` (a pointer into the bytes `ctx.base`
  // counts from) of `length` bytes; null when the packet already has kMaxLayersPerPacket layers.
  static std::optional<LayerWriter> Open(LayerContext* ctx, absl::string_view protocol,
                                         const uint8_t* start, size_t length);

  // A field at `at` (nullptr: no place in the frame, e.g. a decoded DNS name) of `length` bytes.
  void Add(absl::string_view name, absl::string_view value, const uint8_t* at = nullptr,
           size_t length = 0);
  void AddNumber(absl::string_view name, uint64_t value, const uint8_t* at = nullptr,
                 size_t length = 0);
  // "0x" and `digits` hex digits, as tshark prints flags, types and checksums.
  void AddHex(absl::string_view name, uint64_t value, int digits, const uint8_t* at = nullptr,
              size_t length = 0);
  // tshark's booleans: "1" or "0".
  void AddBool(absl::string_view name, bool value, const uint8_t* at = nullptr, size_t length = 0);
  // Read from `h` at `offset`: written only when captured.
  void U8(absl::string_view name, const HeaderBytes& h, size_t offset);
  void U16(absl::string_view name, const HeaderBytes& h, size_t offset);
  void U32(absl::string_view name, const HeaderBytes& h, size_t offset);
  void Hex8(absl::string_view name, const HeaderBytes& h, size_t offset);
  void Hex16(absl::string_view name, const HeaderBytes& h, size_t offset);
  // Several bytes as lower-case hex without separators (tshark's FT_BYTES), when captured.
  void RawHex(absl::string_view name, const HeaderBytes& h, size_t offset, size_t length);

  // Sets the layer's length (known only once its header is read).
  void SetLength(size_t length);
  uint32_t OffsetOf(const uint8_t* p) const;
  LayerContext* context() const { return ctx_; }

 private:
  LayerWriter(LayerContext* ctx, v1::PacketLayer* layer) : ctx_(ctx), layer_(layer) {}
  LayerContext* ctx_;
  v1::PacketLayer* layer_;
};

// "aa:bb:cc:dd:ee:ff" (tshark's ether fields).
std::string MacText(const uint8_t* p);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_ANALYSIS_PACKETS_LAYER_FIELDS_H_
