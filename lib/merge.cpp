#include "lib/merge.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/edge_index.h"
#include "lib/errors.h"
#include "lib/units.h"

namespace perfkit {

namespace {

constexpr uint32_t kUnset = UINT32_MAX;

std::string type_list(const Profile& p) {
  std::string s;
  for (const ValueType& vt : p.value_types)
    s += fmt::format("{}{}/{}", s.empty() ? "" : ", ", p.str(vt.type), p.str(vt.unit));
  return s.empty() ? "no sample types" : s;
}

std::string period_text(const Profile& p) {
  const ValueType& t = p.meta.period_type;
  if (!t.type && !t.unit) return "no period type";
  return fmt::format("period type {}/{}", p.str(t.type), p.str(t.unit));
}

// Two's-complement arithmetic: pprof's int64 sums wrap; signed overflow would be undefined.
int64_t wrap_mul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}
int64_t wrap_add(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

// How a unit of an input converts to the result's (pprof's measurement.CommonValueType keeps the
// finer unit): values of the input are multiplied by in_mult, the result's by out_mult (one of
// the two is 1), and `finer` says the input's unit becomes the result's.
struct UnitStep {
  bool ok = true;
  bool finer = false;
  int64_t in_mult = 1, out_mult = 1;
};

UnitStep unit_step(std::string_view in_unit, std::string_view out_unit) {
  UnitStep st;
  if (in_unit == out_unit) return st;
  units::Dimension d = units::dimension_of(in_unit);
  if (d == units::Dimension::kCount || d != units::dimension_of(out_unit)) {
    st.ok = false;
    return st;
  }
  double r = units::pprof_scale(1, in_unit, out_unit).value;
  if (r < 1) {
    st.finer = true;
    r = units::pprof_scale(1, out_unit, in_unit).value;
  }
  auto m = static_cast<int64_t>(std::llround(r));
  if (m < 1 || std::fabs(r - static_cast<double>(m)) > 1e-9 * r) {  // not a whole multiple
    st.ok = false;
    return st;
  }
  (st.finer ? st.out_mult : st.in_mult) = m;
  return st;
}

// Key bytes of a label set: its labels ordered by (numeric?, key), the values of one key in their
// order, as pprof's sampleKey sorts labels by key.
void label_key(std::string& key, std::vector<Label>& labels) {
  std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
    return std::pair(a.str == 0, a.key) < std::pair(b.str == 0, b.key);
  });
  key.clear();
  for (const Label& l : labels) {
    key.append(reinterpret_cast<const char*>(&l.key), sizeof l.key);
    key.append(reinterpret_cast<const char*>(&l.str), sizeof l.str);
    key.append(reinterpret_cast<const char*>(&l.num), sizeof l.num);
    key.append(reinterpret_cast<const char*>(&l.num_unit), sizeof l.num_unit);
  }
}

}  // namespace

class ProfileMerger::Impl {
 public:
  void add(const Profile& in) {
    if (!started_) start(in);
    std::vector<int64_t> in_mult = check(in);
    smap_.assign(in.strings.size(), kUnset);
    smap_[0] = 0;
    range_set_.clear();
    fmap_.assign(in.frames().size(), kUnset);
    if (in.has_deferred_stacks()) {
      Profile::StackLists lists = in.stack_lists();
      lmap_.assign(lists.begin.size() - 1, kUnset);
      add_samples(in, lists.samples, in_mult, [&](uint32_t list) { return map_list(in, lists, list); });
    } else {
      stmap_.assign(in.stacks().size(), kUnset);
      stmap_[0] = kEmptyStack;
      add_samples(in, in.samples(), in_mult, [&](StackId s) { return map_stack(in, s); });
    }
    merge_meta(in);
    for (const Warning& w : in.warnings) out_.warnings.push_back(w);
    ++inputs_;
  }

  Profile take(bool final) {
    Profile p = std::move(out_);
    std::string first = first_path_;
    *this = Impl();
    if (!final) {
      p.path = first;  // a partial result's errors name the first input it holds
      return p;
    }
    bool zero = false;
    for (size_t i = 0; i < p.sample_count() && !zero; ++i) zero = all_zero(p, i);
    if (zero) {  // pprof's Merge re-merges to drop samples that summed to zero
      Impl again;
      again.add(p);
      p = std::move(again.out_);
    }
    p.path = "merged";
    return p;
  }

  size_t inputs_ = 0;

