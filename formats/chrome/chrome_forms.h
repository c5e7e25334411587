// The Chrome reader's parts, shared between its files (not a public interface).
#pragma once
#include <string_view>

#include "formats/chrome/chrome_stack_samples.h"
#include "formats/chrome/event_windows.h"
#include "formats/chrome/json_scanner.h"
#include "formats/chrome/trace_builder.h"
#include "lib/input.h"
#include "lib/profile.h"

namespace perfkit::chrome {

// Bytes of events parsed per simdjson call: small enough to keep the structural index in cache
// and the memory bounded, large enough that per-call costs vanish.
constexpr size_t kWindowBytes = 256 * 1024;

enum class Flavor { kArray, kObject, kJsonl };

size_t skip_bom_and_space(std::string_view text, size_t pos);
Flavor detect_flavor(std::string_view text);

// Each reads its form into the builder (and p's warnings and metadata). The object form also
// hands back its stackFrames and samples members (chrome_stack_samples.h reads them).
void read_json_form(const InputBuffer& in, Profile& p, TraceBuilder& builder, bool object_form,
                    SampledMembers& sampled);
void read_jsonl(const InputBuffer& in, Profile& p, TraceBuilder& builder);

// The cut-short warning every form uses.
std::string cut_message(size_t at, int64_t skipped, int64_t kept, std::string_view unit);

}  // namespace perfkit::chrome
