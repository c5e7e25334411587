// pprof's header lines: ProfileLabels (File, Build ID, comments, Type, Time, Duration) and
// reportLabels (those, then Active filters, Showing nodes..., Dropped N nodes, Showing top N).
#pragma once
#include <string>
#include <vector>

#include "lib/top_table.h"

namespace perfkit {

std::vector<std::string> pprof_profile_labels(const TopTable& t, const ValueLabels& fmt_value);
// "Active filters:" and one line per filter (cut at 80 characters), or nothing.
std::vector<std::string> pprof_filter_labels(const TopTable& t);
std::vector<std::string> pprof_report_labels(const TopTable& t, const ValueLabels& fmt_value);

}  // namespace perfkit
