#include "formats/registry.h"

#include <cstdint>

#include <fmt/format.h>

#include "formats/perf/perf_script.h"
#include "lib/errors.h"
#include "lib/progress.h"

namespace perfkit {

const std::vector<FormatSpec>& input_formats() {
  // Order matters only between equally sure probes: the first kYes wins, then the first kMaybe.
  static const std::vector<FormatSpec> kFormats = {
      {"speedscope", "speedscope file format JSON", probe_speedscope, read_speedscope},
      {"cpuprofile", "V8 CPU profile: node --cpu-prof .cpuprofile", probe_cpuprofile,
       read_cpuprofile},
      {"pstats", "Python pstats: cProfile -o, yappi save(type=\"pstat\")", probe_pstats,
       read_pstats},
      {"chrome", "Chrome trace JSON: array, object or JSON-lines form", probe_chrome, read_chrome},
      {"callgrind", "callgrind: valgrind, yappi, pprofile, go tool pprof -callgrind",
       probe_callgrind, read_callgrind},
      {"table", "function table: yappi print_all (functions or threads), cProfile/pstats print_stats", probe_table,
       read_table},
      {"perf", "Linux perf script text (perf record -g, then perf script)", probe_perf_script,
       read_perf_script},
      {"folded", "folded stacks: 'root;child;leaf count'", probe_folded, read_folded},
      {"pprof", "pprof profile.proto, gzipped or raw", probe_pprof, read_pprof},
  };
  return kFormats;
}

const FormatSpec* find_input_format(std::string_view name) {
  for (const auto& f : input_formats())
    if (name == f.name) return &f;
  return nullptr;
}

namespace {

// sum += |v|; false when that passes int64.
bool add_abs(int64_t& sum, int64_t v) {
  return v != INT64_MIN && !__builtin_add_overflow(sum, v < 0 ? -v : v, &sum);
}

// Every analysis sums sample values (totals, cum, flame widths, diffs); a file whose values add up
// past int64 would wrap them silently (and is undefined behaviour). Refused once, here, for every
// format: the sum of |value| per value type must fit, and for tables the sums of each column.
void check_value_range(const Profile& p) {
  int64_t row_sums[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < p.rows.size(); ++i) {
    const TableRow& r = p.rows[i];
    const int64_t v[4] = {r.self_ns, r.total_ns, r.calls, r.primitive_calls};
    for (int k = 0; k < 4; ++k)
      if (!add_abs(row_sums[k], v[k]))
        throw InputError::in_file(
            p.path, fmt::format("the table's times or call counts add up past the 64-bit integer "
                                "range (row {})", i + 1));
  }
  const size_t nvt = p.value_types.size();
  if (nvt == 0) return;
  std::vector<int64_t> sum(nvt, 0);
  for (size_t s = 0; s < p.sample_count(); ++s) {
    for (size_t t = 0; t < nvt; ++t) {
      int64_t v = p.value(s, t);
      if (!add_abs(sum[t], v))
        throw InputError::in_file(
            p.path, fmt::format("the {} values add up past the 64-bit integer range (sample {})",
                                p.str(p.value_types[t].type), s + 1));
    }
  }
}

}  // namespace

Profile read_profile(const InputBuffer& in, const ReadOptions& opts) {
  const FormatSpec* chosen = nullptr;
  if (!opts.input_format.empty()) {
    chosen = find_input_format(opts.input_format);
    if (!chosen) throw UsageError(fmt::format("unknown input format '{}'", opts.input_format));
  } else {
    const FormatSpec* maybe = nullptr;
    for (const auto& f : input_formats()) {
      Probe p = f.probe(in.view());
      if (p == Probe::kYes) {
        chosen = &f;
        break;
      }
      if (p == Probe::kMaybe && !maybe) maybe = &f;
    }
    if (!chosen) chosen = maybe;
    if (!chosen)
      throw InputError::at_byte(in.path, 0,
                                "unrecognized format (not pprof, Chrome trace JSON, a V8 CPU "
                                "profile, speedscope JSON, perf script text, callgrind, pstats, a "
                                "function table or "
                                "folded stacks); "
                                "use --input-format to force one");
  }
  Profile p;
  p.path = in.path;
  p.format = chosen->name;
  if (in.progress) in.progress->phase("parsing", in.size());
  chosen->read(in, p, opts);
  check_value_range(p);
  return p;
}

Profile read_profile(const std::string& path, const ReadOptions& opts) {
  ReadProgress progress(path);  // erased when reading ends, or fails
  InputBuffer in = load_input(path, opts, &progress);
  return read_profile(in, opts);
}

}  // namespace perfkit
