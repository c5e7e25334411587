// The one model: pprof-shaped stacks and samples, plus Chrome spans and function-table rows.
// Readers fill it (formats/), analyses read it (lib/), reports render what analyses compute.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/edge_index.h"
#include "lib/huge_pages.h"
#include "lib/string_table.h"

namespace perfkit {

using FrameId = uint32_t;
using StackId = uint32_t;
constexpr StackId kEmptyStack = 0;  // the trie's root: a stack with no frames

// A column of sample values, e.g. cpu/nanoseconds. Values are int64; `scale` says how many stored
// units make one unit (1 for pprof; 10^6 for folded files with fractional counts).
struct ValueType {
  StrId type = 0;
  StrId unit = 0;
  int64_t scale = 1;
};

// One frame of a stack: a function at a place. Frames are interned: equal frames share an id.
struct Frame {
  StrId function = 0;
  StrId file = 0;
  int64_t line = 0;
  bool inlined = false;  // this call was inlined into its caller (pprof "(inline)")
  // pprof only: no function is known (a location without lines, or a line without a function).
  // `function` then holds the printable stand-in, "[mapping basename]" or "<unknown>", and
  // pprof's rules (node identity, --focus matching) see no function name.
  bool unsymbolized = false;
  StrId mapping = 0;       // pprof: the file of the location's mapping (0 = none)
  int64_t start_line = 0;  // pprof: Function.start_line
  uint64_t address = 0;    // pprof: the location's address, kept only for --by address
  bool lineless = false;   // pprof: the location has no lines at all (not a line without function)
  bool operator==(const Frame&) const = default;
};

// A node of the stack trie. Stack ids name nodes; the path from the root to a node, root first,
// is the stack. Node 0 is the root (no frame).
struct StackNode {
  StackId parent = 0;
  FrameId frame = 0;
  uint32_t depth = 0;  // number of frames; the root has 0
};

struct Label {
  StrId key = 0;
  StrId str = 0;       // string label if nonzero
  int64_t num = 0;     // numeric label otherwise
  StrId num_unit = 0;
};

struct Sample {
  StackId stack = kEmptyStack;
  uint32_t label_begin = 0;  // into Profile::labels; samples with equal labels may share a range
  uint32_t label_count = 0;
};

// Chrome trace phases kept as spans: complete (X or B/E), instants, async (b/e), counters are
// counted only. A span's times are integer nanoseconds parsed exactly from decimal microseconds.
enum class SpanKind : uint8_t { kComplete, kInstant, kAsync };

struct Span {
  int64_t pid = 0;
  int64_t tid = 0;
  StrId name = 0;
  StrId cat = 0;
  int64_t start_ns = 0;
  int64_t dur_ns = 0;
  int64_t self_ns = 0;   // dur minus the children nested in it on the same thread
  uint32_t depth = 0;    // nesting depth on its thread (0 = top level)
  SpanKind kind = SpanKind::kComplete;
  bool summary = false;  // a producer's summary pseudo-event (clang "Total X"), not real work
  bool unclosed = false; // a B without its E, closed at the thread's last timestamp
};

// A row of a function table (yappi, cProfile): inputs without stacks. Times in nanoseconds.
struct TableRow {
  StrId name = 0;
  StrId file = 0;
  int64_t line = 0;
  int64_t calls = -1;            // -1 when unknown (a count cut short like "836..")
  int64_t primitive_calls = -1;  // non-recursive calls (cProfile "8361/1": 1), -1 if not given
  bool calls_truncated = false;  // yappi cut the count: calls is a lower bound
  int64_t self_ns = 0;
  int64_t total_ns = 0;
};

// A call between two rows of a function table (pstats' callers): what the callee spent when
// called from the caller. Its total is the weight of the caller -> callee edge in peek and tree.
struct TableCall {
  uint32_t caller = 0, callee = 0;  // indexes into Profile::rows
  int64_t calls = -1;
  int64_t primitive_calls = -1;
  int64_t self_ns = 0;
  int64_t total_ns = 0;
};

// Something the reader skipped or repaired. Never silent: info prints them, JSON carries them.
struct Warning {
  std::string path;
  std::string what;
  int64_t count = 1;
};

struct Metadata {
  int64_t time_ns = 0;
  int64_t duration_ns = 0;
  ValueType period_type;
  int64_t period = 0;
  std::vector<StrId> comments;
  StrId drop_frames = 0;
  StrId keep_frames = 0;
  StrId default_sample_type = 0;
  StrId doc_url = 0;
  StrId main_file = 0;      // pprof: the first mapping's file (pprof's "File:" header)
  StrId main_build_id = 0;  // and its build id ("Build ID:")
};

struct ThreadKey {
  int64_t pid = 0;
  int64_t tid = 0;
  auto operator<=>(const ThreadKey&) const = default;
};

class Profile {
 public:
  Profile();
  Profile(const Profile&) = delete;
  Profile& operator=(const Profile&) = delete;
  Profile(Profile&&) = default;
  Profile& operator=(Profile&&) = default;

