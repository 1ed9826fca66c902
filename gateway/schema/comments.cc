#include "gateway/schema/comments.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace mcpcap::gateway {

namespace pb = google::protobuf;

std::string NormalizeComment(const std::string& raw) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(raw, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) lines.emplace_back(line);
  }
  return absl::StrJoin(lines, " ");
}

template <typename Descriptor>
std::string CommentOf(const Descriptor* d) {
  pb::SourceLocation loc;
  if (d == nullptr || !d->GetSourceLocation(&loc)) return "";
  std::string text = NormalizeComment(loc.leading_comments);
  if (text.empty()) text = NormalizeComment(loc.trailing_comments);
  return text;
}

template std::string CommentOf(const pb::Descriptor*);
template std::string CommentOf(const pb::FieldDescriptor*);
template std::string CommentOf(const pb::EnumDescriptor*);
template std::string CommentOf(const pb::EnumValueDescriptor*);
template std::string CommentOf(const pb::MethodDescriptor*);
template std::string CommentOf(const pb::ServiceDescriptor*);

}  // namespace mcpcap::gateway
