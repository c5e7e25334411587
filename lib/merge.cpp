#include "lib/merge.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "lib/errors.h"

namespace perfkit {

namespace {

std::string type_list(const Profile& p) {
  std::string s;
  for (const ValueType& vt : p.value_types)
    s += fmt::format("{}{}/{}", s.empty() ? "" : ", ", p.str(vt.type), p.str(vt.unit));
  return s.empty() ? "no value types" : s;
}

bool same_types(const Profile& a, const Profile& b) {
  if (a.value_types.size() != b.value_types.size()) return false;
  for (size_t i = 0; i < a.value_types.size(); ++i)
    if (a.str(a.value_types[i].type) != b.str(b.value_types[i].type) ||
        a.str(a.value_types[i].unit) != b.str(b.value_types[i].unit))
      return false;
  return true;
}

class Merger {
 public:
  explicit Merger(Profile& out) : out_(out) {}

  void add(const Profile& in, const std::vector<int64_t>& factor) {
    smap_.assign(in.strings.size(), kUnset);
    smap_[0] = 0;
    fmap_.assign(in.frames().size(), kUnset);
    stmap_.assign(in.stacks().size(), kUnset);
    stmap_[0] = kEmptyStack;
    size_t n = out_.value_types.size();
    std::vector<int64_t> values(n);
    std::vector<Label> labels;
    for (size_t i = 0; i < in.samples().size(); ++i) {
      const Sample& s = in.samples()[i];
      StackId stack = map_stack(in, s.stack);
      for (size_t k = 0; k < n; ++k) values[k] = in.value(i, k) * factor[k];
      if (s.label_count == 0) {
        auto [it, inserted] = by_stack_.try_emplace(stack, out_.samples().size());
        if (!inserted) {
          int64_t* v = out_.mutable_values(it->second);
          for (size_t k = 0; k < n; ++k) v[k] += values[k];
          continue;
        }
        out_.add_sample(stack, values.data());
        continue;
      }
      labels.clear();
      for (uint32_t l = 0; l < s.label_count; ++l) {
        Label lb = in.labels()[s.label_begin + l];
        lb.key = str(in, lb.key);
        lb.str = str(in, lb.str);
        lb.num_unit = str(in, lb.num_unit);
        labels.push_back(lb);
      }
      out_.add_sample(stack, values.data(), labels.data(), static_cast<uint32_t>(labels.size()));
    }
  }

  StrId str(const Profile& in, StrId s) {
    if (smap_[s] == kUnset) smap_[s] = out_.strings.intern(in.str(s));
    return smap_[s];
  }

 private:
  static constexpr uint32_t kUnset = UINT32_MAX;

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

  Profile& out_;
  std::vector<uint32_t> smap_, fmap_, stmap_;
  std::vector<StackId> path_;
  std::unordered_map<StackId, size_t> by_stack_;
};

void merge_meta(Merger& m, Profile& out, const Profile& in, bool first) {
  Metadata& o = out.meta;
  const Metadata& i = in.meta;
  if (i.time_ns && (!o.time_ns || i.time_ns < o.time_ns)) o.time_ns = i.time_ns;
  o.duration_ns += i.duration_ns;
  if (first || i.period > o.period) {
    o.period = i.period;
    o.period_type = {m.str(in, i.period_type.type), m.str(in, i.period_type.unit), i.period_type.scale};
  }
  for (StrId c : i.comments) {
    StrId mc = m.str(in, c);
    if (std::find(o.comments.begin(), o.comments.end(), mc) == o.comments.end()) o.comments.push_back(mc);
  }
  if (!o.drop_frames) o.drop_frames = m.str(in, i.drop_frames);
  if (!o.keep_frames) o.keep_frames = m.str(in, i.keep_frames);
  if (!o.default_sample_type) o.default_sample_type = m.str(in, i.default_sample_type);
  if (!o.doc_url) o.doc_url = m.str(in, i.doc_url);
  if (first) {  // pprof's File:/Build ID: name the first input's first mapping
    o.main_file = m.str(in, i.main_file);
    o.main_build_id = m.str(in, i.main_build_id);
  }
}

}  // namespace

Profile merge_profiles(const std::vector<const Profile*>& inputs) {
  Profile out;
  if (inputs.empty()) return out;
  const Profile& head = *inputs[0];
  for (const Profile* p : inputs)
    if (!same_types(head, *p))
      throw InputError(fmt::format(
          "cannot merge {} ({}) with {} ({}): the sample types differ (merge needs the same "
          "types and units in the same order)",
          p->path, type_list(*p), head.path, type_list(head)));
  out.path = "merged";
  out.format = head.format;
  out.flavor = head.flavor;
  // Value types: the largest scale of each column (folded fractional counts), others rescaled.
  for (size_t k = 0; k < head.value_types.size(); ++k) {
    int64_t scale = 1;
    for (const Profile* p : inputs) scale = std::max(scale, p->value_types[k].scale);
    out.value_types.push_back({out.strings.intern(head.str(head.value_types[k].type)),
                               out.strings.intern(head.str(head.value_types[k].unit)), scale});
  }
  Merger m(out);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Profile& in = *inputs[i];
    std::vector<int64_t> factor;
    for (size_t k = 0; k < in.value_types.size(); ++k) {
      int64_t s = in.value_types[k].scale, target = out.value_types[k].scale;
      if (s <= 0 || target % s != 0)
        throw InputError(fmt::format("cannot merge {}: its {} values are in a scale ({}) that does not "
                                     "divide {}", in.path, in.str(in.value_types[k].type), s, target));
      factor.push_back(target / s);
    }
    m.add(in, factor);
    merge_meta(m, out, in, i == 0);
    for (const Warning& w : in.warnings) out.warnings.push_back(w);
  }
  return out;
}

}  // namespace perfkit