  // --- identity of the input ---
  std::string path;    // as given on the command line ("-" for stdin)
  std::string format;  // "pprof", "chrome", "table", "folded"
  std::string flavor;  // finer: "yappi", "yappi-wide", "cprofile", "jsonl", "folded-diff", ...

  StringTable strings;
  std::vector<ValueType> value_types;
  Metadata meta;

  // --- stacks and samples ---
  FrameId intern_frame(const Frame& f);
  // Gives frame `id` another function name (a display rewrite: --simplify-names). Frames that
  // become equal keep their ids and stacks; analyses key nodes by the name, so they merge there.
  void set_frame_function(FrameId id, StrId function);
  StackId child(StackId parent, FrameId frame);  // interned trie edge
  // Appends a sample; values.size() must equal value_types.size().
  void add_sample(StackId stack, const int64_t* values, const Label* labels = nullptr,
                  uint32_t label_count = 0);
  int64_t value(size_t sample, size_t type_index) const {
    return values_[sample * value_types.size() + type_index];
  }
  int64_t* mutable_values(size_t sample) { return &values_[sample * value_types.size()]; }
  size_t sample_count() const { return samples_.size(); }  // never builds deferred stacks

  const std::vector<Frame>& frames() const { return frames_; }
  // These three build deferred stacks first (see below).
  const BigVector<StackNode>& stacks() const { build_deferred_stacks(); return stacks_; }
  const BigVector<Sample>& samples() const { build_deferred_stacks(); return samples_; }
  // Frames of a stack, root first.
  std::vector<FrameId> stack_frames(StackId id) const;
  const BigVector<Label>& labels() const { return labels_; }

  // --- deferred stacks ---
  // A reader may hand over each sample's stack as a list of frames, root first, instead of
  // walking the trie: add_stack_list, then add_list_sample with its id. Lists may repeat a stack.
  // The trie is built from the lists the first time stacks(), samples(), stack_frames(), child()
  // or add_sample() is used; until then analyses that need only per-stack frames (aggregate, so
  // `top` and `diff`) read the lists directly and the trie is never built. Building mutates a
  // const Profile: a Profile with deferred stacks must not be shared between threads until
  // stacks() has been called once.
  struct StackLists {
    const BigVector<uint32_t>& begin;  // list i is frames[begin[i], begin[i + 1])
    const BigVector<FrameId>& frames;
    const BigVector<Sample>& samples;  // Sample::stack is a list id
  };
  uint32_t add_stack_list(const FrameId* root_first, size_t count);
  // Adds lists given as (begin, frames) like StackLists (begin[0] == 0), taking the vectors when
  // the profile has none yet; returns the id of the first.
  uint32_t add_stack_lists(BigVector<uint32_t>& begin, BigVector<FrameId>& frames);
  void add_list_sample(uint32_t list, const int64_t* values, const Label* labels = nullptr,
                       uint32_t label_count = 0);
  // Appends samples whose stacks are list ids counted from first_list and whose label_begin
  // counts from the start of `labels` (values: value_types.size() per sample); takes the vectors
  // when the profile has no samples yet. For a reader that decodes samples in parallel shares.
  void add_list_samples(BigVector<Sample>& samples, BigVector<int64_t>& values,
                        BigVector<Label>& labels, uint32_t first_list);
  bool has_deferred_stacks() const { return deferred_; }
  // Gives every sample one more label (pprof's SetLabel on a whole profile).
  void add_label_to_samples(const Label& l);
  // Points sample i at another stack: a list id with deferred stacks, else a trie node.
  void set_sample_stack(size_t i, uint32_t stack) { samples_[i].stack = stack; }
  StackLists stack_lists() const { return StackLists{list_begin_, list_frames_, samples_}; }
  // The frames a writer that lists stacks in full writes: the depth of each sample's stack summed
  // over the samples (per_sample), or over the distinct stacks they use. Never builds the trie.
  uint64_t written_stack_frames(bool per_sample) const;

