#include "formats/v8/v8_cpu_profile.h"

#include <fmt/format.h>

#include <algorithm>

#include "lib/decimal_time.h"
#include "lib/errors.h"

namespace perfkit::v8 {
namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

constexpr uint32_t kNone = UINT32_MAX;
constexpr int64_t kBadId = INT64_MIN;  // a sample that is not a number: names no node

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// A number scaled by 10^scale, exactly from its text; false when it is not a number or too large.
bool scaled_number(ondemand::value& v, int scale, int64_t& out) {
  int64_t i = 0;
  if (v.get_int64().get(i) == simdjson::SUCCESS) {
    int64_t mul = scale == 3 ? 1000 : 1;
    return !__builtin_mul_overflow(i, mul, &out);
  }
  return parse_decimal_scaled(trim(v.raw_json_token()), scale, out) == DecimalStatus::kOk;
}

// b >= a is not assured by the input; the difference of two int64 saturates.
int64_t sub_sat(int64_t a, int64_t b) {
  int64_t d;
  return __builtin_sub_overflow(a, b, &d) ? (a > b ? INT64_MAX : INT64_MIN) : d;
}

// The file name of a url: what follows the last '/'.
std::string_view base_name(std::string_view url) {
  size_t slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

}  // namespace

std::vector<ValueType> value_types(Profile& p) {
  return {ValueType{p.strings.intern("samples"), p.strings.intern("count"), 1},
          ValueType{p.strings.intern("cpu"), p.strings.intern("nanoseconds"), 1}};
}

error_code CpuProfileParts::add_members(ondemand::object obj, const char*& at) {
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    ondemand::value& v = f.value();
    at = v.raw_json_token().data();
    ondemand::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (key == "nodes" || key == "samples" || key == "timeDeltas") {
      if (type != ondemand::json_type::array) return simdjson::INCORRECT_TYPE;
      ondemand::array arr;
      if (auto e = v.get_array().get(arr)) return e;
      error_code e = key == "nodes"     ? add_nodes(arr, at)
                     : key == "samples" ? add_ints(arr, samples_, 0, at)
                                        : add_ints(arr, deltas_ns_, 3, at);
      if (e) return e;
    } else if (key == "startTime" || key == "endTime") {
      int64_t ns = 0;
      if (type != ondemand::json_type::number || !scaled_number(v, 3, ns)) {
        ++bad_values_;
        continue;
      }
      (key == "startTime" ? start_ns_ : end_ns_) = ns;
      (key == "startTime" ? has_start_ : has_end_) = true;
    } else if (key == "cpuProfile" && type == ondemand::json_type::object) {
      ondemand::object inner;
      if (auto e = v.get_object().get(inner)) return e;
      if (auto e = add_members(inner, at)) return e;
    }
  }
  return simdjson::SUCCESS;
}

error_code CpuProfileParts::add_ints(ondemand::array arr, std::vector<int64_t>& out, int scale,
                                     const char*& at) {
  for (auto el : arr) {
    ondemand::value v;
    if (auto e = std::move(el).get(v)) return e;
    int64_t x = 0;
    if (!scaled_number(v, scale, x)) {
      at = v.raw_json_token().data();
      ondemand::json_type type;
      if (auto e = v.type().get(type)) return e;
      if (type == ondemand::json_type::object || type == ondemand::json_type::array)
        return simdjson::INCORRECT_TYPE;
      ++bad_values_;
      x = scale == 0 ? kBadId : 0;
    }
    out.push_back(x);
  }
  return simdjson::SUCCESS;
}

error_code CpuProfileParts::add_nodes(ondemand::array arr, const char*& at) {
  for (auto el : arr) {
    ondemand::value v;
    if (auto e = std::move(el).get(v)) return e;
    at = v.raw_json_token().data();
    ondemand::object obj;
    if (auto e = v.get_object().get(obj)) return e;
    if (auto e = add_node(obj, at)) return e;
  }
  return simdjson::SUCCESS;
}

