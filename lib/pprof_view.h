// pprof's sample preprocessing, rule for rule (driver applyFocus and profile/filter.go, prune.go):
// the samples that a report counts, each with the stack it is counted under, after
//   --focus/--ignore (a sample with a matching location is kept/dropped; matched against the
//     function name, the file name and the location's mapping file),
//   --hide/--show (lines of locations removed/kept; a location left without lines leaves the
//     sample; a sample left without locations is dropped),
//   --show-from (frames above the root-most matching location dropped; samples without one too),
//   tag filters (--tagfocus/--tagignore on sample labels),
//   --prune-from (frames beneath the leaf-most matching location dropped).
// The result is a set of weighted stacks, either lists (profiles read as deferred stack lists:
// pprof) or a trie (the others), whose entries keep pprof's location structure: an entry is
// marked inline when it is not the outermost remaining line of its location.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/huge_pages.h"
#include "lib/profile.h"

namespace perfkit {

struct SampleFilter {
  std::string focus;       // keep samples with a location matching (unanchored RE2)
  std::string ignore;      // drop samples with such a location (ignore beats focus)
  std::string hide;        // remove matching lines from locations; flat moves to the caller
  std::string show;        // keep only matching lines
  std::string show_from;   // drop the frames above the root-most matching location
  std::string prune_from;  // drop the frames beneath the leaf-most matching location
  std::string tagfocus;    // keep samples whose labels match: "key=RE,RE", "RE" or a range
  std::string tagignore;   // drop such samples
  bool empty() const {
    return focus.empty() && ignore.empty() && hide.empty() && show.empty() && show_from.empty() &&
           prune_from.empty() && tagfocus.empty() && tagignore.empty();
  }
  // Filters that change stacks, not only which samples count.
  bool reshapes() const {
    return !hide.empty() || !show.empty() || !show_from.empty() || !prune_from.empty();
  }
};

constexpr uint32_t kViewInline = 0x80000000u;  // entry flag: an inlined line of its location
constexpr uint32_t kViewFrame = 0x7fffffffu;   // entry mask: the frame id

struct StackView {
  bool lists = true;
  // Lists: stack i is entries[begin[i], begin[i + 1]), root first; `count` stacks.
  // Trie: node 0 is the root; parent[n] < n; entries[n] is node n's frame (never inline);
  // `count` nodes.
  const uint32_t* begin = nullptr;
  const uint32_t* entries = nullptr;
  const uint32_t* parent = nullptr;
  size_t count = 0;
  // Per stack (lists) or node (trie): summed sample value and summed mean divisor (the first
  // value column) of the samples counted there.
  std::vector<int64_t> w, dw;
  // Per stack (or node): some sample counted there had a nonzero value (or divisor). pprof walks
  // samples, so a stack whose samples cancel out (a profile with a -base in it) still makes its
  // edges, with weight 0.
  std::vector<uint8_t> live;
  // With ViewOptions::per_sample: per sample, its stack (or node) in the view, UINT32_MAX when
  // the filters dropped it.
  std::vector<uint32_t> sample_stack;
  int64_t kept_abs = 0;  // sum of |value| over the samples kept
  // Borrowed: the entries are the profile's own frame ids; inline flags come from the frames.
  bool borrowed = false;
  // Storage when not borrowed (begin, entries and parent point here).
  BigVector<uint32_t> own_begin, own_entries, own_parent;
  size_t stack_count() const { return count; }

  StackView() = default;
  StackView(StackView&&) = default;
  StackView& operator=(StackView&&) = default;
  void point_at_own() {
    begin = own_begin.data();
    entries = own_entries.data();
    parent = own_parent.data();
    count = lists ? (own_begin.empty() ? 0 : own_begin.size() - 1) : own_parent.size();
  }
};

struct ViewOptions {
  int value_index = -1;
  bool mean = false;  // also sum the first value column, pprof's -mean divisor
  SampleFilter filter;
  bool per_sample = false;  // fill StackView::sample_stack
};

// The weighted stacks of `p` after the filters. Throws UsageError for a bad regex or tag filter.
StackView build_view(const Profile& p, const ViewOptions& o);

// Stack entries a walk of every stack in full visits, counted without walking it (a trie's node
// depths in one pass), so that a deep input is judged before anything is built from it: each
// stack (lists) or node (trie) with a value or a mean divisor, its whole length; per_sample:
// each kept sample's stack, once per sample (o.per_sample filled sample_stack). A view of lists
// holds its stacks in full already; a trie of N nested spans, each with a value, walks
// N(N+1)/2 entries.
uint64_t view_entries(const StackView& v, bool per_sample = false);

// pprof's report total (report.computeTotal), over every sample before any filter: the sum of
// |value|, divided by the summed mean divisor with -mean.
int64_t pprof_total(const Profile& p, int value_index, bool mean);

// pprof's -tagroot/-tagleaf: for each sample, one frame per key holding the key's label values
// ("v1,v2"; numbers formatted in `unit`, "minimum" to pick) with the key as its file, at the
// root (the first key outermost) or the leaf (the last key innermost). Says whether any sample
// had a label of the root/leaf keys.
void add_label_frames(Profile& p, const std::vector<std::string>& root_keys,
                      const std::vector<std::string>& leaf_keys, const std::string& unit,
                      bool& root_matched, bool& leaf_matched);

// pprof's NumLabelUnits: per numeric label key, the first unit given for it, else "bytes" for
// alignment and request, else the key itself.
std::map<StrId, std::string> num_label_units(const Profile& p);

// A tag filter (pprof's -tagfocus syntax): "RE[,RE...]" matched against "key:value" of string
// labels, "key=RE[,RE]" against key's values, or a numeric range "32kb", ":64kb", "4mb:",
// "12kb:64mb" (optionally "key=" first) against numeric labels in their units.
class TagFilter {
 public:
  TagFilter(const Profile& p, const std::string& flag, const std::string& spec);
  bool matches(const Profile& p, const Sample& s) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace perfkit
