#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "formats/perf/perf_script.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/output.h"
#include "lib/profile.h"
#include "lib/progress.h"

namespace perfkit::cli {

std::vector<CommandSpec>& command_registry() {
  static std::vector<CommandSpec> registry;
  return registry;
}

namespace {

uint64_t parse_size(const std::string& text) {
  size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(text, &pos);
  } catch (...) {
    throw CLI::ValidationError("--max-input-size", "expected a size like 8GiB, got " + text);
  }
  std::string unit = text.substr(pos);
  double mult = 1;
  if (unit == "" || unit == "B") mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k") mult = 1024.0;
  else if (unit == "M" || unit == "MiB") mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "GiB") mult = 1024.0 * 1024 * 1024;
  else if (unit == "KB" || unit == "kB") mult = 1e3;
  else if (unit == "MB") mult = 1e6;
  else if (unit == "GB") mult = 1e9;
  else throw CLI::ValidationError("--max-input-size", "unknown size unit '" + unit + "'");
  if (v <= 0) throw CLI::ValidationError("--max-input-size", "must be positive");
  return static_cast<uint64_t>(v * mult);
}

}  // namespace

CLI::Option* add_input_option(CLI::App& app, std::string& file, const std::string& what) {
  file = "-";
  return app.add_option("file", file, what + " (default, or '-': standard input)");
}

void add_nodecount_option(CLI::App& app, size_t& n, const std::string& what) {
  // CLI11 would read "-1" into a size_t as 2^64-1; refuse anything but a plain count.
  CLI::Validator count(
      [](std::string& s) -> std::string {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
          return "expected a count of rows (0 = all), got '" + s + "'";
        return "";
      },
      "N>=0");
  std::string help = what + (n ? " (default " + std::to_string(n) + "; 0 = all)" : " (default 0 = all)");
  app.add_option("-n,--nodecount", n, help)->check(count);
  app.add_option("--nodes", n, "")->check(count)->group("");
}

void add_read_options(CLI::App& app, ReadOptions& opts) {
  std::string formats;
  for (const auto& f : input_formats()) formats += std::string(formats.empty() ? "" : "|") + f.name;
  app.add_option("--input-format", opts.input_format,
                 "Force the input format (" + formats + "); default: detect by content")
      ->check(CLI::IsMember([] {
        std::vector<std::string> names;
        for (const auto& f : input_formats()) names.push_back(f.name);
        return names;
      }()));
  app.add_option_function<std::string>(
         "--max-input-size", [&opts](const std::string& s) { opts.max_input_bytes = parse_size(s); },
         "Refuse inputs (after gunzip) larger than this, e.g. 16GiB (default 8GiB)");
  app.add_option("-j,--jobs", opts.jobs, "Threads for work that splits (default: all cores)");
  app.add_option_function<std::string>(
         "--perf-root",
         [](const std::string& s) {
           set_perf_root(s == "pid" ? PerfRoot::kPid
                         : s == "tid" ? PerfRoot::kTid
                         : s == "none" ? PerfRoot::kNone
                                       : PerfRoot::kComm);
         },
         "perf script input: the root frame of each stack, as stackcollapse-perf.pl makes it: "
         "comm (its default), pid (COMM-PID, its --pid), tid (COMM-PID/TID, its --tid) or none")
      ->check(CLI::IsMember({"comm", "pid", "tid", "none"}));
  app.add_flag_callback(
      "--no-progress", [] { ReadProgress::set_enabled(false); },
      "No progress line on stderr while a slow input is read (also: PERFKIT_NO_PROGRESS=1); it "
      "shows only on a terminal, after a second");
}

void add_filter_options(CLI::App& app, FilterCli& f, bool labels_too) {
  SampleFilter& s = f.filter;
  const char* kRe = " (RE2 syntax, unanchored)";
  app.add_option("--focus", s.focus,
                 std::string("Keep only samples with a location matching this regex: function, "
                             "file or mapping name") + kRe);
  app.add_option("--ignore", s.ignore,
                 std::string("Drop samples with a location matching this regex") + kRe);
  app.add_option("--hide", s.hide,
                 std::string("Remove matching frames from stacks (their time goes to the caller)") +
                     kRe);
  app.add_option("--show", s.show, std::string("Keep only matching frames in stacks") + kRe);
  app.add_option("--show-from", s.show_from,
                 std::string("Drop the frames above the root-most matching one") + kRe);
  app.add_option("--prune-from", s.prune_from,
                 std::string("Drop the frames beneath the leaf-most matching one") + kRe);
  app.add_option("--tagfocus", s.tagfocus,
                 "Keep samples whose labels match: 'RE[,RE]' against key:value, 'key=RE', or a "
                 "numeric range like 'bytes=1kb:64kb', '4mb:'");
  app.add_option("--tagignore", s.tagignore, "Drop samples whose labels match (as --tagfocus)");
  if (!labels_too) return;
  app.add_option("--tagshow", f.tagshow, "Show only labels whose key matches this regex (traces)");
  app.add_option("--taghide", f.taghide, "Hide labels whose key matches this regex (traces)");
  app.add_option("--tagroot", f.tagroot,
                 "Comma-separated label keys whose values become frames at the root of stacks");
  app.add_option("--tagleaf", f.tagleaf,
                 "Comma-separated label keys whose values become frames at the leaf of stacks");
}