error_code CpuProfileParts::add_node(ondemand::object obj, const char*& at) {
  Node n;
  bool has_id = false;
  std::vector<int64_t> children;
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    ondemand::value& v = f.value();
    if (key == "id") {
      has_id = scaled_number(v, 0, n.id);
    } else if (key == "parent") {
      n.has_parent = scaled_number(v, 0, n.parent_id);
    } else if (key == "callFrame") {
      ondemand::object cf;
      if (v.get_object().get(cf) == simdjson::SUCCESS) {
        if (auto e = add_call_frame(cf, n)) return e;
      }
    } else if (key == "children") {
      ondemand::array kids;
      if (v.get_array().get(kids) == simdjson::SUCCESS) {
        if (auto e = add_ints(kids, children, 0, at)) return e;
      }
    }
  }
  if (!has_id) {
    ++bad_values_;
    return simdjson::SUCCESS;
  }
  for (int64_t c : children)
    if (c != kBadId) child_links_.emplace_back(n.id, c);
  auto [it, inserted] = index_.try_emplace(n.id, static_cast<uint32_t>(nodes_.size()));
  if (inserted) {
    nodes_.push_back(n);
  } else {
    ++duplicate_ids_;
    nodes_[it->second] = n;
  }
  return simdjson::SUCCESS;
}

error_code CpuProfileParts::add_call_frame(ondemand::object obj, Node& n) {
  std::string_view function, url;
  int64_t line = -1;
  for (auto fr : obj) {
    ondemand::field f;
    if (auto e = std::move(fr).get(f)) return e;
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) return e;
    ondemand::value& v = f.value();
    if (key == "functionName") {
      if (v.get_string().get(function))
        function = {};
      else
        n.name = p_->strings.intern(function);  // the view dies with the next string
    } else if (key == "url") {
      if (v.get_string().get(url))
        url = {};
      else
        n.url = p_->strings.intern(url);
    } else if (key == "lineNumber") {
      if (!scaled_number(v, 0, line)) line = -1;
    }
  }
  n.line = line >= 0 ? line + 1 : 0;
  std::string_view name = p_->str(n.name);
  n.is_root = name == "(root)";
  if (name.empty()) {
    std::string_view file = p_->str(n.url);
    n.name = p_->strings.intern(file.empty() ? std::string("(anonymous)")
                                : n.line ? fmt::format("(anonymous {}:{})", base_name(file), n.line)
                                         : fmt::format("(anonymous {})", base_name(file)));
  }
  return simdjson::SUCCESS;
}

uint32_t CpuProfileParts::index_of(int64_t id) const {
  auto it = index_.find(id);
  return it == index_.end() ? kNone : it->second;
}

// Each node's stack: parents walked up to a resolved node or a root, then trie nodes made root
// first (no recursion: a chain of any depth is fine). A parent naming no node ends the walk
// there, as does a parent already on the walk (a loop); both are counted.
std::vector<StackId> CpuProfileParts::resolve_stacks() {
  const size_t n = nodes_.size();
  std::vector<uint32_t> parent(n, kNone);
  int64_t missing = 0, cycles = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!nodes_[i].has_parent) continue;
    parent[i] = index_of(nodes_[i].parent_id);
    if (parent[i] == kNone) ++missing;
  }
  for (auto [pid, cid] : child_links_) {
    uint32_t c = index_of(cid), pa = index_of(pid);
    if (c == kNone) {
      ++missing;
      continue;
    }
    parent[c] = pa;
  }
  enum : uint8_t { kUnresolved, kOnPath, kDone };
  std::vector<uint8_t> state(n, kUnresolved);
  std::vector<StackId> stack(n, kEmptyStack);
  std::vector<uint32_t> path;
  for (size_t start = 0; start < n; ++start) {
    if (state[start] == kDone) continue;
    path.clear();
    StackId base = kEmptyStack;
    for (uint32_t cur = static_cast<uint32_t>(start);;) {
      if (state[cur] == kDone) {
        base = stack[cur];
        break;
      }
      if (state[cur] == kOnPath) {
        ++cycles;
        break;
      }
      state[cur] = kOnPath;
      path.push_back(cur);
      if (parent[cur] == kNone) break;
      cur = parent[cur];
    }
    for (size_t k = path.size(); k-- > 0;) {
      const uint32_t i = path[k];
      const Node& nd = nodes_[i];
      // The root node is no frame: its children are the stacks' first frames.
      if (!(nd.is_root && k == path.size() - 1 && base == kEmptyStack))
        base = p_->child(
            base, p_->intern_frame(Frame{nd.name, nd.url, nd.line, false, false, 0, nd.line}));
      stack[i] = base;
      state[i] = kDone;
    }
  }
  if (missing)
    p_->warn("CPU profile nodes whose parent or child names no node: made roots", missing);
  if (cycles) p_->warn("loops in CPU profile node parents: cut where the loop closes", cycles);
  return stack;
}

