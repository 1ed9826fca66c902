#include "backend/analysis/packets/layer_fields.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mcpcap {

std::optional<uint8_t> HeaderBytes::U8(size_t at) const {
  if (!Has(at, 1)) return std::nullopt;
  return bytes_[at];
}

std::optional<uint16_t> HeaderBytes::U16(size_t at) const {
  if (!Has(at, 2)) return std::nullopt;
  return LoadU16Be(bytes_.data() + at);
}

std::optional<uint32_t> HeaderBytes::U32(size_t at) const {
  if (!Has(at, 4)) return std::nullopt;
  return LoadU32Be(bytes_.data() + at);
}

Bytes HeaderBytes::Sub(size_t at, size_t n) const {
  if (at >= bytes_.size()) return Bytes();
  return bytes_.subspan(at, n);
}

std::optional<LayerWriter> LayerWriter::Open(LayerContext* ctx, absl::string_view protocol,
                                             const uint8_t* start, size_t length) {
  if (static_cast<size_t>(ctx->out->layers_size()) >= kMaxLayersPerPacket) return std::nullopt;
  v1::PacketLayer* layer = ctx->out->add_layers();
  layer->set_protocol(std::string(protocol));
  LayerWriter writer(ctx, layer);
  layer->set_offset(writer.OffsetOf(start));
  layer->set_length(static_cast<uint32_t>(length));
  if (ctx->reassembled) layer->set_reassembled(true);
  return writer;
}

uint32_t LayerWriter::OffsetOf(const uint8_t* p) const {
  if (p == nullptr || ctx_->base == nullptr || p < ctx_->base) return 0;
  return static_cast<uint32_t>(p - ctx_->base);
}

void LayerWriter::SetLength(size_t length) { layer_->set_length(static_cast<uint32_t>(length)); }

void LayerWriter::Add(absl::string_view name, absl::string_view value, const uint8_t* at,
                      size_t length) {
  if (ctx_->fields_left == 0 || static_cast<size_t>(layer_->fields_size()) >= kMaxFieldsPerLayer) {
    layer_->set_fields_omitted(layer_->fields_omitted() + 1);
    return;
  }
  --ctx_->fields_left;
  v1::PacketField* field = layer_->add_fields();
  field->set_name(std::string(name));
  if (value.size() > kMaxFieldValueBytes) {
    field->set_value(absl::StrCat(value.substr(0, kMaxFieldValueBytes), "..."));
  } else {
    field->set_value(std::string(value));
  }
  if (at != nullptr) {
    field->set_offset(OffsetOf(at));
    field->set_length(static_cast<uint32_t>(length));
  }
}

void LayerWriter::AddNumber(absl::string_view name, uint64_t value, const uint8_t* at,
                            size_t length) {
  Add(name, absl::StrCat(value), at, length);
}

void LayerWriter::AddHex(absl::string_view name, uint64_t value, int digits, const uint8_t* at,
                         size_t length) {
  Add(name, absl::StrFormat("0x%0*x", digits, value), at, length);
}

void LayerWriter::AddBool(absl::string_view name, bool value, const uint8_t* at, size_t length) {
  Add(name, value ? "1" : "0", at, length);
}

void LayerWriter::U8(absl::string_view name, const HeaderBytes& h, size_t offset) {
  if (auto v = h.U8(offset)) AddNumber(name, *v, h.At(offset), 1);
}

void LayerWriter::U16(absl::string_view name, const HeaderBytes& h, size_t offset) {
  if (auto v = h.U16(offset)) AddNumber(name, *v, h.At(offset), 2);
}

void LayerWriter::U32(absl::string_view name, const HeaderBytes& h, size_t offset) {
  if (auto v = h.U32(offset)) AddNumber(name, *v, h.At(offset), 4);
}

void LayerWriter::Hex8(absl::string_view name, const HeaderBytes& h, size_t offset) {
  if (auto v = h.U8(offset)) AddHex(name, *v, 2, h.At(offset), 1);
}

void LayerWriter::Hex16(absl::string_view name, const HeaderBytes& h, size_t offset) {
  if (auto v = h.U16(offset)) AddHex(name, *v, 4, h.At(offset), 2);
}

void LayerWriter::RawHex(absl::string_view name, const HeaderBytes& h, size_t offset,
                         size_t length) {
  if (!h.Has(offset, length)) return;
  std::string text;
  for (size_t i = 0; i < length && i < kMaxFieldValueBytes / 2; ++i) {
    absl::StrAppendFormat(&text, "%02x", *h.At(offset + i));
  }
  Add(name, text, h.At(offset), length);
}

std::string MacText(const uint8_t* p) {
  return absl::StrFormat("%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
}

}  // namespace mcpcap
