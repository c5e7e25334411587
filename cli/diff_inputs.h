// Shared by `perfkit diff` and `perfkit gate`: read the inputs of both sides, check that they can
// be compared, aggregate each with the same options.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "lib/aggregate.h"
#include "lib/diff.h"
#include "lib/input.h"

namespace perfkit::cli {

struct CompareOptions {
  std::string sample_index;
  std::string by = "function";
  FilterCli filters;  // --focus --ignore --hide --show --show-from --prune-from --tagfocus --tagignore
  bool normalize = false;         // pprof's -normalize: the new runs scaled to the base's total
  bool normalize_to_new = false;  // the other way: the base scaled to the new run's total
  ReadOptions read;
  bool simplify_names = false;  // --simplify-names: load_runs simplifies before aggregating
  bool quiet = false;           // load_runs prints no warnings (a second read of the same files)
};

// Adds --sample-index, --by, the filters, --simplify-names, --normalize and the read options.
void add_compare_options(CLI::App& app, CompareOptions& opts);


struct LoadedRuns {
  std::vector<std::unique_ptr<Profile>> profiles;  // owns what the tables point at
  std::vector<RunTable> base, new_runs;
};

// Reads every file (warnings to stderr), refuses incomparable inputs, aggregates. With no base
// files the new runs are read but not aggregated (their tables are empty).
LoadedRuns load_runs(const std::vector<std::string>& base, const std::vector<std::string>& new_files,
                     const CompareOptions& opts);

DiffOptions diff_options(const CompareOptions& opts);

}  // namespace perfkit::cli
