#include "formats/folded/folded_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
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

// Lines as frame sequences (into the profile's stack lists or a copy), each frame printed as its
// text (text_of), sorted by their printed text, merged, counted.
struct FoldedLines {
  struct Line {
    const FrameId* frames = nullptr;  // root first
    uint32_t size = 0;
    uint32_t keep = 0;  // leading frames printed as the line before's (before in this list)
    int64_t count = 0;
  };
  std::vector<uint32_t> text_of;  // frame -> text id (TextIds)
  std::vector<FrameId> copies;    // trie stacks' frames, root first (a profile without lists)
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

// Is line a before line b in the bytewise order of their printed texts ("t1;t2;...")? Equal
// texts are not.
bool line_less(const TextIds& t, const FoldedLines& fa, const FoldedLines::Line& a,
               const FoldedLines& fb, const FoldedLines::Line& b) {
  const uint32_t n = std::min(a.size, b.size);
  uint32_t i = 0;
  while (i < n && fa.text_of[a.frames[i]] == fb.text_of[b.frames[i]]) ++i;
  if (i == n) return a.size < b.size;
  return key_less(t.text(fa.text_of[a.frames[i]]), i + 1 < a.size,
                  t.text(fb.text_of[b.frames[i]]), i + 1 < b.size);
}

// The rank of each text among all line keys, plus one (0 is the end of a line): last[t] for t
// ending a line, more[t] for t followed by ';'. Comparing two lines position by position by
// these ranks is comparing their bytes.
struct KeyRanks {
  std::vector<uint32_t> last, more;
  uint32_t keys = 0;  // the largest rank
};

// One sort of the texts, then each text's two keys placed by the texts it is a prefix of: text t
// ending a line sorts right after t (texts hold no byte below 0x20); t followed by ';' sorts
// after the texts that extend t by a byte below ';' and before those that extend it by one
// above (none by ';'). The texts that extend t follow t in sorted order, so a stack of the
// pending "t;" keys, each a prefix of the next, places them all in one walk.
KeyRanks rank_keys(const TextIds& t) {
  std::vector<uint32_t> order(t.size());
  for (uint32_t id = 0; id < t.size(); ++id) order[id] = id;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return t.text(a) < t.text(b); });
  KeyRanks r;
  r.last.resize(t.size());
  r.more.resize(t.size());
  uint32_t rank = 0;
  std::vector<uint32_t> pending;  // texts whose "t;" key is not placed yet
  auto before = [&](std::string_view p, std::string_view u) {  // is "p;" before u?
    return u.size() <= p.size() || u.compare(0, p.size(), p) != 0 ||
           ';' < static_cast<unsigned char>(u[p.size()]);
  };
  for (uint32_t id : order) {
    const std::string_view u = t.text(id);
    while (!pending.empty() && before(t.text(pending.back()), u)) {
      r.more[pending.back()] = ++rank;
      pending.pop_back();
    }
    r.last[id] = ++rank;
    pending.push_back(id);
  }
  while (!pending.empty()) {
    r.more[pending.back()] = ++rank;
    pending.pop_back();
  }
  r.keys = rank;
  return r;
}

// A weighted stack: its frames root first (into the profile's stack lists or a copy).
struct Stack {
  const FrameId* frames;
  uint32_t size;
  int64_t weight;
};

// Sorts stacks by their printed lines, equal lines by their frame ids (so equal frame sequences
// sit side by side): most significant position first, over a group of stacks that agree so far
// (no recursion; work linear in the frames read). A pass compares several positions at once
// (their ranks packed in one 64-bit key, 0 past a stack's end): reading a stack's frames is a
// cache miss, the next few are on the same line. In a group at depth d the keys before d are
// equal, and a key says whether a frame follows, so either every stack of the group ends before
// d (their lines are equal) or none does. key_more/key_last: a frame's rank when a frame follows
// it / when it ends the line.
struct SortedStacks {
  std::vector<uint8_t> line_start;  // per position: 1 where a new line begins
  std::vector<uint32_t> shared;     // per position: leading keys equal to the previous stack's
};