 private:
  static bool all_zero(const Profile& p, size_t i) {
    for (size_t k = 0; k < p.value_types.size(); ++k)
      if (p.value(i, k) != 0) return false;
    return true;
  }

  void start(const Profile& in) {
    started_ = true;
    first_path_ = in.path;
    out_.path = in.path;
    out_.format = in.format;
    out_.flavor = in.flavor;
    for (const ValueType& vt : in.value_types)
      out_.value_types.push_back(
          {out_.strings.intern(in.str(vt.type)), out_.strings.intern(in.str(vt.unit)), vt.scale});
    const ValueType& pt = in.meta.period_type;
    out_.meta.period_type = {out_.strings.intern(in.str(pt.type)), out_.strings.intern(in.str(pt.unit)),
                             pt.scale};
    out_.meta.period = in.meta.period;
  }

  // Checks that `in` can merge and converts the result to the common units; returns the factor
  // of each of the input's columns. Nothing changes when it throws.
  std::vector<int64_t> check(const Profile& in) {
    const size_t n = out_.value_types.size();
    auto refuse = [&](const std::string& why) {
      throw InputError::in_file(in.path, fmt::format("cannot merge it ({}) with {} ({}): {}",
                                                     type_list(in), first_path_, type_list(out_), why));
    };
    if (in.value_types.size() != n)
      refuse(fmt::format("the sample types differ ({} against {}; pprof merges only profiles with "
                         "the same sample types, in the same order)", in.value_types.size(), n));
    std::vector<int64_t> in_mult(n, 1), out_mult(n, 1);
    std::vector<bool> finer(n, false);
    std::vector<int64_t> scale(n);
    for (size_t k = 0; k < n; ++k) {
      const ValueType &a = in.value_types[k], &b = out_.value_types[k];
      if (in.str(a.type) != out_.str(b.type))
        refuse(fmt::format("the sample types differ (number {} is {} there; pprof merges only "
                           "profiles with the same sample types, in the same order)", k + 1,
                           out_.str(b.type)));
      UnitStep st = unit_step(in.str(a.unit), out_.str(b.unit));
      if (!st.ok)
        refuse(fmt::format("{} is in {} there, which does not convert to {}", in.str(a.type),
                           out_.str(b.unit), in.str(a.unit)));
      in_mult[k] = st.in_mult;
      out_mult[k] = st.out_mult;
      finer[k] = st.finer;
      // Stored-unit scales (folded fractional counts): the larger, when it is a multiple.
      scale[k] = std::max(a.scale, b.scale);
      if (a.scale <= 0 || b.scale <= 0 || scale[k] % a.scale != 0 || scale[k] % b.scale != 0)
        refuse(fmt::format("its {} values are stored in 1/{} units, which does not divide into "
                           "1/{}", in.str(a.type), a.scale, b.scale));
      in_mult[k] *= scale[k] / a.scale;
      out_mult[k] *= scale[k] / b.scale;
    }
    // Period types: pprof requires equal ones (after unit conversion). Profiles of other formats
    // (folded stacks) may have none; they take the others'.
    const ValueType &pa = in.meta.period_type, &pb = out_.meta.period_type;
    bool in_has = pa.type || pa.unit, out_has = pb.type || pb.unit;
    bool lenient = in.format != "pprof" || out_.format != "pprof";
    UnitStep period;
    if (in_has && out_has) {
      if (in.str(pa.type) != out_.str(pb.type))
        refuse(fmt::format("the period types differ: {} here, {} there", period_text(in), period_text(out_)));
      period = unit_step(in.str(pa.unit), out_.str(pb.unit));
      if (!period.ok)
        refuse(fmt::format("the period units differ: {} here, {} there", period_text(in), period_text(out_)));
    } else if (in_has != out_has && !lenient) {
      refuse(fmt::format("the period types differ: {} here, {} there", period_text(in), period_text(out_)));
    }
    // Commit: rescale the result where the input brings a finer unit or scale.
    for (size_t k = 0; k < n; ++k) {
      if (out_mult[k] != 1)
        for (size_t i = 0; i < out_.sample_count(); ++i) {
          int64_t* v = out_.mutable_values(i) + k;
          *v = wrap_mul(*v, out_mult[k]);
        }
      if (finer[k]) out_.value_types[k].unit = out_.strings.intern(in.str(in.value_types[k].unit));
      out_.value_types[k].scale = scale[k];
    }
    in_period_ = in.meta.period;
    if (in_has && !out_has) {
      out_.meta.period_type = {out_.strings.intern(in.str(pa.type)), out_.strings.intern(in.str(pa.unit)),
                               pa.scale};
    } else if (in_has) {
      out_.meta.period = wrap_mul(out_.meta.period, period.out_mult);
      in_period_ = wrap_mul(in_period_, period.in_mult);
      if (period.finer) out_.meta.period_type.unit = out_.strings.intern(in.str(pa.unit));
    }
    return in_mult;
  }

