#include "formats/folded/folded_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lib/errors.h"

namespace perfkit {

namespace {

// Printed frame texts of one output, interned (the profiles of a diff share them).
class TextIds {
 public:
  uint32_t id(std::string s) {
    auto [it, inserted] = index_.try_emplace(std::move(s), static_cast<uint32_t>(texts_.size()));
    if (inserted) texts_.push_back(it->first);
    return it->second;
  }
  std::string_view text(uint32_t id) const { return texts_[id]; }
  uint32_t size() const { return static_cast<uint32_t>(texts_.size()); }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string_view> texts_;  // views of index_'s keys (stable in an unordered_map)
};

// Lines as text id sequences (into ids), sorted by their printed text, merged, counted.
struct FoldedLines {
  struct Line {
    uint32_t begin = 0, size = 0;  // into ids
    int64_t count = 0;
  };
  BigVector<uint32_t> ids;  // huge pages: the lines read it in sorted order, not in order
  std::vector<Line> lines;
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

// Does frame text x, followed by ';' when more frames follow (x_more) or by the end of the line,
// sort before y the same way? Texts hold no ';', and distinct ids are distinct texts.
bool key_less(std::string_view x, bool x_more, std::string_view y, bool y_more) {
  const size_t n = std::min(x.size(), y.size());
  if (int c = std::memcmp(x.data(), y.data(), n)) return c < 0;
  if (x.size() == y.size()) return !x_more && y_more;
  // The end of a line sorts first; ';' against the longer text's next byte.
  if (x.size() < y.size()) return !x_more || ';' < static_cast<unsigned char>(y[n]);
  return y_more && static_cast<unsigned char>(x[n]) < ';';
}

// Is text sequence a (ids[a, a + an)) before b in the bytewise order of their printed lines
// ("t1;t2;...")? Equal sequences are not.
bool line_less(const TextIds& t, const uint32_t* a, uint32_t an, const uint32_t* b, uint32_t bn) {
  const uint32_t n = std::min(an, bn);
  uint32_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return an < bn;
  return key_less(t.text(a[i]), i + 1 < an, t.text(b[i]), i + 1 < bn);
}

// The rank of each text among all line keys: last[t] for t ending a line, more[t] for t followed
// by ';'. Comparing two lines position by position by these ranks is comparing their bytes.
struct KeyRanks {
  std::vector<uint32_t> last, more;
};

KeyRanks rank_keys(const TextIds& t) {
  std::vector<std::pair<uint32_t, bool>> keys;
  for (uint32_t id = 0; id < t.size(); ++id)
    keys.emplace_back(id, false), keys.emplace_back(id, true);
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    return key_less(t.text(a.first), a.second, t.text(b.first), b.second);
  });
  KeyRanks r;
  r.last.resize(t.size());
  r.more.resize(t.size());
  for (uint32_t k = 0; k < keys.size(); ++k) (keys[k].second ? r.more : r.last)[keys[k].first] = k;
  return r;
}

// A weighted stack: its frames root first (into the profile's stack lists or a copy) and their
// text ids (into FoldedLines::ids).
struct Stack {
  const FrameId* frames;
  uint32_t begin, size;
  int64_t weight;
};

// Sorts stacks by their printed lines, equal lines by their frame ids (so equal frame sequences
// sit side by side): most significant position first, one position per pass over a group of
// stacks that agree so far (no recursion; work linear in the frames read). In a group at depth d
// the keys before d are equal, and a key says whether a frame follows, so either every stack of
// the group ends at d (their lines are equal) or none does.
// Returns, per position, 1 where a new line begins.
std::vector<uint8_t> sort_stacks(std::vector<Stack>& stacks, const uint32_t* ids,
                                 const KeyRanks& r) {
  std::vector<uint8_t> line_start(stacks.size(), 0);
  struct Group {
    size_t begin, end;
    uint32_t depth;
  };
  auto key = [&](const Stack& s, uint32_t d) {
    const uint32_t id = ids[s.begin + d];
    return d + 1 < s.size ? r.more[id] : r.last[id];
  };
  std::vector<Group> todo{{0, stacks.size(), 0}};
  std::vector<std::pair<uint32_t, Stack>> keyed;
  while (!todo.empty()) {
    Group g = todo.back();
    todo.pop_back();
    if (g.end - g.begin < 2) {
      if (g.end > g.begin) line_start[g.begin] = 1;
      continue;
    }
    const auto first = stacks.begin() + static_cast<ptrdiff_t>(g.begin);
    const auto last = stacks.begin() + static_cast<ptrdiff_t>(g.end);
    if (first->size == g.depth) {
      line_start[g.begin] = 1;
      std::sort(first, last, [](const Stack& a, const Stack& b) {
        return std::lexicographical_compare(a.frames, a.frames + a.size, b.frames,
                                            b.frames + b.size);
      });
      continue;
    }
    const uint32_t k0 = key(*first, g.depth);
    bool same = true;
    for (auto it = first + 1; it != last && same; ++it) same = key(*it, g.depth) == k0;
    if (same) {
      todo.push_back({g.begin, g.end, g.depth + 1});
      continue;
    }
    keyed.clear();
    for (auto it = first; it != last; ++it) keyed.emplace_back(key(*it, g.depth), *it);
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0, run = 0; i < keyed.size(); ++i) {
      stacks[g.begin + i] = keyed[i].second;
      if (i + 1 == keyed.size() || keyed[i + 1].first != keyed[i].first) {
        todo.push_back({g.begin + run, g.begin + i + 1, g.depth + 1});
        run = i + 1;
      }
    }
  }
  return line_start;
}

