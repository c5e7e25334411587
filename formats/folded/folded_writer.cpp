#include "formats/folded/folded_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "lib/errors.h"

namespace perfkit {

namespace {

struct FoldedLines {
  std::vector<std::pair<std::string, int64_t>> lines;  // sorted, distinct, counts in units
  int64_t rounded = 0;     // lines whose count was rounded
  int64_t negative = 0;    // stacks left out for a negative weight
  int64_t to_zero = 0;     // stacks left out because their count rounded to 0
  int64_t scale = 1;
};

std::string frame_text(const Profile& p, const Frame& f) {
  std::string s(p.str(f.function));
  if (s.empty()) {
    std::string_view file = p.str(f.file);
    s = file.empty() ? "[unknown]" : fmt::format("{}:{}", file, f.line);
  }
  for (char& c : s) {
    if (c == ';') c = ':';
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return s;
}

int resolve_index(const Profile& p, int value_index) {
  if (value_index < 0) return p.default_value_index();
  if (static_cast<size_t>(value_index) >= p.value_types.size())
    throw UsageError(fmt::format("value index {} out of range: {} has {} value types",
                                 value_index, p.path, p.value_types.size()));
  return value_index;
}

int64_t round_div(int64_t v, int64_t scale, bool* inexact) {
  if (scale == 1) return v;
  int64_t q = v / scale, r = v % scale;
  *inexact = r != 0;
  if (2 * (r < 0 ? -r : r) >= scale) q += v < 0 ? -1 : 1;
  return q;
}

// Weights per printed stack text, merged and sorted, in whole units.
FoldedLines collect(const Profile& p, int vi) {
  FoldedLines out;
  if (vi < 0) return out;
  out.scale = std::max<int64_t>(1, p.value_types[vi].scale);
  std::vector<int64_t> weight(p.stacks().size(), 0);
  for (size_t i = 0; i < p.samples().size(); ++i) weight[p.samples()[i].stack] += p.value(i, vi);
  std::vector<std::string> names(p.frames().size());
  std::vector<bool> named(p.frames().size(), false);
  std::vector<std::pair<std::string, int64_t>> raw;
  for (StackId id = 1; id < weight.size(); ++id) {
    if (weight[id] == 0) continue;
    std::string text;
    for (FrameId f : p.stack_frames(id)) {
      if (!named[f]) names[f] = frame_text(p, p.frames()[f]), named[f] = true;
      if (!text.empty()) text += ';';
      text += names[f];
    }
    raw.emplace_back(std::move(text), weight[id]);
  }
  std::sort(raw.begin(), raw.end());
  for (size_t i = 0; i < raw.size();) {
    size_t j = i;
    int64_t w = 0;
    for (; j < raw.size() && raw[j].first == raw[i].first; ++j) w += raw[j].second;
    bool inexact = false;
    int64_t count = round_div(w, out.scale, &inexact);
    if (w < 0) ++out.negative;
    else if (count == 0) ++out.to_zero;
    else {
      out.rounded += inexact;
      out.lines.emplace_back(std::move(raw[i].first), count);
    }
    i = j;
  }
  return out;
}

void add_notes(const FoldedLines& f, std::string_view which, std::vector<std::string>& notes) {
  std::string who = which.empty() ? "" : fmt::format("{}: ", which);
  if (f.rounded)
    notes.push_back(fmt::format("{}{} stack counts were rounded to whole units (scale {})", who,
                                f.rounded, f.scale));
  if (f.to_zero)
    notes.push_back(fmt::format("{}{} stacks left out: their counts round to 0", who, f.to_zero));
  if (f.negative)
    notes.push_back(
        fmt::format("{}{} stacks left out: negative weights cannot be folded", who, f.negative));
}

void set_note(std::string* note, const std::vector<std::string>& notes) {
  if (!note) return;
  note->clear();
  for (const auto& n : notes) *note += (note->empty() ? "" : "; ") + n;
}

int64_t total_of(const FoldedLines& f) {
  int64_t t = 0;
  for (const auto& [text, count] : f.lines) t += count;
  return t;
}

}  // namespace

std::string write_folded(const Profile& p, int value_index, std::string* note) {
  FoldedLines f = collect(p, resolve_index(p, value_index));
  std::string out;
  for (const auto& [text, count] : f.lines) {
    out += text;
    out += ' ';
    out += fmt::format_int(count).str();
    out += '\n';
  }
  std::vector<std::string> notes;
  add_notes(f, "", notes);
  set_note(note, notes);
  return out;
}

std::string write_folded_diff(const Profile& base, const Profile& neu, int value_index,
                              bool normalize, std::string* note) {
  int bi = resolve_index(base, value_index);
  int ni = neu.default_value_index();
  if (value_index >= 0) {
    std::string_view type = base.str(base.value_types[bi].type);
    ni = neu.find_value_type(type);
    if (ni < 0)
      throw UsageError(fmt::format("{} has no value type '{}' to compare with {}", neu.path, type,
                                   base.path));
  }
  FoldedLines b = collect(base, bi), n = collect(neu, ni);
  const int64_t total_b = total_of(b), total_n = total_of(n);
  auto base_count = [&](int64_t c) {
    if (!normalize || total_b == 0) return c;
    return static_cast<int64_t>(static_cast<__int128>(c) * total_n / total_b);
  };
  std::string out;
  auto emit = [&](const std::string& text, int64_t cb, int64_t cn) {
    if (cb == 0 && cn == 0) return;
    out += fmt::format("{} {} {}\n", text, cb, cn);
  };
  size_t i = 0, j = 0;
  while (i < b.lines.size() || j < n.lines.size()) {
    if (j == n.lines.size() || (i < b.lines.size() && b.lines[i].first < n.lines[j].first)) {
      emit(b.lines[i].first, base_count(b.lines[i].second), 0);
      ++i;
    } else if (i == b.lines.size() || n.lines[j].first < b.lines[i].first) {
      emit(n.lines[j].first, 0, n.lines[j].second);
      ++j;
    } else {
      emit(b.lines[i].first, base_count(b.lines[i].second), n.lines[j].second);
      ++i, ++j;
    }
  }
  std::vector<std::string> notes;
  add_notes(b, base.path, notes);
  add_notes(n, neu.path, notes);
  if (normalize && total_b != total_n && total_b != 0)
    notes.push_back(fmt::format("base counts scaled by {}/{} (normalized)", total_n, total_b));
  set_note(note, notes);
  return out;
}

}  // namespace perfkit