  template <typename Samples, typename MapStack>
  void add_samples(const Profile& in, const Samples& samples, const std::vector<int64_t>& mult,
                   MapStack map) {
    const size_t n = out_.value_types.size();
    std::vector<int64_t> values(n);
    for (size_t i = 0; i < samples.size(); ++i) {
      const Sample& s = samples[i];
      bool zero = true;
      for (size_t k = 0; k < n; ++k) {
        values[k] = wrap_mul(in.value(i, k), mult[k]);
        zero = zero && values[k] == 0;
      }
      if (zero) continue;  // pprof's Merge skips samples without any value
      StackId stack = map(s.stack);
      // The sample of the result with this stack and labels: by_stack_ for unlabelled ones,
      // else by_labels_ with (stack, label set) -> index + 1.
      const auto next = static_cast<uint32_t>(out_.sample_count());
      uint32_t found;
      uint32_t set = 0;
      if (s.label_count == 0) {
        if (by_stack_.size() <= stack)
          by_stack_.resize(std::max<size_t>(stack + 1, by_stack_.size() * 2), kUnset);
        found = by_stack_[stack];
        if (found == kUnset) by_stack_[stack] = next;
      } else {
        set = label_set(in, s);
        found = by_labels_.find_or_insert(stack, set, next + 1) - 1;
        if (found == next) found = kUnset;
      }
      if (found != kUnset) {
        int64_t* v = out_.mutable_values(found);
        for (size_t k = 0; k < n; ++k) v[k] = wrap_add(v[k], values[k]);
      } else if (s.label_count == 0) {
        out_.add_sample(stack, values.data());
      } else {
        out_.add_sample(stack, values.data(), set_labels_.data() + sets_[set].begin, sets_[set].count);
      }
    }
  }

  // The result's id of a sample's label set (pprof's sample key compares labels by key, in any
  // order). Readers share one range among samples with the same labels: each range of an input
  // is looked up once.
  uint32_t label_set(const Profile& in, const Sample& s) {
    if (range_set_.size() < in.labels().size()) range_set_.assign(in.labels().size(), {kUnset, 0});
    auto& cached = range_set_[s.label_begin];
    if (cached.first != kUnset && cached.second == s.label_count) return cached.first;
    labels_.clear();
    for (uint32_t l = 0; l < s.label_count; ++l) {
      Label lb = in.labels()[s.label_begin + l];
      lb.key = str(in, lb.key);
      lb.str = str(in, lb.str);
      lb.num_unit = str(in, lb.num_unit);
      labels_.push_back(lb);
    }
    sorted_ = labels_;
    label_key(key_, sorted_);
    auto it = set_index_.find(key_);
    if (it == set_index_.end()) {
      it = set_index_.emplace(keep(key_), static_cast<uint32_t>(sets_.size())).first;
      sets_.push_back({static_cast<uint32_t>(set_labels_.size()), s.label_count});
      set_labels_.insert(set_labels_.end(), labels_.begin(), labels_.end());
    }
    cached = {it->second, s.label_count};
    return it->second;
  }

  // A copy of a key that stays put (the index holds views of these).
  std::string_view keep(const std::string& key) {
    if (arena_.empty() || arena_used_ + key.size() > kArenaChunk) {
      arena_.push_back(std::make_unique<char[]>(std::max(kArenaChunk, key.size())));
      arena_used_ = 0;
    }
    char* at = arena_.back().get() + arena_used_;
    std::memcpy(at, key.data(), key.size());
    arena_used_ += key.size();
    return {at, key.size()};
  }

  StrId str(const Profile& in, StrId s) {
    if (smap_[s] == kUnset) smap_[s] = out_.strings.intern(in.str(s));
    return smap_[s];
  }