// Weights per printed stack text, merged and sorted, in whole units. Stacks are the profile's
// deferred stack lists when it has them (the trie is never built) or its trie nodes; either way
// equal frame sequences are summed first and left out when that sum is 0, then equal texts.
FoldedLines collect(const Profile& p, int vi, TextIds& texts) {
  FoldedLines out;
  if (vi < 0) return out;
  out.scale = std::max<int64_t>(1, p.value_types[vi].scale);
  std::vector<uint32_t> text_of(p.frames().size(), UINT32_MAX);
  std::vector<FrameId> copies;  // trie stacks' frames, root first
  std::vector<Stack> stacks;
  auto add = [&](const FrameId* f, uint32_t n, int64_t w) {
    const auto begin = static_cast<uint32_t>(out.ids.size());
    for (uint32_t k = 0; k < n; ++k) {
      uint32_t& id = text_of[f[k]];
      if (id == UINT32_MAX) id = texts.id(frame_text(p, p.frames()[f[k]]));
      out.ids.push_back(id);
    }
    stacks.push_back(Stack{f, begin, n, w});
  };
  if (p.has_deferred_stacks()) {
    const Profile::StackLists l = p.stack_lists();
    std::vector<int64_t> weight(l.begin.size() - 1, 0);
    for (size_t i = 0; i < p.sample_count(); ++i) weight[l.samples[i].stack] += p.value(i, vi);
    size_t frames = 0;
    for (size_t id = 0; id < weight.size(); ++id)
      if (weight[id] != 0) frames += l.begin[id + 1] - l.begin[id];
    out.ids.reserve(frames);
    for (size_t id = 0; id < weight.size(); ++id)
      if (weight[id] != 0 && l.begin[id + 1] > l.begin[id])
        add(l.frames.data() + l.begin[id], l.begin[id + 1] - l.begin[id], weight[id]);
  } else {
    std::vector<int64_t> weight(p.stacks().size(), 0);
    for (size_t i = 0; i < p.samples().size(); ++i) weight[p.samples()[i].stack] += p.value(i, vi);
    std::vector<std::pair<size_t, uint32_t>> where;  // (offset into copies, size) per stack
    for (StackId id = 1; id < weight.size(); ++id) {
      if (weight[id] == 0) continue;
      const size_t at = copies.size();
      for (StackId n = id; n != kEmptyStack; n = p.stacks()[n].parent)
        copies.push_back(p.stacks()[n].frame);
      std::reverse(copies.begin() + static_cast<ptrdiff_t>(at), copies.end());
      where.emplace_back(at, static_cast<uint32_t>(copies.size() - at));
    }
    size_t k = 0;
    for (StackId id = 1; id < weight.size(); ++id)
      if (weight[id] != 0) add(copies.data() + where[k].first, where[k].second, weight[id]), ++k;
  }
  const uint32_t* ids = out.ids.data();
  auto same_frames = [](const Stack& a, const Stack& b) {
    return std::equal(a.frames, a.frames + a.size, b.frames);
  };
  const std::vector<uint8_t> line_start = sort_stacks(stacks, ids, rank_keys(texts));
  for (size_t i = 0; i < stacks.size();) {
    size_t end = i + 1;
    while (end < stacks.size() && !line_start[end]) ++end;
    int64_t w = 0;
    bool any = false;
    for (size_t j = i; j < end;) {
      size_t k = j + 1;
      int64_t frames_w = stacks[j].weight;
      for (; k < end && same_frames(stacks[j], stacks[k]); ++k) frames_w += stacks[k].weight;
      if (frames_w != 0) any = true, w += frames_w;
      j = k;
    }
    const size_t j = end;
    if (any) {
      bool inexact = false;
      int64_t count = round_div(w, out.scale, &inexact);
      if (w < 0)
        ++out.negative;
      else if (count == 0)
        ++out.to_zero;
      else {
        out.rounded += inexact;
        out.lines.push_back(FoldedLines::Line{stacks[i].begin, stacks[i].size, count});
      }
    }
    i = j;
  }
  return out;
}

