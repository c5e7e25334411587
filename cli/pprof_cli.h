// The options of the subcommands that mirror a pprof report (top, tree, peek, traces): input,
// granularity, value, filters, base, unit and trimming, with pprof's meanings.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "cli/command.h"
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
  std::string format = "text";
  std::string output;
  ReadOptions read;
};

struct PprofCliDefaults {
  size_t limit = 20;
  bool sort = true;        // offer --sort
  bool trimming = true;    // offer -n and --nodefraction
  bool formats = true;     // offer --format text|json|csv|md
  bool file_required = false;  // peek: FILE REGEX, so FILE cannot be left out
};

void add_pprof_options(CLI::App& app, PprofCli& o, const PprofCliDefaults& d);

// Reads the input (and the base), adds span stacks and label frames; warnings to stderr.
Profile load_pprof_input(const PprofCli& o);

// The report options for `p` from the command line.
TopOptions pprof_top_options(const Profile& p, const PprofCli& o);

}  // namespace perfkit::cli
