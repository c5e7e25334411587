#include <cstdio>

#include <fmt/format.h>

#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/output.h"
#include "lib/profile.h"

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
