#include "backend/prompts/prompt_catalog.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "backend/base/error_details.h"

namespace mcpcap {
namespace {

constexpr size_t kMaxArgumentLength = 1024;

// Opens every prompt: which capture, and how to call the tools and page their answers.
std::string CaptureBlock(const PromptArgs& args) {
  auto it = args.find("pcap_file");
  const std::string intro =
      it != args.end()
          ? absl::StrCat("The capture to analyse is `", it->second,
                         "`: pass exactly this string as `pcap_file` to every tool call.")
          : "No capture was named in this request. Use the capture the user gave in the "
            "conversation (a local path or an http(s) URL); if there is "
            "none, ask for it before calling any tool, and never guess a path.";
  return absl::StrCat(
      intro,
      "\n\nHow the tools answer: each result is a summary sized for your context (at most "
      "40,000 characters): totals, distributions, top-N and findings with evidence, then the "
      "first page (10 entries) of each listing. Totals and statistics always cover every packet "
      "examined. Work from the overview to the detail:\n"
      "- Overview first: `analyze_capinfos` (size, duration, link type) and `detect_protocols` "
      "(which protocols and flows are there) decide which focused tools and filters are worth "
      "calling.\n"
      "- Then the focused tools the steps below name, with their default arguments. Calls are "
      "written as tool(argument=value, ...); <address>, <server>, <client>, <resolver>, <mac> "
      "and <port> stand for values you take from earlier results.\n"
      "- Then detail, only where needed. Narrow with `bpf_filter` (tcpdump syntax, e.g. \"host "
      "10.0.0.5 and tcp port 443\") or a tool's own filters (`server_ip`, `server_port`, "
      "`port`, `protocol`). Or page: when `capture.truncated` is true, "
      "each entry of `capture.partial_listings[]` describes a cut listing: `listing` (the "
      "field's path: \"packets\", \"statistics.unique_domains\", \"findings\"), its `total`, "
      "`offset`, `returned` and `next_cursor`; call the same tool with the same other "
      "arguments plus `cursor` set to that `next_cursor` for the next page of that listing (the "
      "other listings come back empty). Findings are paged like any listing.\n"
      "Results are cached per capture and arguments: the first call of a tool on a large capture "
      "reads it (seconds), the same call again or any of its pages answers in milliseconds, so "
      "paging is cheap. `max_results` is the page size (default 10, 0 = statistics only); do not "
      "raise it to fetch everything at once: large pages flood your context and can exceed the "
      "result budget, so page or filter instead. `max_packets` reads only the first packets (the "
      "results then cover only them).\n"
      "If a tool answers with an error, quote it and adapt (a missing file: ask the user; a tool "
      "that is not offered: the server runs with fewer --modules, so say so and go on with the "
      "others).\n\n");
}

// Closes every prompt: the shape of the report.
constexpr absl::string_view kReporting = R"(
How to report:
1. Verdict first: two or three sentences a busy engineer can act on.
2. Findings, most important first. For each: what was seen, the evidence (frame numbers as
   Wireshark shows them - `packet_number`, a finding's `examples`, `first_packet` - with UTC
   timestamps, counts and the result key you read), severity, and confidence (high, medium or
   low, with the reason: a finding's `confidence` field, how many packets support it, whether
   another explanation fits).
3. Keep facts seen in the capture apart from inferences, and say which is which.
4. Limits: mention `capture.warnings` (cut or damaged files), `capture.packet_limit_reached`,
   the filters you used, listings you did not read to the end (`capture.partial_listings`: how
   many of `total` entries you saw; totals and statistics still cover everything), encrypted
   traffic, and what one capture point cannot show.
5. Next steps: concrete checks, commands or further captures (where, with which filter).
Do not invent packets, hosts or numbers that are not in the tool results.
)";

// GetPromptRequest's path to one argument (an entry of the map `arguments`).
std::string ArgumentField(absl::string_view key) { return absl::StrCat("arguments.", key); }

}  // namespace

absl::StatusOr<std::string> RenderPrompt(absl::string_view name, const PromptArgs& args) {
  const PromptSpec* spec = nullptr;
  for (const PromptSpec& p : PromptCatalog()) {
    if (p.name == name) spec = &p;
  }
  if (spec == nullptr) {
    std::vector<std::string> names;
    for (const PromptSpec& p : PromptCatalog()) names.push_back(p.name);
    return ReasonError(
        absl::StatusCode::kNotFound, v1::ERROR_REASON_PROMPT_NOT_FOUND,
        absl::StrCat("unknown prompt '", name, "'; the prompts are: ", absl::StrJoin(names, ", ")),
        {{"prompt", std::string(name)}});
  }
  PromptArgs given;
  for (const auto& [key, value] : args) {
    const PromptArgumentSpec* arg = nullptr;
    for (const PromptArgumentSpec& a : spec->arguments) {
      if (a.name == key) arg = &a;
    }
    if (arg == nullptr) {
      std::vector<std::string> known;
      for (const PromptArgumentSpec& a : spec->arguments) known.push_back(a.name);
      return FieldError(ArgumentField(key),
                        absl::StrCat("prompt '", name, "' has no argument '", key,
                                     "'; it takes: ", absl::StrJoin(known, ", ")));
    }
    if (value.size() > kMaxArgumentLength) {
      return FieldError(ArgumentField(key),
                        absl::StrCat("argument '", key, "' of prompt '", name, "' is longer than ",
                                     kMaxArgumentLength, " bytes"));
    }
    if (value.empty()) continue;
    if (!arg->allowed_values.empty()) {
      bool allowed = false;
      for (const std::string& v : arg->allowed_values) allowed = allowed || v == value;
      if (!allowed) {
        return FieldError(
            ArgumentField(key),
            absl::StrCat("argument '", key, "' of prompt '", name, "' must be one of ",
                         absl::StrJoin(arg->allowed_values, ", "), "; got '", value, "'"));
      }
    }
    given[key] = value;
  }
  auto file = given.find("pcap_file");
  const std::string focus = spec->focus ? spec->focus(given) : "";
  std::string body = absl::StrReplaceAll(
      spec->body, {{"{{file}}", file != given.end() ? file->second : "<capture>"},
                   {"{{focus}}", focus.empty() ? "" : absl::StrCat("\n", focus, "\n")}});
  return absl::StrCat(CaptureBlock(given), body, kReporting);
}

}  // namespace mcpcap
