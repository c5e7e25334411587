// Input formats: each one is a probe (does this content look like me?) and a reader that fills a
// Profile. Detection is by content, never by file name; --input-format overrides it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "lib/input.h"
#include "lib/profile.h"

namespace perfkit {

enum class Probe { kNo, kMaybe, kYes };

struct FormatSpec {
  const char* name;         // "pprof", "chrome", "table", "folded"
  const char* description;  // one line for --help
  Probe (*probe)(std::string_view content);  // content is inflated
  void (*read)(const InputBuffer& in, Profile& out, const ReadOptions& opts);
};

const std::vector<FormatSpec>& input_formats();
const FormatSpec* find_input_format(std::string_view name);

// Loads path, detects its format (or uses opts.input_format) and reads it.
Profile read_profile(const std::string& path, const ReadOptions& opts);
// The same for a buffer already in memory.
Profile read_profile(const InputBuffer& in, const ReadOptions& opts);

// Per-format entry points (one file each under formats/).
Probe probe_pprof(std::string_view content);
void read_pprof(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_chrome(std::string_view content);
void read_chrome(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_table(std::string_view content);
void read_table(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_folded(std::string_view content);
void read_folded(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_speedscope(std::string_view content);
void read_speedscope(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_cpuprofile(std::string_view content);
void read_cpuprofile(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_callgrind(std::string_view content);
void read_callgrind(const InputBuffer& in, Profile& out, const ReadOptions& opts);
Probe probe_pstats(std::string_view content);
void read_pstats(const InputBuffer& in, Profile& out, const ReadOptions& opts);

}  // namespace perfkit
