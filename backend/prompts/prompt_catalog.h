// The prompt catalogue: the general `triage` and 17 expert guidance texts (the original mcpcap's
// names), each naming the tools to call, in what order, what to read in the results and how to
// report. Arguments are
// woven into the text; without pcap_file the text tells the model to use or ask for a capture.
#ifndef MCPCAP_BACKEND_PROMPTS_PROMPT_CATALOG_H_
#define MCPCAP_BACKEND_PROMPTS_PROMPT_CATALOG_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mcpcap {

struct PromptArgumentSpec {
  std::string name;
  std::string description;
  std::vector<std::string> allowed_values;  // empty = free text
};

using PromptArgs = std::map<std::string, std::string>;

struct PromptSpec {
  std::string name;
  // --modules name: dns, dhcp, icmp, sip, tcp, payload; empty = of no module (always offered).
  std::string module;
  std::string title;
  std::string description;
  std::vector<PromptArgumentSpec> arguments;  // all optional; pcap_file first
  // The guidance, with {{file}} (the capture to pass as pcap_file) and {{focus}} (the block
  // `focus` writes from the focus arguments) filled in.
  std::string body;
  std::string (*focus)(const PromptArgs& args) = nullptr;
};

// Every prompt: triage, then the others in the order MISSION.md lists them.
const std::vector<PromptSpec>& PromptCatalog();

// The full text for `name` with `args`. NOT_FOUND for an unknown prompt; INVALID_ARGUMENT for
// an argument the prompt does not take, a value outside its allowed values, or a value longer
// than 1024 bytes. Empty values count as absent.
absl::StatusOr<std::string> RenderPrompt(absl::string_view name, const PromptArgs& args);

}  // namespace mcpcap

#endif  // MCPCAP_BACKEND_PROMPTS_PROMPT_CATALOG_H_
