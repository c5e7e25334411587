// Chrome trace JSON out, for Perfetto and chrome://tracing.
// - A trace keeps its events: complete spans as X, instants as i, async spans as b/e pairs, and
//   the process/thread names and sort indexes as M. Counters, flows, args are not kept.
// - A stack profile becomes a flame chart: one X event per flame-tree node on one thread, laid
//   out by weight (children in name order from the parent's start). Nanosecond values keep their
//   time; other units are drawn as 1 unit = 1 microsecond.
#pragma once
#include <string>

#include "lib/profile.h"
#include "lib/text_out.h"

namespace perfkit {

// Dispatches: spans -> write_chrome_trace, otherwise write_chrome_flame_chart. `note` receives
// what the conversion lost ("" if nothing).
std::string write_chrome(const Profile& p, int value_index, std::string* note = nullptr);

std::string write_chrome_trace(const Profile& p, std::string* note = nullptr);
std::string write_chrome_flame_chart(const Profile& p, int value_index, std::string* note = nullptr);
// The same, streamed to a sink.
void write_chrome(const Profile& p, int value_index, ByteSink& out, std::string* note = nullptr);
void write_chrome_trace(const Profile& p, ByteSink& out, std::string* note = nullptr);
void write_chrome_flame_chart(const Profile& p, int value_index, ByteSink& out,
                              std::string* note = nullptr);

// Integer nanoseconds as exact decimal microseconds: 1234567 -> "1234.567", -5 -> "-0.005".
void append_us(std::string& out, int64_t ns);

}  // namespace perfkit