SortedStacks sort_stacks(std::vector<Stack>& stacks, const std::vector<uint32_t>& key_more,
                         const std::vector<uint32_t>& key_last, uint32_t keys) {
  SortedStacks out;
  out.line_start.assign(stacks.size(), 0);
  out.shared.assign(stacks.size(), 0);
  struct Group {
    size_t begin, end;
    uint32_t depth;
  };
  const unsigned bits = static_cast<unsigned>(std::bit_width(keys));
  const uint32_t per_pass = std::min(4u, 64u / std::max(1u, bits));
  const unsigned unused = 64 - per_pass * bits;  // high bits of a key
  const uint32_t* more = key_more.data();
  const uint32_t* last = key_last.data();
  auto key = [&](const Stack& s, uint32_t d) {
    uint64_t k = 0;
    for (uint32_t j = 0; j < per_pass; ++j) {
      const uint32_t e = d + j;
      const uint64_t r = e + 1 < s.size ? more[s.frames[e]] : e < s.size ? last[s.frames[e]] : 0;
      k = k << bits | r;
    }
    return k;
  };
  std::vector<Group> todo;
  auto push = [&](size_t begin, size_t end, uint32_t depth) {
    out.line_start[begin] = 1;
    if (end - begin < 2) return;
    if (stacks[begin].size <= depth) {  // all ended: equal lines
      std::sort(stacks.begin() + static_cast<ptrdiff_t>(begin),
                stacks.begin() + static_cast<ptrdiff_t>(end), [](const Stack& a, const Stack& b) {
                  return std::lexicographical_compare(a.frames, a.frames + a.size, b.frames,
                                                      b.frames + b.size);
                });
      for (size_t i = begin + 1; i < end; ++i) out.line_start[i] = 0, out.shared[i] = stacks[i].size;
      return;
    }
    todo.push_back({begin, end, depth});
  };
  if (!stacks.empty()) push(0, stacks.size(), 0);
  std::vector<std::pair<uint64_t, uint32_t>> keyed;  // (key, position in the group)
  std::vector<Stack> moved;
  while (!todo.empty()) {
    const Group g = todo.back();
    todo.pop_back();
    const uint32_t next = g.depth + per_pass;
    keyed.clear();
    bool same = true;
    constexpr size_t kAhead = 8;  // the stacks' frames lie far apart: ask for them early
    for (size_t i = g.begin; i < g.end; ++i) {
      if (i + kAhead < g.end) __builtin_prefetch(stacks[i + kAhead].frames + g.depth);
      keyed.emplace_back(key(stacks[i], g.depth), static_cast<uint32_t>(i - g.begin));
      same = same && keyed.back().first == keyed.front().first;
    }
    if (same) {
      for (size_t i = g.begin + 1; i < g.end; ++i) out.shared[i] = next;
      push(g.begin, g.end, next);
      continue;
    }
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    moved.assign(stacks.begin() + static_cast<ptrdiff_t>(g.begin),
                 stacks.begin() + static_cast<ptrdiff_t>(g.end));
    for (size_t i = 0; i < keyed.size(); ++i) stacks[g.begin + i] = moved[keyed[i].second];
    for (size_t i = 0, run = 0; i < keyed.size(); ++i) {
      if (i > run) out.shared[g.begin + i] = next;
      if (i + 1 == keyed.size() || keyed[i + 1].first != keyed[i].first) {
        if (i + 1 < keyed.size()) {  // the next run: the positions both keys share
          const auto equal = static_cast<unsigned>(
              std::countl_zero(keyed[i].first ^ keyed[i + 1].first) - unused) / bits;
          out.shared[g.begin + i + 1] = g.depth + equal;
        }
        push(g.begin + run, g.begin + i + 1, next);
        run = i + 1;
      }
    }
  }
  return out;
}