// Each sample's weight in nanoseconds (speedscope's rule, see the header).
std::vector<int64_t> CpuProfileParts::weigh() const {
  const size_t n = samples_.size();
  std::vector<int64_t> weight(n, 0);
  if (n == 0) return weight;
  auto delta = [&](size_t i) { return i < deltas_ns_.size() ? deltas_ns_[i] : 0; };
  int64_t elapsed = delta(0);
  int64_t last_valid = elapsed;
  size_t run = 0;  // the sample that starts the open run
  int64_t run_t = 0;
  auto at = [&](int64_t t) {  // a run boundary: clamped to the previous one
    if (t < last_valid) return last_valid;
    last_valid = t;
    return t;
  };
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || samples_[i] != samples_[i - 1]) {
      const int64_t t = at(elapsed);
      if (i > 0) weight[run] += sub_sat(t, run_t);
      run = i;
      run_t = t;
    }
    if (i + 1 == n) {
      if (i > 0) weight[run] += sub_sat(at(elapsed), run_t);
    } else {
      if (__builtin_add_overflow(elapsed, delta(i + 1), &elapsed)) elapsed = INT64_MAX;
    }
  }
  return weight;
}

std::vector<CpuProfileParts::Row> CpuProfileParts::finish() {
  std::vector<StackId> stacks = resolve_stacks();
  std::vector<uint32_t> sample_nodes(samples_.size(), kNone);
  int64_t unknown = 0;
  for (size_t i = 0; i < samples_.size(); ++i) {
    sample_nodes[i] = samples_[i] == kBadId ? kNone : index_of(samples_[i]);
    if (sample_nodes[i] == kNone) ++unknown;
  }
  std::vector<int64_t> weight = weigh();
  std::vector<Row> rows;
  std::unordered_map<StackId, uint32_t> row_of;
  const StrId root_name = p_->strings.intern("(root)");
  for (size_t i = 0; i < samples_.size(); ++i) {
    const uint32_t node = sample_nodes[i];
    if (node == kNone) continue;
    StackId s = stacks[node];
    if (s == kEmptyStack)  // a sample on the root node itself
      s = p_->child(kEmptyStack, p_->intern_frame(Frame{root_name, 0, 0, false}));
    auto [it, inserted] = row_of.try_emplace(s, static_cast<uint32_t>(rows.size()));
    if (inserted) rows.push_back(Row{s, 0, 0});
    Row& r = rows[it->second];
    ++r.count;
    if (__builtin_add_overflow(r.time_ns, weight[i], &r.time_ns))
      throw InputError::in_file(p_->path, "CPU profile: the summed time of one stack passes int64");
  }
  if (!samples_.empty() && samples_.size() != deltas_ns_.size())
    p_->warn(fmt::format("CPU profile has {} samples but {} timeDeltas: missing deltas count as 0",
                         samples_.size(), deltas_ns_.size()));
  if (unknown) p_->warn("CPU profile samples naming no node skipped", unknown);
  if (bad_values_)
    p_->warn("CPU profile values that are not numbers (ids, samples, deltas, times) skipped",
             bad_values_);
  if (duplicate_ids_) p_->warn("CPU profile node ids given twice: the last kept", duplicate_ids_);
  return rows;
}

}  // namespace perfkit::v8
