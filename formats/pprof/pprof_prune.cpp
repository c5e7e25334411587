#include "formats/pprof/pprof_prune.h"

#include <fmt/format.h>

#include "lib/pprof_names.h"

namespace perfkit::pprof {
namespace {

// A pattern that does not compile (or is too large) becomes a warning, as in pprof, which
// reports the error and reads the profile unpruned.
bool compile(Profile& p, StrId id, const char* what, Regex& out) {
  std::string_view re = p.str(id);
  out = Regex::compile("(?:" + std::string(re) + ")");
  if (out.ok()) return true;
  std::string shown = re.size() > 200 ? std::string(re.substr(0, 200)) + "..." : std::string(re);
  p.warn(fmt::format("{} regex '{}' does not compile ({}); no frames were dropped", what, shown,
                     out.error()));
  return false;
}

}  // namespace

FramePruner::FramePruner(Profile& p) : p_(p) {
  if (p.meta.drop_frames == 0 || p.str(p.meta.drop_frames).empty()) return;
  if (!compile(p, p.meta.drop_frames, "drop_frames", drop_)) return;
  if (p.meta.keep_frames != 0 && !p.str(p.meta.keep_frames).empty()) {
    if (!compile(p, p.meta.keep_frames, "keep_frames", keep_)) return;
    has_keep_ = true;
  }
  active_ = true;
}

bool FramePruner::matches(StrId function) {
  if (function >= cache_.size()) cache_.resize(p_.strings.size(), -1);
  if (cache_[function] >= 0) return cache_[function] == 1;
  std::string_view name = p_.str(function);
  bool drop = false;
  if (!name.empty()) {
    std::string_view s = simplify_function_name(name);
    drop = drop_.full_match(s) && !(has_keep_ && keep_.full_match(s));
  }
  cache_[function] = drop ? 1 : 0;
  return drop;
}

PruneMark FramePruner::mark_location(const FrameId* frames, uint32_t& count) {
  for (uint32_t i = 0; i < count; ++i) {
    const Frame& f = p_.frames()[frames[i]];
    if (f.unsymbolized || !matches(f.function)) continue;  // pprof: lines with a function name
    if (i == 0) return PruneMark::kWhole;
    count = i;
    return PruneMark::kBeneath;
  }
  return PruneMark::kNone;
}

size_t pruned_prefix(const uint32_t* locs, size_t n, const std::vector<PruneMark>& marks) {
  bool found_user = false;
  for (size_t i = n; i-- > 0;) {
    PruneMark m = marks[locs[i]];
    if (m == PruneMark::kNone) {
      found_user = true;
      continue;
    }
    if (!found_user) continue;
    return m == PruneMark::kWhole ? i + 1 : i;
  }
  return 0;
}

}  // namespace perfkit::pprof
