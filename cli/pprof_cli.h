// The options of the subcommands that mirror a pprof report (top, tree, peek, traces): input,
// granularity, value, filters, base, unit and trimming, with pprof's meanings.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "cli/outputs.h"
#include "cli/profile_base.h"
#include "lib/top_table.h"

namespace perfkit::cli {

struct PprofCli {
  std::string file;
  std::string by = "function";
  std::string sample_index;
  std::string sort = "flat";
  size_t limit = 20;
  double node_fraction = 0.005;
  double edge_fraction = 0.001;
  FilterCli filters;
  std::string unit;
  bool mean = false;
  BaseOptions base;
  OutputsCli outputs;  // the subcommands with --format choices (top, tree)
  std::string output;  // the others' -o
  ReadOptions read;
  bool simplify_names = false;  // --simplify-names (text and md; json and csv keep full names)
};

struct PprofCliDefaults {
  size_t limit = 20;
  bool sort = true;        // offer --sort
  bool trimming = true;    // offer -n and --nodefraction
  // --format's choices, with -o and --output-dir for several outputs (cli/outputs.h); none:
  // only -o FILE.
  std::vector<std::string> formats = {"text", "json", "csv", "md"};
  std::string format_help = "Output format: text, json, csv, md (default text)";
  bool file_required = false;  // peek: FILE REGEX, so FILE cannot be left out
};

void add_pprof_options(CLI::App& app, PprofCli& o, const PprofCliDefaults& d);

// Reads the input (and the base), adds span stacks and label frames; warnings to stderr (when
// `warn`). `simplify`: --simplify-names' short names (lib/display_names.h), before the label frames.
Profile load_pprof_input(const PprofCli& o, bool simplify, bool warn = true);

// The report options for `p` from the command line.
TopOptions pprof_top_options(const Profile& p, const PprofCli& o);

}  // namespace perfkit::cli
