#include "backend/analysis/sip/sip_fields.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backend/analysis/common/result_parts.h"

namespace mcpcap {
namespace {

// The URI after its scheme ("bob@host;x=y" of "<sip:bob@host;x=y>"), and whether it is tel:.
absl::string_view UriBody(absl::string_view text, bool* tel) {
  *tel = false;
  size_t start = absl::string_view::npos;
  for (const char* scheme : {"sips:", "sip:", "tel:"}) {
    for (size_t i = 0; i + 4 <= text.size(); ++i) {
      if (absl::StartsWithIgnoreCase(text.substr(i), scheme)) {
        if (i < start) {
          start = i + std::char_traits<char>::length(scheme);
          *tel = scheme[0] == 't';
        }
        break;
      }
    }
  }
  if (start == absl::string_view::npos) return {};
  absl::string_view body = text.substr(start);
  const size_t end = body.find_first_of("> \t\"");
  return end == absl::string_view::npos ? body : body.substr(0, end);
}

std::string Endpoint(const IpAddress& ip, uint16_t port) {
  return ip.version() == 6 ? absl::StrCat("[", IpText(ip), "]:", port)
                           : absl::StrCat(IpText(ip), ":", port);
}

}  // namespace

std::string CSeqMethod(const SipMessage& m) {
  absl::string_view cseq = absl::StripAsciiWhitespace(m.HeaderOr("cseq"));
  const size_t sp = cseq.find_first_of(" \t");
  if (sp == absl::string_view::npos) return "";
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(cseq.substr(sp + 1)));
}

std::string SipUriUser(absl::string_view text) {
  bool tel = false;
  absl::string_view body = UriBody(text, &tel);
  if (tel) return std::string(body.substr(0, body.find(';')));
  const size_t at = body.find('@');
  if (at == absl::string_view::npos) return "";
  absl::string_view user = body.substr(0, at);
  return std::string(user.substr(0, user.find(':')));  // drop a password
}

std::string SipUriHost(absl::string_view text) {
  bool tel = false;
  absl::string_view body = UriBody(text, &tel);
  if (tel) return "";
  const size_t at = body.find('@');
  if (at != absl::string_view::npos) body = body.substr(at + 1);
  if (!body.empty() && body[0] == '[') {
    const size_t close = body.find(']');
    return std::string(close == absl::string_view::npos ? body.substr(1)
                                                        : body.substr(1, close - 1));
  }
  return std::string(body.substr(0, body.find_first_of(":;?")));
}

void FillSipPacket(const SipMessage& m, const SipOrigin& o, v1::SipPacket* out) {
  out->set_packet_number(o.frame);
  SetTimestampNanos(o.time, out->mutable_timestamp());
  FillEndpoint(o.src, o.src_port, out->mutable_source());
  FillEndpoint(o.dst, o.dst_port, out->mutable_destination());
  out->set_transport(o.tcp ? v1::TRANSPORT_TCP : v1::TRANSPORT_UDP);
  out->set_message_type(m.is_request ? v1::SIP_MESSAGE_TYPE_REQUEST
                                     : v1::SIP_MESSAGE_TYPE_RESPONSE);
  out->set_start_line(m.start_line);
  if (m.is_request) {
    out->set_method(m.method);
    out->set_request_uri(m.request_uri);
    out->set_sip_version(m.version);
  } else {
    out->set_status_code(m.status_code);
    out->set_reason_phrase(m.reason);
    out->set_sip_version(m.version);
  }
  // The first of a repeated header: the original kept the last, which hid the top Via.
  out->set_call_id(std::string(m.HeaderOr("call-id")));
  out->set_cseq(std::string(m.HeaderOr("cseq")));
  out->set_from_header(std::string(m.HeaderOr("from")));
  out->set_to_header(std::string(m.HeaderOr("to")));
  out->set_contact(std::string(m.HeaderOr("contact")));
  out->set_user_agent(std::string(m.HeaderOr("user-agent")));
  out->set_server(std::string(m.HeaderOr("server")));
  out->set_via(std::string(m.HeaderOr("via")));
  out->set_content_type(std::string(m.HeaderOr("content-type")));
  if (m.content_length.has_value()) out->set_content_length(*m.content_length);
  out->set_body_length(static_cast<uint32_t>(m.body_length));
  out->set_known_sip_port(IsKnownSipPort(o.src_port) || IsKnownSipPort(o.dst_port));
  for (const SipHeaderField& h : m.headers) {
    if (h.name == "via") out->add_vias(h.value);
    v1::SipHeader* header = out->add_headers();
    header->set_name(h.name);
    header->set_value(h.value);
  }
  out->set_summary(absl::StrCat(o.tcp ? "TCP " : "UDP ", Endpoint(o.src, o.src_port), " > ",
                                Endpoint(o.dst, o.dst_port), " SIP ", m.start_line));
  m.problems.ForEach([&](SipProblem p) { out->add_problems(std::string(SipProblemName(p))); });
}

}  // namespace mcpcap
