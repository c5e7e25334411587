// perf script text: the reader's entry points (one line in formats/registry.cpp) and its option.
#pragma once
#include <string_view>

#include "formats/perf/perf_script_line.h"
#include "formats/registry.h"

namespace perfkit {

Probe probe_perf_script(std::string_view content);
void read_perf_script(const InputBuffer& in, Profile& out, const ReadOptions& opts);

// --perf-root: the root frame stackcollapse-perf.pl puts on each stack (its default, --pid,
// --tid) or none. A process-wide setting of this reader, made by the command line before any
// read (ReadOptions carries no per-format options).
void set_perf_root(PerfRoot root);
PerfRoot perf_root();

}  // namespace perfkit