  // Index of a value type by type name, or -1.
  int find_value_type(std::string_view type) const;
  // default_sample_type if set and present, else the last value type (pprof's rule).
  int default_value_index() const;
  std::string_view str(StrId id) const { return strings[id]; }

  // --- Chrome trace ---
  std::vector<Span> spans;
  std::map<std::string, int64_t> events_by_phase;  // every event read, by its ph
  std::map<int64_t, std::string> process_names;
  std::map<ThreadKey, std::string> thread_names;
  std::map<int64_t, int64_t> process_sort_index;
  std::map<ThreadKey, int64_t> thread_sort_index;
  std::string display_time_unit;
  // GPU work of a Kineto (PyTorch profiler) trace, for lib/gpu.h. The spans in the categories that
  // link a CPU launch (cuda_runtime, cuda_driver) to the GPU work it started (kernel, gpu_memcpy,
  // gpu_memset) keep their args.correlation here, in span order, with the bytes a copy or set
  // moved (-1 when not given); the ac2g flow events (ph s at the launch, f at the GPU work) are
  // kept as points, for traces whose spans carry no correlation.
  struct SpanCorrelation {
    uint32_t span = 0;
    int64_t correlation = -1;
    int64_t bytes = -1;
  };
  std::vector<SpanCorrelation> correlations;
  struct FlowPoint {
    StrId id = 0;
    char ph = 0;  // 's', 't' or 'f'
    int64_t pid = 0, tid = 0, ts_ns = 0;
  };
  std::vector<FlowPoint> flows;
  std::vector<ThreadKey> device_threads;  // GPU streams: threads with kernel/memcpy/memset spans

  // --- function tables ---
  std::vector<TableRow> rows;
  std::vector<TableCall> table_calls;  // the rows' call graph, when the table has one (pstats)
  std::string clock_type;  // yappi "Clock type: CPU"

  std::vector<Warning> warnings;
  void warn(std::string what, int64_t count = 1) {
    warnings.push_back(Warning{path, std::move(what), count});
  }

 private:
  struct FrameHash {
    size_t operator()(const Frame& f) const noexcept;
  };
  std::vector<Frame> frames_;
  std::unordered_map<Frame, FrameId, FrameHash> frame_index_;
  mutable BigVector<StackNode> stacks_;
  // Edges of the trie. A node's children are a linked list (links_, parallel to stacks_) until it
  // has more than a few of them; then they also go into stack_index_, the hash table of
  // (parent, frame) -> child. Most nodes of a deep profile have one child, so extending a fresh
  // path touches only the node just made, not a random slot of a table of millions.
  struct Link {
    FrameId frame = 0;
    StackId first_child = 0;   // 0 = none; kIndexed bit = children are in stack_index_
    StackId next_sibling = 0;  // 0 = last
  };
  static constexpr StackId kIndexed = 0x80000000u;
  // Mutable: deferred stacks become trie nodes inside const accessors. A trie built from lists
  // has links only for its root until child() is next called (link_all_nodes).
  mutable BigVector<Link> links_;
  mutable EdgeIndex stack_index_;
  mutable BigVector<Sample> samples_;
  mutable BigVector<uint32_t> list_begin_{0};
  mutable BigVector<FrameId> list_frames_;
  mutable bool deferred_ = false;  // samples_[i].stack are list ids
  void build_deferred_stacks() const {
    if (deferred_) build_trie_from_lists();
  }
  void build_trie_from_lists() const;
  void start_lists();
  StackId link_child(StackId parent, FrameId frame) const;  // needs link_all_nodes() first
  void link_all_nodes() const;
  BigVector<int64_t> values_;
  BigVector<Label> labels_;
};

// Writers of formats that list every stack in full (pprof, folded, speedscope) refuse a profile
// whose stacks add up past this many frames (N nested spans are N(N+1)/2 of them): an InputError
// saying so, before the first byte is written.
constexpr uint64_t kMaxWrittenStackFrames = uint64_t{1} << 27;
void check_written_stack_frames(const Profile& p, std::string_view format, bool per_sample);

}  // namespace perfkit
