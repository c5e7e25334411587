#include "cli/profile_base.h"

#include <cmath>

#include <fmt/format.h>

#include "cli/command.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/merge.h"

namespace perfkit::cli {

void add_base_options(CLI::App& app, BaseOptions& o) {
  auto* base = app.add_option("--base", o.base,
                              "Subtract this profile first (pprof's -base): what changed, on the "
                              "input's own scale");
  auto* diff = app.add_option("--diff-base", o.diff_base,
                              "Subtract this profile, percentages of the base's total (pprof's "
                              "-diff_base)");
  base->excludes(diff);
  app.add_flag("--normalize", o.normalize,
               "With --base/--diff-base: scale the input to the base's total first (pprof's "
               "-normalize)");
}

// ScaleN: every value of column k multiplied by ratio[k], rounded half away from zero.
void scale_values(Profile& p, const std::vector<double>& ratio) {
  for (size_t i = 0; i < p.sample_count(); ++i) {
    int64_t* v = p.mutable_values(i);
    for (size_t k = 0; k < ratio.size(); ++k)
      if (ratio[k] != 1) v[k] = static_cast<int64_t>(std::round(static_cast<double>(v[k]) * ratio[k]));
  }
}

std::vector<int64_t> column_sums(const Profile& p) {
  std::vector<int64_t> sums(p.value_types.size(), 0);
  for (size_t i = 0; i < p.sample_count(); ++i)
    for (size_t k = 0; k < sums.size(); ++k) sums[k] += p.value(i, k);
  return sums;
}

Profile read_with_base(const std::string& file, const BaseOptions& o, const std::string& sample_index,
                       const ReadOptions& read) {
  (void)sample_index;
  const std::string& base_path = o.base.empty() ? o.diff_base : o.base;
  if (base_path.empty()) {
    if (o.normalize) throw UsageError("--normalize needs --base or --diff-base");
    return read_profile(file, read);
  }
  // Subtracting keeps apart the locations pprof's merge keeps apart (by address in the mapping).
  ReadOptions merge_read = read;
  merge_read.merge_addresses = true;
  Profile p = read_profile(file, merge_read);
  // pprof prunes the merge with the first profile's drop_frames/keep_frames, the base's too.
  if (p.format == "pprof") {
    merge_read.prune_override = true;
    merge_read.drop_frames = p.str(p.meta.drop_frames);
    merge_read.keep_frames = p.str(p.meta.keep_frames);
  }
  Profile b = read_profile(base_path, merge_read);
  bool same = p.value_types.size() == b.value_types.size() &&
              p.str(p.meta.period_type.type) == b.str(b.meta.period_type.type) &&
              p.str(p.meta.period_type.unit) == b.str(b.meta.period_type.unit);
  for (size_t k = 0; same && k < p.value_types.size(); ++k)
    same = p.str(p.value_types[k].type) == b.str(b.value_types[k].type) &&
           p.str(p.value_types[k].unit) == b.str(b.value_types[k].unit) &&
           p.value_types[k].scale == b.value_types[k].scale;
  if (!same)
    throw InputError::in_file(base_path, fmt::format("cannot subtract it from {}: the sample and "
                                                     "period types differ", file));
  if (o.normalize) {
    std::vector<int64_t> base_sums = column_sums(b), own = column_sums(p);
    std::vector<double> ratio(own.size());
    for (size_t k = 0; k < own.size(); ++k)
      ratio[k] = own[k] == 0 ? 0.0 : static_cast<double>(base_sums[k]) / static_cast<double>(own[k]);
    scale_values(p, ratio);
  }
  if (!o.diff_base.empty()) {
    Label l;
    l.key = b.strings.intern("pprof::base");
    l.str = b.strings.intern("true");
    b.add_label_to_samples(l);
  }
  scale_values(b, std::vector<double>(b.value_types.size(), -1.0));
  Profile merged = merge_profiles({&p, &b});
  // pprof's merge takes the time of [new, base] as `t == 0 || s < t ? s : t`, so a base without
  // a time (0) clears the new profile's, and the header has no Time: line.
  const int64_t tn = p.meta.time_ns, tb = b.meta.time_ns;
  merged.meta.time_ns = tn == 0 || tb < tn ? tb : tn;
  merged.path = p.path;
  merged.format = p.format;
  merged.flavor = p.flavor;
  return merged;
}

}  // namespace perfkit::cli
