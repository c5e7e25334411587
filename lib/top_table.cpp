#include "lib/top_table.h"

#include <cstdio>

#include "lib/units.h"

namespace perfkit {

TopTable compute_top(const Profile& p, const TopOptions& opts) {
  TopTable out;
  out.table = aggregate(p, opts.agg);
  sort_rows(p, out.table.rows, opts.sort);
  out.node_count = out.table.rows.size();
  if (opts.limit > 0 && out.table.rows.size() > opts.limit) out.table.rows.resize(opts.limit);
  out.format = p.format;
  for (const FlatRow& r : out.table.rows)
    if (r.calls >= 0) out.has_calls = true;
  out.time_ns = p.meta.time_ns;
  out.duration_ns = p.meta.duration_ns;
  for (StrId c : p.meta.comments) out.comments.emplace_back(p.str(c));
  const SampleFilter& f = opts.agg.filter;
  if (!f.focus.empty()) out.active_filters.push_back("focus=" + f.focus);
  if (!f.ignore.empty()) out.active_filters.push_back("ignore=" + f.ignore);
  if (!f.hide.empty()) out.active_filters.push_back("hide=" + f.hide);
  return out;
}

double value_in_unit(const FlatTable& t, int64_t stored) {
  if (t.scale == 1) return double(stored);
  return double(stored) / double(t.scale);
}

std::string pprof_sample_unit(const FlatTable& t) {
  if (t.scale == 1000000000 && units::dimension_of(t.unit) == units::Dimension::kTime &&
      units::pprof_scale(1, t.unit, "s").value == 1.0)
    return "nanoseconds";
  return t.unit;
}

PprofFormatter::PprofFormatter(const FlatTable& t)
    : sample_unit_(pprof_sample_unit(t)), scale_(t.scale) {
  if (sample_unit_ != t.unit) scale_ = 1;  // seconds stored as ns: the unit already says so
  std::vector<int64_t> flats, cums;
  flats.reserve(t.rows.size());
  cums.reserve(t.rows.size());
  for (const FlatRow& r : t.rows) {
    flats.push_back(r.flat);
    cums.push_back(r.cum);
  }
  output_unit_ = units::pprof_output_unit(flats, cums, t.total, sample_unit_);
}

std::string PprofFormatter::operator()(int64_t stored) const {
  if (scale_ == 1) return units::pprof_label(stored, sample_unit_, output_unit_);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", double(stored) / double(scale_));
  std::string s = buf;
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".00") == 0) s.resize(s.size() - 3);
  return s == "-0" ? "0" : s;
}

}  // namespace perfkit

namespace perfkit {

std::string row_display_name(const Profile& p, const FlatRow& r, Granularity by) {
  std::string name;
  if (by != Granularity::kFile) name = p.str(r.name);
  std::string_view file = p.str(r.file);
  if (by == Granularity::kLine && r.line != 0) {
    if (!name.empty()) name += ' ';
    name += std::string(file) + ":" + std::to_string(r.line);
  } else if (by == Granularity::kFile) {
    name = file;
  }
  if (name.empty()) name = "<unknown>";
  return name;
}

std::string_view inline_label(const FlatRow& r, Granularity by) {
  if (by == Granularity::kFile) return "";
  return r.inlined ? "(inline)" : r.partial_inline ? "(partial-inline)" : "";
}

}  // namespace perfkit