void add_simplify_names_option(CLI::App& app, bool& on) {
  app.add_flag("--simplify-names", on,
               "C++ names as pprof shows them: no parameters, template arguments, return type or "
               "clone suffix (functions that share the short name become one row); text, md, "
               "html and svg only, json and csv keep the full names");
}

std::vector<std::string> FilterCli::active() const {
  std::vector<std::string> out;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) out.push_back(std::string(k) + "=" + v);
  };
  add("focus", filter.focus);
  add("ignore", filter.ignore);
  add("hide", filter.hide);
  add("show", filter.show);
  add("show_from", filter.show_from);
  add("tagfocus", filter.tagfocus);
  add("tagignore", filter.tagignore);
  add("tagshow", tagshow);
  add("taghide", taghide);
  return out;
}

void apply_label_frames(Profile& p, const FilterCli& f, const std::string& unit) {
  auto keys = [](const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string k = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!k.empty()) out.push_back(k);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  };
  std::vector<std::string> roots = keys(f.tagroot), leaves = keys(f.tagleaf);
  if (roots.empty() && leaves.empty()) return;
  bool rm = false, lm = false;
  add_label_frames(p, roots, leaves, unit.empty() ? "minimum" : unit, rm, lm);
  if (!roots.empty() && !rm) fmt::print(stderr, "perfkit: warning: --tagroot matched no samples\n");
  if (!leaves.empty() && !lm) fmt::print(stderr, "perfkit: warning: --tagleaf matched no samples\n");
}

void refuse_binary_to_terminal(const std::string& out_path, const std::string& format) {
  if ((out_path.empty() || out_path == "-") && ::isatty(STDOUT_FILENO))
    throw UsageError(fmt::format("{} is binary and standard output is a terminal: write it to a "
                                 "file with -o FILE (or redirect: > out.pb.gz)", format));
}

namespace {

struct TerminalCli {
  bool wide = false;
  terminal::ColorMode color = terminal::ColorMode::kAuto;
};

TerminalCli& terminal_cli() {
  static TerminalCli t;
  return t;
}

bool to_stdout(const std::string& out_path) { return out_path.empty() || out_path == "-"; }

}  // namespace

void add_terminal_options(CLI::App& app) {
  TerminalCli& t = terminal_cli();
  app.add_flag("--wide", t.wide,
               "On a terminal too, print every column at full width (the output of a pipe)");
  app.add_option_function<std::string>(
         "--color",
         [&t](const std::string& s) {
           t.color = s == "always" ? terminal::ColorMode::kAlways
                     : s == "never" ? terminal::ColorMode::kNever
                                    : terminal::ColorMode::kAuto;
         },
         "Colour growth red and shrinkage green: auto (default: when standard output is a "
         "terminal and NO_COLOR is unset or empty), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

terminal::TextStyle text_style(const std::string& out_path) {
  const TerminalCli& t = terminal_cli();
  terminal::TextStyle style;
  const bool tty = to_stdout(out_path) && terminal::is_terminal(STDOUT_FILENO);
  if (tty && !t.wide) style.width = terminal::terminal_width(STDOUT_FILENO);
  style.color = t.color == terminal::ColorMode::kAlways ||
                (to_stdout(out_path) && terminal::use_color(t.color, STDOUT_FILENO));
  return style;
}

void emit_text(const std::string& out_path, const std::string& content,
               const terminal::TextStyle& style, Fit fit) {
  if (style.width == 0) return write_output(out_path, content);
  write_output(out_path, fit == Fit::kCut ? terminal::truncate_lines(content, style.width)
                                          : terminal::wrap_lines(content, style.width));
}

void emit(const std::string& out_path, const std::string& content) {
  write_output(out_path, content);
}

void print_warnings(const std::vector<perfkit::Warning>& warnings) {
  for (const auto& w : warnings) {
    if (w.count > 1)
      fmt::print(stderr, "perfkit: warning: {}: {} ({}x)\n", w.path, w.what, w.count);
    else
      fmt::print(stderr, "perfkit: warning: {}: {}\n", w.path, w.what);
  }
}

}  // namespace perfkit::cli