// Weights per printed stack text, merged and sorted, in whole units. Stacks are the profile's
// deferred stack lists when it has them (the trie is never built) or its trie nodes; either way
// equal frame sequences are summed first and left out when that sum is 0, then equal texts.
FoldedLines collect(const Profile& p, int vi, TextIds& texts) {
  FoldedLines out;
  if (vi < 0) return out;
  out.scale = std::max<int64_t>(1, p.value_types[vi].scale);
  // Every frame's text, in frame order (frames no weighted stack uses are printed too: a text
  // more among the ranks changes no order between the others).
  out.text_of.reserve(p.frames().size());
  for (const Frame& f : p.frames()) out.text_of.push_back(texts.id(frame_text(p, f)));
  std::vector<Stack> stacks;
  if (p.has_deferred_stacks()) {
    const Profile::StackLists l = p.stack_lists();
    std::vector<int64_t> weight(l.begin.size() - 1, 0);
    for (size_t i = 0; i < p.sample_count(); ++i) weight[l.samples[i].stack] += p.value(i, vi);
    for (size_t id = 0; id < weight.size(); ++id)
      if (weight[id] != 0 && l.begin[id + 1] > l.begin[id])
        stacks.push_back(Stack{l.frames.data() + l.begin[id], l.begin[id + 1] - l.begin[id],
                               weight[id]});
  } else {
    std::vector<int64_t> weight(p.stacks().size(), 0);
    for (size_t i = 0; i < p.samples().size(); ++i) weight[p.samples()[i].stack] += p.value(i, vi);
    std::vector<std::pair<size_t, uint32_t>> where;  // (offset into copies, size) per stack
    std::vector<FrameId>& copies = out.copies;
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
      if (weight[id] != 0) {
        stacks.push_back(Stack{copies.data() + where[k].first, where[k].second, weight[id]});
        ++k;
      }
  }
  auto same_frames = [](const Stack& a, const Stack& b) {
    return std::equal(a.frames, a.frames + a.size, b.frames);
  };
  const KeyRanks r = rank_keys(texts);
  std::vector<uint32_t> key_more, key_last;  // by frame
  key_more.reserve(out.text_of.size());
  key_last.reserve(out.text_of.size());
  for (uint32_t t : out.text_of) key_more.push_back(r.more[t]), key_last.push_back(r.last[t]);
  const SortedStacks sorted = sort_stacks(stacks, key_more, key_last, r.keys);
  const std::vector<uint8_t>& line_start = sorted.line_start;
  // Frames each line shares with the line written before it: the least of the sorted stacks'
  // shared keys in between (sorted order: the common prefix of two is the least of the common
  // prefixes of the neighbours between them). A key equal is a text equal.
  uint32_t keep = 0;
  for (size_t i = 0; i < stacks.size();) {
    size_t end = i + 1;
    while (end < stacks.size() && !line_start[end]) ++end;
    keep = std::min(keep, sorted.shared[i]);
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
        out.lines.push_back(FoldedLines::Line{stacks[i].frames, stacks[i].size, keep, count});
        keep = UINT32_MAX;
      }
    }
    i = j;
  }
  return out;
}

// A line's text, built on the previous line's: sorted lines share long prefixes, so only the
// frames after the shared ones are appended (the whole line then goes out in one piece). Lines
// of one list in order know what they share (Line::keep); lines of two lists interleaved (a
// diff) are compared with the line before.
class LineText {
 public:
  // Every text, with the ';' before it, one after the other: a frame appended is one copy.
  LineText(const TextIds& t, bool compare) : compare_(compare) {
    at_.reserve(t.size() + 1);
    for (uint32_t id = 0; id < t.size(); ++id) {
      at_.push_back(joined_.size());
      joined_ += ';';
      joined_ += t.text(id);
    }
    at_.push_back(joined_.size());
  }
  std::string_view of(const FoldedLines& f, const FoldedLines::Line& l) {
    const FrameId* frames = l.frames;
    const uint32_t* text_of = f.text_of.data();
    size_t keep = l.keep;
    if (compare_) {
      keep = 0;
      while (keep < ids_.size() && keep < l.size && ids_[keep] == text_of[frames[keep]]) ++keep;
      ids_.resize(keep);
    }
    if (ends_.size() < l.size) ends_.resize(l.size);
    size_t used = keep ? ends_[keep - 1] : 0;
    for (size_t k = keep; k < l.size; ++k) {
      const uint32_t id = text_of[frames[k]];
      const size_t from = at_[id] + (k == 0);  // no ';' before the root
      const size_t n = at_[id + 1] - from;
      if (used + n > text_.size()) text_.resize(std::max(2 * text_.size(), used + n));
      std::memcpy(text_.data() + used, joined_.data() + from, n);
      used += n;
      if (compare_) ids_.push_back(id);
      ends_[k] = used;
    }
    return std::string_view(text_.data(), used);
  }

 private:
  bool compare_;
  std::string joined_;
  std::vector<size_t> at_;     // where each text's ";text" starts in joined_
  std::vector<uint32_t> ids_;  // compare: the text ids of the line's frames
  std::vector<size_t> ends_;   // where each frame's text ends in text_ (the line's frames)
  std::vector<char> text_;     // the line, at its start
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
  LineText line(texts, false);
  constexpr size_t kAhead = 8;  // a line's frames are a cache miss away: ask for them early
  for (size_t k = 0; k < f.lines.size(); ++k) {
    const auto& l = f.lines[k];
    if (k + kAhead < f.lines.size()) {  // the frames after the shared ones: read, not copied
      const auto& a = f.lines[k + kAhead];
      __builtin_prefetch(a.frames + a.keep);
      __builtin_prefetch(a.frames + a.size - 1);
    }
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
  LineText line(texts, true);
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
                  const FoldedLines::Line& c) { return line_less(texts, x, a, y, c); };
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