  FrameId frame(const Profile& in, FrameId f) {
    if (fmap_[f] == kUnset) {
      Frame fr = in.frames()[f];
      fr.function = str(in, fr.function);
      fr.file = str(in, fr.file);
      fr.mapping = str(in, fr.mapping);
      fmap_[f] = out_.intern_frame(fr);
    }
    return fmap_[f];
  }

  // A stack given as a trie node of the input: the path up to the first node already mapped,
  // then down again through the result's trie.
  StackId map_stack(const Profile& in, StackId s) {
    if (stmap_[s] != kUnset) return stmap_[s];
    path_.clear();
    for (StackId n = s; stmap_[n] == kUnset; n = in.stacks()[n].parent) path_.push_back(n);
    StackId cur = stmap_[in.stacks()[path_.back()].parent];
    for (size_t k = path_.size(); k-- > 0;) {
      cur = out_.child(cur, frame(in, in.stacks()[path_[k]].frame));
      stmap_[path_[k]] = cur;
    }
    return cur;
  }

  // A stack given as a list of frames, root first (a reader's deferred stacks): the input's own
  // trie is never built.
  StackId map_list(const Profile& in, const Profile::StackLists& lists, uint32_t list) {
    if (lmap_[list] != kUnset) return lmap_[list];
    StackId cur = kEmptyStack;
    for (uint32_t k = lists.begin[list]; k < lists.begin[list + 1]; ++k)
      cur = out_.child(cur, frame(in, lists.frames[k]));
    return lmap_[list] = cur;
  }

  void merge_meta(const Profile& in) {
    Metadata& o = out_.meta;
    const Metadata& i = in.meta;
    bool first = inputs_ == 0;
    if (i.time_ns && (!o.time_ns || i.time_ns < o.time_ns)) o.time_ns = i.time_ns;
    o.duration_ns = wrap_add(o.duration_ns, i.duration_ns);
    if (!first && in_period_ > o.period) o.period = in_period_;
    for (StrId c : i.comments) {
      StrId mc = str(in, c);
      if (std::find(o.comments.begin(), o.comments.end(), mc) == o.comments.end()) o.comments.push_back(mc);
    }
    if (first) {  // pprof keeps the first profile's drop/keep_frames and main mapping
      o.drop_frames = str(in, i.drop_frames);
      o.keep_frames = str(in, i.keep_frames);
      o.main_file = str(in, i.main_file);
      o.main_build_id = str(in, i.main_build_id);
    }
    if (!o.default_sample_type) o.default_sample_type = str(in, i.default_sample_type);
    if (!o.doc_url) o.doc_url = str(in, i.doc_url);
  }

  static constexpr size_t kArenaChunk = size_t{1} << 20;

  Profile out_;
  bool started_ = false;
  std::string first_path_;
  int64_t in_period_ = 0;
  std::vector<uint32_t> smap_, fmap_, stmap_, lmap_;
  std::vector<StackId> path_;
  std::vector<uint32_t> by_stack_;  // by result stack: its unlabelled sample, kUnset if none
  EdgeIndex by_labels_;             // (stack, label set) -> labelled sample + 1
  struct LabelSet {
    uint32_t begin = 0, count = 0;  // into set_labels_, in the order first seen
  };
  std::vector<LabelSet> sets_;
  std::vector<Label> set_labels_;
  std::unordered_map<std::string_view, uint32_t> set_index_;  // label_key -> label set
  std::vector<std::pair<uint32_t, uint32_t>> range_set_;  // by input label_begin: (set, count)
  std::vector<std::unique_ptr<char[]>> arena_;
  size_t arena_used_ = 0;
  std::vector<Label> labels_, sorted_;
  std::string key_;
};

ProfileMerger::ProfileMerger() : impl_(std::make_unique<Impl>()) {}
ProfileMerger::~ProfileMerger() = default;
ProfileMerger::ProfileMerger(ProfileMerger&&) noexcept = default;
ProfileMerger& ProfileMerger::operator=(ProfileMerger&&) noexcept = default;

void ProfileMerger::add(const Profile& in) { impl_->add(in); }
size_t ProfileMerger::inputs() const { return impl_->inputs_; }
Profile ProfileMerger::finish() { return impl_->take(true); }
Profile ProfileMerger::take_partial() { return impl_->take(false); }

Profile merge_profiles(const std::vector<const Profile*>& inputs) {
  ProfileMerger m;
  for (const Profile* p : inputs) m.add(*p);
  return m.finish();
}

}  // namespace perfkit
