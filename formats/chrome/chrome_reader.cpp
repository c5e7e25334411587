// Chrome trace JSON: array form, object form ({"traceEvents": [...]}) and JSON-lines; cut-short
// files are salvaged up to their last complete event. See formats/chrome/chrome_forms.h for the
// parts and lib/span_nesting.h for how spans become stacks.
#include <fmt/format.h>

#include <algorithm>

#include "formats/chrome/chrome_forms.h"
#include "formats/registry.h"
#include "formats/v8/v8_cpu_profile.h"
#include "lib/errors.h"
#include "lib/span_nesting.h"

namespace perfkit {
namespace chrome {

size_t skip_bom_and_space(std::string_view text, size_t pos) {
  if (pos == 0 && text.starts_with("\xEF\xBB\xBF")) pos = 3;
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' ||
                               text[pos] == '\t'))
    ++pos;
  return pos;
}

// '[' is the array form. '{' is JSON-lines when the first line holds one complete object that is
// not a "traceEvents" wrapper; otherwise the object form (one line or pretty-printed).
Flavor detect_flavor(std::string_view text) {
  size_t start = skip_bom_and_space(text, 0);
  if (start < text.size() && text[start] == '[') return Flavor::kArray;
  size_t line_end = text.find('\n', start);
  if (line_end == std::string_view::npos) line_end = text.size();
  line_end = std::min(line_end, start + (64 << 10));
  JsonScanner first_line(text.substr(0, line_end));
  auto status = first_line.run(start, /*stop_at_events=*/true);
  if (status == JsonScanner::Status::kComplete && first_line.top_is_object()) {
    // A complete object on the first line; with more after it, that is JSON-lines.
    if (skip_bom_and_space(text, line_end) < text.size()) return Flavor::kJsonl;
    for (const auto& m : first_line.members())
      if (m.key == "ph" || m.key == "name") return Flavor::kJsonl;
  }
  return Flavor::kObject;
}

std::string cut_message(size_t at, int64_t skipped, int64_t kept, std::string_view unit) {
  if (skipped == 0)
    return fmt::format("trace cut short at byte {}: closing brackets missing; all {} complete {}s kept",
                       at, kept, unit);
  return fmt::format("trace cut short at byte {}: {} incomplete {} skipped, {} complete {}s kept",
                     at, skipped, unit, kept, unit);
}

}  // namespace chrome

Probe probe_chrome(std::string_view content) {
  size_t i = chrome::skip_bom_and_space(content, 0);
  if (i >= content.size()) return Probe::kNo;
  std::string_view head = content.substr(i, 64 << 10);
  const bool has_ph = head.find("\"ph\"") != std::string_view::npos;
  if (head[0] == '[') {
    size_t j = chrome::skip_bom_and_space(head, 1);
    if (has_ph || j >= head.size() || head[j] == ']') return Probe::kYes;
    return head[j] == '{' ? Probe::kMaybe : Probe::kNo;
  }
  if (head[0] == '{')
    return has_ph || head.find("\"traceEvents\"") != std::string_view::npos ? Probe::kYes
                                                                            : Probe::kMaybe;
  return Probe::kNo;
}

void read_chrome(const InputBuffer& in, Profile& p, const ReadOptions&) {
  p.format = "chrome";
  const chrome::Flavor flavor = chrome::detect_flavor(in.view());
  TraceBuilder builder(p);
  chrome::SampledMembers sampled;
  switch (flavor) {
    case chrome::Flavor::kArray:
      p.flavor = "array";
      chrome::read_json_form(in, p, builder, /*object_form=*/false, sampled);
      break;
    case chrome::Flavor::kObject:
      p.flavor = "object";
      chrome::read_json_form(in, p, builder, /*object_form=*/true, sampled);
      break;
    case chrome::Flavor::kJsonl:
      p.flavor = "jsonl";
      chrome::read_jsonl(in, p, builder);
      break;
  }
  builder.finish();
  // Sampled stacks and V8 CPU profiles: frames go into the trie now, samples after the spans'
  // (value types: wall, then the sampled columns; see chrome_stack_samples.h and
  // trace_cpu_profiles.h).
  chrome::SampledStacks stacks = chrome::read_sampled_stacks(in, sampled, p);
  chrome::V8Samples v8 = builder.cpu_profiles().build(p);
  std::vector<ValueType> more = stacks.value_types(p);
  if (!v8.rows.empty())
    for (const ValueType& vt : v8::value_types(p))
      if (std::none_of(more.begin(), more.end(),
                       [&](const ValueType& m) { return m.type == vt.type; }))
        more.push_back(vt);
  NestingStats nesting = nest_spans(p, more);
  // Span time stays the default; without it the pprof rule (the last column) picks the samples.
  if (!p.samples().empty() && p.value_types.size() > 1)
    p.meta.default_sample_type = p.strings.intern("wall");
  chrome::add_sampled_stacks(p, stacks);
  chrome::add_v8_samples(p, v8);
  if (nesting.overlaps)
    p.warn("spans overlap their parent without nesting; clipped to the parent's end for self time",
           nesting.overlaps);
}

}  // namespace perfkit