// A line's text, built on the previous line's: sorted lines share long prefixes, so only the
// frames after the shared ones are appended (the whole line then goes out in one piece).
class LineText {
 public:
  explicit LineText(const TextIds& t) : t_(t) {}
  std::string_view of(const FoldedLines& f, const FoldedLines::Line& l) {
    const uint32_t* ids = f.ids.data() + l.begin;
    size_t keep = 0;
    while (keep < ids_.size() && keep < l.size && ids_[keep] == ids[keep]) ++keep;
    ids_.resize(keep);
    ends_.resize(keep);
    text_.resize(keep ? ends_.back() : 0);
    for (size_t k = keep; k < l.size; ++k) {
      if (k) text_ += ';';
      text_ += t_.text(ids[k]);
      ids_.push_back(ids[k]);
      ends_.push_back(text_.size());
    }
    return text_;
  }

 private:
  const TextIds& t_;
  std::vector<uint32_t> ids_;  // the frames of text_
  std::vector<size_t> ends_;   // where each frame's text ends in text_
  std::string text_;
};

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
  for (const auto& l : f.lines) t += l.count;
  return t;
}

}  // namespace

void write_folded(const Profile& p, int value_index, ByteSink& sink, std::string* note) {
  check_written_stack_frames(p, "folded", false);
  TextIds texts;
  FoldedLines f = collect(p, resolve_index(p, value_index), texts);
  TextOut out(sink);
  LineText line(texts);
  constexpr size_t kAhead = 4;  // a line's text ids are a cache miss away: ask for them early
  for (size_t k = 0; k < f.lines.size(); ++k) {
    const auto& l = f.lines[k];
    if (k + kAhead < f.lines.size()) __builtin_prefetch(f.ids.data() + f.lines[k + kAhead].begin);
    out.put(line.of(f, l));
    out.put(' ');
    out.put_int(l.count);
    out.put('\n');
  }
  out.finish();
  std::vector<std::string> notes;
  add_notes(f, "", notes);
  set_note(note, notes);
}

std::string write_folded(const Profile& p, int value_index, std::string* note) {
  std::string out;
  StringSink sink(out);
  write_folded(p, value_index, sink, note);
  return out;
}

void write_folded_diff(const Profile& base, const Profile& neu, int value_index, bool normalize,
                       ByteSink& sink, std::string* note) {
  check_written_stack_frames(base, "folded", false);
  check_written_stack_frames(neu, "folded", false);
  int bi = resolve_index(base, value_index);
  int ni = neu.default_value_index();
  if (value_index >= 0) {
    std::string_view type = base.str(base.value_types[bi].type);
    ni = neu.find_value_type(type);
    if (ni < 0)
      throw InputError::in_file(neu.path, fmt::format("has no value type '{}' to compare with {}",
                                                      type, base.path));
  }
  TextIds texts;
  FoldedLines b = collect(base, bi, texts), n = collect(neu, ni, texts);
  const int64_t total_b = total_of(b), total_n = total_of(n);
  auto base_count = [&](int64_t c) {
    if (!normalize || total_b == 0) return c;
    return static_cast<int64_t>(static_cast<__int128>(c) * total_n / total_b);
  };
  TextOut out(sink);
  LineText line(texts);
  auto emit = [&](const FoldedLines& f, const FoldedLines::Line& l, int64_t cb, int64_t cn) {
    if (cb == 0 && cn == 0) return;
    out.put(line.of(f, l));
    out.put(' ');
    out.put_int(cb);
    out.put(' ');
    out.put_int(cn);
    out.put('\n');
  };
  auto less = [&](const FoldedLines& x, const FoldedLines::Line& a, const FoldedLines& y,
                  const FoldedLines::Line& c) {
    return line_less(texts, x.ids.data() + a.begin, a.size, y.ids.data() + c.begin, c.size);
  };
  size_t i = 0, j = 0;
  while (i < b.lines.size() || j < n.lines.size()) {
    if (j == n.lines.size() || (i < b.lines.size() && less(b, b.lines[i], n, n.lines[j]))) {
      emit(b, b.lines[i], base_count(b.lines[i].count), 0);
      ++i;
    } else if (i == b.lines.size() || less(n, n.lines[j], b, b.lines[i])) {
      emit(n, n.lines[j], 0, n.lines[j].count);
      ++j;
    } else {
      emit(b, b.lines[i], base_count(b.lines[i].count), n.lines[j].count);
      ++i, ++j;
    }
  }
  out.finish();
  std::vector<std::string> notes;
  add_notes(b, base.path, notes);
  add_notes(n, neu.path, notes);
  if (normalize && total_b != total_n && total_b != 0)
    notes.push_back(fmt::format("base counts scaled by {}/{} (normalized)", total_n, total_b));
  set_note(note, notes);
}

std::string write_folded_diff(const Profile& base, const Profile& neu, int value_index,
                              bool normalize, std::string* note) {
  std::string out;
  StringSink sink(out);
  write_folded_diff(base, neu, value_index, normalize, sink, note);
  return out;
}

}  // namespace perfkit
