// pprof's -base / -diff_base / -normalize for the subcommands that report one profile: the base
// profile is subtracted from the input before anything else (fetch.go: the base scaled by -1 and
// merged in; with -diff_base its samples are labelled pprof::base=true, which makes them the
// report's total; with -normalize the input is first scaled to the base's total per value type).
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "lib/input.h"
#include "lib/profile.h"

namespace perfkit::cli {

struct BaseOptions {
  std::string base;       // --base FILE
  std::string diff_base;  // --diff-base FILE
  bool normalize = false;
};

void add_base_options(CLI::App& app, BaseOptions& o);

// pprof's ScaleN: every value of column k multiplied by ratio[k], rounded per sample (half away
// from zero), so scaled sums are what pprof's are.
void scale_values(Profile& p, const std::vector<double>& ratio);
// Per value column, the signed sum over samples (what pprof's Normalize compares).
std::vector<int64_t> column_sums(const Profile& p);

// Reads `file`, and subtracts the base when one is given. Throws InputError when the two cannot
// be combined (different value types), UsageError for --normalize without a base.
Profile read_with_base(const std::string& file, const BaseOptions& o, const std::string& sample_index,
                       const ReadOptions& read);

}  // namespace perfkit::cli
