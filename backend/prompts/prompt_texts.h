// The guidance texts of the prompts, one Markdown file per prompt (backend/prompts/texts/),
// embedded at build time so that they can be read and reviewed as text.
#ifndef MCPCAP_BACKEND_PROMPTS_PROMPT_TEXTS_H_
#define MCPCAP_BACKEND_PROMPTS_PROMPT_TEXTS_H_

#include <vector>

#include "absl/strings/string_view.h"

namespace mcpcap {

// The text of texts/<name>.md without its final newline; empty when there is no such file.
absl::string_view PromptText(absl::string_view name);

// The names of every embedded text, sorted.
std::vector<absl::string_view> PromptTextNames();

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_PROMPTS_PROMPT_TEXTS_H_
