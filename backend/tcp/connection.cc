#include "backend/tcp/connection.h"

#include "absl/strings/str_cat.h"

namespace mcpcap {

std::string AddressText(const IpAddress& ip) {
  char buf[IpAddress::kMaxTextLength];
  return std::string(buf, ip.ToChars(buf));
}

std::string FormatEndpoint(const TcpEndpoint& e) {
  if (e.ip.version() == 6) return absl::StrCat("[", AddressText(e.ip), "]:", e.port);
  return absl::StrCat(AddressText(e.ip), ":", e.port);
}

uint32_t TcpConnectionRecord::Count(TcpEvent e) const {
  for (int i = 0; i < kTcpEventKinds; ++i) {
    if (static_cast<uint32_t>(e) == 1u << i) return events[static_cast<size_t>(i)];
  }
  return 0;
}

std::string TcpConnectionRecord::Name() const {
  return absl::StrCat(FormatEndpoint(client), " <-> ", FormatEndpoint(server));
}

bool TcpConnectionRecord::Established() const {
  if (established) return true;
  if (!MidStream()) return false;
  if (c2s.payload_bytes + s2c.payload_bytes > 0) return true;
  return c2s.packets > c2s.rst && s2c.packets > s2c.rst;
}

const char* TcpConnectionRecord::CloseReason() const {
  if (HasReset()) return "reset";
  if (c2s.fin > 0 && s2c.fin > 0) return "normal";
  if (c2s.fin > 0 || s2c.fin > 0) return "half_closed";
  return "active";
}

const char* TcpConnectionRecord::ResetBy() const {
  if (c2s.rst > 0 && s2c.rst > 0) return "both";
  if (c2s.rst > 0) return "client";
  if (s2c.rst > 0) return "server";
  return "";
}

}  // namespace mcpcap
