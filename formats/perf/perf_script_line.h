// One line of `perf script` text: a sample's header, a stack frame, and the frame-name tidying of
// stackcollapse-perf.pl (FlameGraph), whose folded output the reader must reproduce. Pure text
// work on views into the line; perf_script_reader.cpp drives the records and fills the Profile.
// The rules, each from the script's regular expressions, are spelled out in the .cpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfkit {

// A sample's first line: "COMM PID/TID [CPU] TIME: PERIOD EVENT:" and the layouts perf script
// prints with fewer or other -F fields.
struct PerfHeader {
  std::string_view comm;
  std::string_view pid_text;  // "" when perf printed only the thread id (its default)
  std::string_view tid_text;
  size_t pid_col = 0;          // 0-based column of the pid/tid token
  std::string_view event;      // "" when no event name was found
  std::string_view period_text;  // "" when none
  size_t period_col = 0;
  bool script_event = false;   // event and period found the way stackcollapse-perf.pl finds them
  std::string_view time_text;  // "281.039763" (without its ':'), "" when none
  std::string_view trailing;   // text after the event: "ip sym (dso)" without -g, trace fields
};

// Recognizes a header line (one that starts with a non-blank). False when it is not one.
bool parse_perf_header(std::string_view line, PerfHeader* h);

// A frame line: "  ADDRESS SYMBOL[+OFFSET] (DSO)".
struct PerfFrameLine {
  std::string_view pc;
  std::string_view rawfunc;  // symbol with its +0x offset, as printed
  std::string_view dso;
  std::string_view key;      // rawfunc through the dso's ')': what the frame's names depend on
};
bool parse_perf_frame(std::string_view line, PerfFrameLine* f);

// A source line perf script -F+srcline prints under a frame: "  file.c:123" (then *file, *line)
// or a location it could not resolve ("  libc.so.6[27b25]", "  ??:0"; then *line = 0).
bool parse_perf_srcline(std::string_view line, std::string_view* file, int64_t* line_no);

// The names one frame line contributes to a stack, root-most first, as stackcollapse-perf.pl
// makes them with its default options: the +0x offset stripped, "a->b" inline chains split (the
// inlined ones marked "_[i]"), "[unknown]" replaced by the dso's "[basename]", ';' made ':',
// everything from the first '(' that does not open "(anonymous namespace)" dropped (unless the
// name looks like a Go method "pkg.(*T).M"), quotes deleted, Java's leading 'L' removed when the
// process name starts with "java". A name that starts with '(' gives no frame (the script skips
// them as process names): *skipped is set and nothing is added.
void tidy_perf_frame(const PerfFrameLine& f, bool java, std::vector<std::string>* names,
                     bool* skipped);

// stackcollapse-perf.pl's process frame: "COMM", "COMM-PID" (--pid), "COMM-PID/TID" (--tid),
// with '?' for a pid perf did not print and spaces made '_'.
enum class PerfRoot : uint8_t { kComm, kPid, kTid, kNone };
std::string perf_process_name(const PerfHeader& h, PerfRoot root);

// "281.039763" -> ns; false when it is not a decimal time.
bool parse_perf_time(std::string_view text, int64_t* ns);

}  // namespace perfkit
