// pprof profile.proto reader: a hand-written wire decoder over the inflated buffer, in two phases.
// Phase 1 walks the top-level message once and records where each repeated message lies (the
// string table may come last; samples are only counted, with a mark every kMarkEvery); phase 2
// resolves: string table, value types, functions, locations (each one's lines become frames),
// then the samples, on several threads, into deferred stack lists (lib/profile.h).
// Rules follow pprof's decoder and CheckValid (see docs/research/pprof.md 1.1-1.4).
#include <algorithm>
#include <exception>
#include <unordered_map>

#include <fmt/format.h>

#include "formats/pprof/byte_run_cache.h"
#include "formats/pprof/pprof_prune.h"
#include "formats/pprof/proto_wire.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/parallel.h"
#include "lib/pprof_names.h"
#include "lib/progress.h"

namespace perfkit {
namespace {

using pprof::ByteSpan;
using pprof::PruneMark;
using pprof::WireReader;

constexpr uint32_t kUnset = UINT32_MAX;
constexpr size_t kMarkEvery = 1024;  // samples between the marks threads start decoding from
// Bounds on what a small file can make the model hold. Every distinct stack copies the frames of
// its locations, so a location of 100,000 inlined lines under 1,000 callers would be 10^8 frames
// from a 1 MB file. A location keeps at most kMaxLocationLines lines (the outermost, with the
// physical function, and the innermost); the stacks of a share of the samples may hold at most
// kFrameFloor (spread over the shares) plus kFramesPerByte per byte of the share's samples.
constexpr size_t kMaxLocationLines = 256;
constexpr size_t kFrameFloor = size_t{1} << 23;
constexpr size_t kFramesPerByte = 8;

// A string-table index as read, with the offset of its field for errors.
struct StrRef {
  int64_t index = 0;
  size_t offset = 0;
};

// Phase 1: where everything is.
struct RawProfile {
  std::vector<ByteSpan> sample_types, mappings, locations, functions;
  size_t sample_count = 0;
  std::vector<size_t> sample_marks;  // tag offsets of samples 0, kMarkEvery, 2 * kMarkEvery...
  size_t sample_bytes = 0;           // of all samples (the progress line's decoding step)
  std::vector<std::string_view> strings;
  size_t string_table_offset = 0;
  StrRef drop_frames, keep_frames, default_sample_type, doc_url;
  std::vector<StrRef> comments;
  int64_t time_ns = 0, duration_ns = 0, period = 0;
  bool has_period_type = false;
  ByteSpan period_type;
};

// pprof ids (nonzero, unique uint64) to dense indexes: a vector when the ids are 1..N, else a map.
class IdIndex {
 public:
  void build(const std::vector<uint64_t>& ids, const std::vector<size_t>& offsets,
             const char* what, const WireReader& err) {
    bool dense = true;
    for (uint64_t id : ids) dense = dense && id >= 1 && id <= ids.size();
    if (dense) dense_.assign(ids.size() + 1, kUnset);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == 0) err.fail(offsets[i], fmt::format("{} with the reserved id 0", what));
      bool fresh = dense ? dense_[ids[i]] == kUnset
                         : sparse_.try_emplace(ids[i], static_cast<uint32_t>(i)).second;
      if (!fresh) err.fail(offsets[i], fmt::format("two {}s with the same id {}", what, ids[i]));
      if (dense) dense_[ids[i]] = static_cast<uint32_t>(i);
    }
  }
  // The table when the ids are 1..N (index by id, kUnset past it), else null.
  const std::vector<uint32_t>* dense() const {
    return !dense_.empty() || sparse_.empty() ? &dense_ : nullptr;
  }
  uint32_t find(uint64_t id) const {
    if (!dense_.empty() || sparse_.empty()) return id < dense_.size() ? dense_[id] : kUnset;
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kUnset : it->second;
  }

 private:
  std::vector<uint32_t> dense_;
  std::unordered_map<uint64_t, uint32_t> sparse_;
};

struct FunctionInfo {
  StrId name = 0;
  StrId file = 0;
  int64_t start_line = 0;
};

class PprofDecoder {
 public:
  PprofDecoder(const InputBuffer& in, Profile& p, const ReadOptions& opts)
      : path_(in.path), base_(reinterpret_cast<const uint8_t*>(in.data())),
        whole_{0, in.size()}, p_(p), top_(path_, base_, whole_), progress_(in.progress),
        jobs_(opts.jobs), opts_(opts),
        keep_addresses_(opts.keep_addresses), merge_addresses_(opts.merge_addresses && !opts.keep_addresses) {}

  void run() {
    if (whole_.size() == 0) throw InputError::in_file(path_, "empty input (no pprof profile)");
    scan_top();
    check_strings();
    read_value_types();
    read_meta();
    read_mappings();
    read_functions();
    read_locations();
    read_samples();
  }

 private:
  [[noreturn]] void fail(size_t offset, const std::string& msg) const { top_.fail(offset, msg); }
  WireReader reader(ByteSpan s) const { return WireReader(path_, base_, s); }

  // ---- phase 1 ----
  void scan_top() {
    RawProfile& r = raw_;
    WireReader& w = top_;
    uint32_t field, wire;
    auto str_ref = [&](const char* name) {
      size_t at = w.field_start();
      return StrRef{static_cast<int64_t>(w.varint_field(wire, name)), at};
    };
    ProgressTicker tick(progress_);
    while (w.next(field, wire)) {
      tick.at(w.pos());
      switch (field) {
        case 1: r.sample_types.push_back(w.message_field(wire, "sample_type")); break;
        case 2:
          if (r.sample_count++ % kMarkEvery == 0) r.sample_marks.push_back(w.field_start());
          w.message_field(wire, "sample");
          r.sample_bytes += w.pos() - w.field_start();
          break;
        case 3: r.mappings.push_back(w.message_field(wire, "mapping")); break;
        case 4: r.locations.push_back(w.message_field(wire, "location")); break;
        case 5: r.functions.push_back(w.message_field(wire, "function")); break;
        case 6: {
          size_t at = w.field_start();
          ByteSpan s = w.message_field(wire, "string_table");
          if (r.strings.empty()) {
            r.string_table_offset = at;
            if (s.size() != 0)
              fail(at, "string_table[0] must be the empty string (malformed profile)");
          }
          r.strings.emplace_back(reinterpret_cast<const char*>(base_ + s.begin), s.size());
          break;
        }
        case 7: r.drop_frames = str_ref("drop_frames"); break;
        case 8: r.keep_frames = str_ref("keep_frames"); break;
        case 9: {
          size_t at = w.field_start();
          int64_t t = static_cast<int64_t>(w.varint_field(wire, "time_nanos"));
          if (r.time_ns != 0)
            fail(at, "concatenated profiles detected (a second time_nanos field; merge them "
                     "with a tool instead of concatenating the files)");
          r.time_ns = t;
          break;
        }
        case 10: r.duration_ns = static_cast<int64_t>(w.varint_field(wire, "duration_nanos")); break;
        case 11:
          r.period_type = w.message_field(wire, "period_type");
          r.has_period_type = true;
          break;
        case 12: r.period = static_cast<int64_t>(w.varint_field(wire, "period")); break;
        case 13:
          w.repeated_varint(wire, "comment", [&](uint64_t v, size_t at) {
            r.comments.push_back(StrRef{static_cast<int64_t>(v), at});
          });
          break;
        case 14: r.default_sample_type = str_ref("default_sample_type"); break;
        case 15: r.doc_url = str_ref("doc_url"); break;
        default: w.skip(wire);
      }
    }
  }

  // ---- phase 2 ----
  void check_strings() {
    if (raw_.strings.empty())
      fail(0, "the profile has no string table (string_table[0] must be the empty string)");
    str_ids_.assign(raw_.strings.size(), kUnset);
    str_ids_[0] = 0;
  }

  StrId str(int64_t index, size_t offset, const char* field) {
    StrId& id = str_ids_[str_index(StrRef{index, offset}, field)];
    if (id == kUnset) id = p_.strings.intern(raw_.strings[static_cast<size_t>(index)]);
    return id;
  }
  StrId str(const StrRef& r, const char* field) { return str(r.index, r.offset, field); }

  ValueType read_value_type(ByteSpan s, const char* what) {
    WireReader w = reader(s);
    StrRef type, unit;
    uint32_t field, wire;
    while (w.next(field, wire)) {
      if (field == 1 || field == 2) {
        StrRef& r = field == 1 ? type : unit;
        r.offset = w.field_start();
        r.index = static_cast<int64_t>(w.varint_field(wire, field == 1 ? "type" : "unit"));
      } else {
        w.skip(wire);
      }
    }
    ValueType vt;
    vt.type = str(type.index, type.offset ? type.offset : s.begin, what);
    vt.unit = str(unit.index, unit.offset ? unit.offset : s.begin, what);
    return vt;
  }

  void read_value_types() {
    for (const ByteSpan& s : raw_.sample_types)
      p_.value_types.push_back(read_value_type(s, "sample_type"));
    if (p_.value_types.empty() && raw_.sample_count != 0)
      fail(raw_.sample_marks.front(), "the profile has samples but no sample_type");
  }

  void read_meta() {
    Metadata& m = p_.meta;
    m.time_ns = raw_.time_ns;
    m.duration_ns = raw_.duration_ns;
    m.period = raw_.period;
    if (raw_.has_period_type) m.period_type = read_value_type(raw_.period_type, "period_type");
    for (const StrRef& c : raw_.comments) m.comments.push_back(str(c, "comment"));
    m.drop_frames = str(raw_.drop_frames, "drop_frames");
    m.keep_frames = str(raw_.keep_frames, "keep_frames");
    if (opts_.prune_override) {
      m.drop_frames = opts_.drop_frames.empty() ? 0 : p_.strings.intern(opts_.drop_frames);
      m.keep_frames = opts_.keep_frames.empty() ? 0 : p_.strings.intern(opts_.keep_frames);
    }
    m.default_sample_type = str(raw_.default_sample_type, "default_sample_type");
    m.doc_url = str(raw_.doc_url, "doc_url");
  }

  void read_mappings() {
    std::vector<uint64_t> ids;
    std::vector<size_t> offsets;
    for (const ByteSpan& s : raw_.mappings) {
      WireReader w = reader(s);
      uint64_t id = 0, start = 0;
      StrId file = 0, build_id = 0;
      uint32_t field, wire;
      while (w.next(field, wire)) {
        size_t at = w.field_start();
        if (field == 1) id = w.varint_field(wire, "mapping.id");
        else if (field == 2) start = w.varint_field(wire, "mapping.memory_start");
        else if (field == 5) file = str(static_cast<int64_t>(w.varint_field(wire, "mapping.filename")), at, "mapping.filename");
        else if (field == 6) build_id = str(static_cast<int64_t>(w.varint_field(wire, "mapping.build_id")), at, "mapping.build_id");
        else w.skip(wire);
      }
      if (ids.empty()) {  // pprof's File: and Build ID: headers name the first mapping
        p_.meta.main_file = file;
        p_.meta.main_build_id = build_id;
      }
      ids.push_back(id);
      offsets.push_back(s.begin);
      mapping_files_.push_back(file);
      mapping_starts_.push_back(start);
    }
    mapping_ids_.build(ids, offsets, "mapping", top_);
  }

  void read_functions() {
    std::vector<uint64_t> ids;
    std::vector<size_t> offsets;
    functions_.reserve(raw_.functions.size());
    for (const ByteSpan& s : raw_.functions) {
      WireReader w = reader(s);
      uint64_t id = 0;
      FunctionInfo f;
      uint32_t field, wire;
      while (w.next(field, wire)) {
        size_t at = w.field_start();
        switch (field) {
          case 1: id = w.varint_field(wire, "function.id"); break;
          case 2: f.name = str(static_cast<int64_t>(w.varint_field(wire, "function.name")), at, "function.name"); break;
          case 3: str(static_cast<int64_t>(w.varint_field(wire, "function.system_name")), at, "function.system_name"); break;
          case 4: f.file = clean_file(str(static_cast<int64_t>(w.varint_field(wire, "function.filename")), at, "function.filename")); break;
          case 5: f.start_line = static_cast<int64_t>(w.varint_field(wire, "function.start_line")); break;
          default: w.skip(wire);
        }
      }
      ids.push_back(id);
      offsets.push_back(s.begin);
      functions_.push_back(f);
    }
    function_ids_.build(ids, offsets, "function", top_);
  }

  // Function files as pprof shows them (trimPath, filepath.Clean): equal after cleaning, equal.
  StrId clean_file(StrId file) {
    if (file == 0) return 0;
    auto [it, fresh] = clean_files_.try_emplace(file, file);
    if (fresh) {
      std::string clean = pprof_clean_path(p_.str(file));
      if (clean != p_.str(file)) it->second = p_.strings.intern(clean);
    }
    return it->second;
  }

  StrId mapping_file(uint64_t mapping_id) const {
    uint32_t m = mapping_ids_.find(mapping_id);
    return m == kUnset ? 0 : mapping_files_[m];
  }

  // A location without lines (not symbolized) or a line without a function: pprof names the node
  // after the mapping's file, "[basename]", or "<unknown>" when there is none; unless addresses
  // are kept, all such locations of one mapping are one frame.
  Frame unsymbolized_frame(StrId mapping, bool inlined, uint64_t address) {
    std::string name = mapping ? fmt::format("[{}]", path_base(p_.str(mapping))) : "<unknown>";
    Frame f{p_.strings.intern(name), 0, 0, inlined};
    f.unsymbolized = true;
    f.mapping = mapping;
    f.address = address;
    return f;
  }

  void read_locations() {
    size_t n = raw_.locations.size();
    std::vector<uint64_t> ids;
    std::vector<size_t> offsets;
    ids.reserve(n);
    offsets.reserve(n);
    loc_begin_.reserve(n + 1);
    loc_frames_.reserve(n + n / 2);
    std::vector<LineRef> lines;
    for (const ByteSpan& s : raw_.locations) {
      WireReader w = reader(s);
      uint64_t id = 0, mapping_id = 0, address = 0;
      lines.clear();
      uint32_t field, wire;
      while (w.next(field, wire)) {
        switch (field) {
          case 1: id = w.varint_field(wire, "location.id"); break;
          case 2: mapping_id = w.varint_field(wire, "location.mapping_id"); break;
          case 3: address = w.varint_field(wire, "location.address"); break;
          case 4: lines.push_back(read_line(w.message_field(wire, "location.line"))); break;
          default: w.skip(wire);
        }
      }
      ids.push_back(id);
      offsets.push_back(s.begin);
      loc_begin_.push_back(static_cast<uint32_t>(loc_frames_.size()));
      if (merge_addresses_) {
        const uint32_t m = mapping_ids_.find(mapping_id);
        if (m != kUnset) address -= mapping_starts_[m];
      } else if (!keep_addresses_) {
        address = 0;
      }
      const StrId mapping = mapping_file(mapping_id);
      symbolized_.push_back(!lines.empty());
      if (lines.empty()) {
        Frame f = unsymbolized_frame(mapping, false, address);
        f.lineless = true;
        loc_frames_.push_back(p_.intern_frame(f));
        continue;
      }
      // Root first: the physical function (the last line), then the inlined callees inward.
      // Past the cap, the lines between the outermost kMaxLocationLines - 1 and the innermost
      // are cut (counted, said once after the locations).
      const size_t cut = lines.size() > kMaxLocationLines ? lines.size() - kMaxLocationLines : 0;
      if (cut) {
        ++cut_locations_;
        cut_lines_ += cut;
        most_lines_ = std::max(most_lines_, lines.size());
      }
      for (size_t i = lines.size(); i-- > 0;) {
        if (i >= 1 && i <= cut) continue;
        const LineRef& l = lines[i];
        const bool inlined = i + 1 != lines.size();
        if (l.function_id == 0) {  // pprof allows a line without a function
          loc_frames_.push_back(p_.intern_frame(unsymbolized_frame(mapping, inlined, address)));
          continue;
        }
        uint32_t fi = function_ids_.find(l.function_id);
        if (fi == kUnset)
          fail(l.offset, fmt::format("location {} has a line with function id {}, which does not "
                                     "exist", id, l.function_id));
        Frame f{functions_[fi].name, functions_[fi].file, l.line, inlined};
        f.mapping = mapping;
        f.start_line = functions_[fi].start_line;
        f.address = address;
        loc_frames_.push_back(p_.intern_frame(f));
      }
    }
    loc_begin_.push_back(static_cast<uint32_t>(loc_frames_.size()));
    if (cut_locations_)
      p_.warn(fmt::format("{} location(s) with more than {} inlined lines (the most: {} lines): "
                          "the outermost {} lines and the innermost of each were kept, {} lines "
                          "cut (their functions are missing from the stacks through them)",
                          cut_locations_, kMaxLocationLines, most_lines_, kMaxLocationLines - 1,
                          cut_lines_));
    loc_ids_.build(ids, offsets, "location", top_);
    apply_drop_frames();
  }

  struct LineRef {
    uint64_t function_id = 0;
    int64_t line = 0;
    size_t offset = 0;
  };
  LineRef read_line(ByteSpan s) {
    WireReader w = reader(s);
    LineRef l;
    l.offset = s.begin;
    uint32_t field, wire;
    while (w.next(field, wire)) {
      if (field == 1) l.function_id = w.varint_field(wire, "line.function_id");
      else if (field == 2) l.line = static_cast<int64_t>(w.varint_field(wire, "line.line"));
      else w.skip(wire);
    }
    return l;
  }

  void apply_drop_frames() {
    size_t n = raw_.locations.size();
    loc_count_.resize(n);
    for (size_t i = 0; i < n; ++i) loc_count_[i] = loc_begin_[i + 1] - loc_begin_[i];
    pprof::FramePruner pruner(p_);
    if (!pruner.active()) return;
    marks_.assign(n, PruneMark::kNone);
    for (size_t i = 0; i < n; ++i) {
      if (!symbolized_[i]) continue;  // no function name for pprof to match
      marks_[i] = pruner.mark_location(&loc_frames_[loc_begin_[i]], loc_count_[i]);
    }
  }

  // One thread's share of the samples, a contiguous range in file order. Each distinct location
  // list becomes a local list of frames; a repeated list (most samples of a CPU profile repeat
  // an earlier one) is found by its raw bytes, costing one hash and one compare.
  struct SampleChunk {
    size_t first = 0, end = 0;  // samples [first, end) in file order
    size_t bytes = 0;           // of its samples in the file
    size_t frame_budget = 0;    // most frames list_frames may hold (kFrameFloor, kFramesPerByte)
    BigVector<uint32_t> list_begin{0};
    BigVector<FrameId> list_frames;
    BigVector<Sample> samples;  // stack: a local list; label_begin: into labels
    BigVector<int64_t> values;  // per sample: the profile's value count
    BigVector<Label> labels;
  };

  // Samples are decoded on up to `jobs` threads (a share each) and handed to the profile in file
  // order, as deferred stack lists: the trie is built only if an analysis needs it. The first
  // error in file order wins, as when reading on one thread. Every string is interned first, so
  // the threads only read str_ids_.
  void read_samples() {
    const size_t n = raw_.sample_count;
    for (size_t i = 1; i < str_ids_.size(); ++i)
      if (str_ids_[i] == kUnset) str_ids_[i] = p_.strings.intern(raw_.strings[i]);
    size_t shares = n < 20000 ? 1 : std::min<size_t>(thread_count(jobs_), 16);
    shares_ = shares;
    std::vector<SampleChunk> chunks(shares);
    for (size_t i = 0; i < shares; ++i) {  // shares start at marks
      chunks[i].first = n * i / shares / kMarkEvery * kMarkEvery;
      if (i) chunks[i - 1].end = chunks[i].first;
    }
    chunks.back().end = n;
    if (progress_ && n) progress_->phase("decoding", raw_.sample_bytes);
    parallel_for(shares, jobs_, [&](size_t i) { decode_samples(chunks[i]); });
    // A later share is copied after the first's: each of its vectors is freed once copied, so
    // at most one of them exists twice at a time (not the whole share).
    for (SampleChunk& c : chunks) {
      const uint32_t first_list = p_.add_stack_lists(c.list_begin, c.list_frames);
      BigVector<FrameId>().swap(c.list_frames);
      BigVector<uint32_t>().swap(c.list_begin);
      p_.add_list_samples(c.samples, c.values, c.labels, first_list);
      c = SampleChunk{};
    }
  }

  // A sample between being parsed and being resolved (see decode_samples).
  struct PendingSample {
    ByteSpan s;
    ByteSpan packed;           // its one packed location_id run, when `simple`
    bool simple = false;       // looked up by the run's bytes
    uint64_t hash = 0;
    std::vector<uint32_t> locs;  // not simple: the location indexes, leaf first
    std::vector<ByteSpan> label_fields;
    size_t labels_from = 0, labels_to = 0;
    bool labels_adjacent = true;
    std::exception_ptr error;  // parsing failed: rethrown when the sample's turn comes
  };

  // Reads the next sample's fields from `top`: values go straight to the share, locations and
  // labels wait in `ps` until decode_samples resolves the sample.
  void parse_sample(WireReader& top, SampleChunk& c, PendingSample& ps) const {
    uint32_t field, wire;
    for (top.next(field, wire); field != 2; top.next(field, wire)) top.skip(wire);
    ps.s = top.bytes();
    if (parse_usual_sample(c, ps)) return;
    WireReader w = reader(ps.s);
    ps.locs.clear();
    ps.label_fields.clear();
    ps.labels_adjacent = true;
    const size_t values_before = c.values.size();
    auto add_loc = [&](uint64_t id, size_t at) { ps.locs.push_back(location_index(id, at)); };
    // The usual sample has one packed location_id run: it is looked up by its bytes and
    // decoded only when new. Unpacked or split runs are decoded in field order, uncached.
    // Label fields next to each other are looked up likewise, as one run.
    bool single_run = true, has_run = false;
    while (w.next(field, wire)) {
      switch (field) {
        case 1:
          if (wire == pprof::kLen && !has_run && single_run) {
            ps.packed = w.bytes();
            has_run = true;
            break;
          }
          if (has_run && single_run) decode_locs(ps.packed, ps.locs);
          single_run = false;
          w.repeated_varint(wire, "sample.location_id", add_loc);
          break;
        case 2:
          w.repeated_varint(wire, "sample.value", [&](uint64_t v, size_t) {
            c.values.push_back(static_cast<int64_t>(v));
          });
          break;
        case 3:
          if (ps.label_fields.empty()) ps.labels_from = w.field_start();
          else ps.labels_adjacent = ps.labels_adjacent && ps.labels_to == w.field_start();
          ps.label_fields.push_back(w.message_field(wire, "sample.label"));
          ps.labels_to = ps.label_fields.back().end;
          break;
        default: w.skip(wire);
      }
    }
    const size_t nvt = p_.value_types.size();
    if (c.values.size() - values_before != nvt)
      fail(ps.s.begin, fmt::format("sample has {} values but the profile has {} sample types",
                                   c.values.size() - values_before, nvt));
    ps.simple = has_run && single_run;
    if (ps.simple) ps.hash = hash_bytes(base_ + ps.packed.begin, ps.packed.size());
  }

  // The usual sample, as Go and pprof write it: one packed location_id run, then the values
  // (one packed run, or one varint field each), then label fields, every length short and inside
  // the sample. Read without the general decoder; anything else (and any error) returns false
  // with the share as it was, and parse_sample decodes the sample field by field.
  bool parse_usual_sample(SampleChunk& c, PendingSample& ps) const {
    const uint8_t* p = base_ + ps.s.begin;
    const uint8_t* const end = base_ + ps.s.end;
    auto length = [&](size_t& n) {  // a length of one or two bytes that fits before `end`
      if (p < end && *p < 0x80) {
        n = *p++;
      } else if (end - p >= 2 && p[1] < 0x80) {
        n = (p[0] & 0x7fu) | size_t{p[1]} << 7;
        p += 2;
      } else {
        return false;
      }
      return n <= static_cast<size_t>(end - p);
    };
    auto value = [&](const uint8_t* stop, uint64_t& v) {  // a varint of at most 10 bytes
      v = 0;
      for (unsigned i = 0; i < 10 && p < stop; ++i) {
        const uint8_t b = *p++;
        v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
        if (b < 0x80) return true;
      }
      return false;
    };
    size_t n;
    if (p == end || *p != 0x0a) return false;  // field 1, length-delimited
    ++p;
    if (!length(n)) return false;
    const ByteSpan packed{static_cast<size_t>(p - base_), static_cast<size_t>(p - base_) + n};
    p += n;
    const size_t values_before = c.values.size(), nvt = p_.value_types.size();
    auto undo = [&] {
      c.values.resize(values_before);
      return false;
    };
    uint64_t v;
    if (p < end && *p == 0x12) {  // field 2 packed
      ++p;
      if (!length(n)) return false;
      const uint8_t* stop = p + n;
      while (p < stop) {
        if (!value(stop, v)) return undo();
        c.values.push_back(static_cast<int64_t>(v));
      }
    } else {
      while (p < end && *p == 0x10) {  // field 2, one varint each
        ++p;
        if (!value(end, v)) return undo();
        c.values.push_back(static_cast<int64_t>(v));
      }
    }
    if (c.values.size() - values_before != nvt) return undo();
    ps.label_fields.clear();
    while (p < end) {
      if (*p != 0x1a) return undo();  // field 3, length-delimited
      const auto at = static_cast<size_t>(p - base_);
      ++p;
      if (!length(n)) return undo();
      if (ps.label_fields.empty()) ps.labels_from = at;
      const auto from = static_cast<size_t>(p - base_);
      ps.label_fields.push_back(ByteSpan{from, from + n});
      p += n;
      ps.labels_to = from + n;
    }
    ps.labels_adjacent = true;
    ps.locs.clear();
    ps.packed = packed;
    ps.simple = true;
    ps.hash = hash_bytes(base_ + packed.begin, packed.size());
    return true;
  }

  uint32_t location_index(uint64_t id, size_t at) const {
    uint32_t li = loc_ids_.find(id);
    if (li == kUnset)
      fail(at, fmt::format("sample refers to location id {}, which does not exist", id));
    return li;
  }

  // A packed run of location ids, as location indexes in file order (leaf first). Ids of one or
  // two bytes are read here; a longer one (or a malformed one: the same error at the same
  // offset) by the wire reader.
  void decode_locs(ByteSpan packed, std::vector<uint32_t>& locs) const {
    const uint8_t* p = base_ + packed.begin;
    const uint8_t* const end = base_ + packed.end;
    const std::vector<uint32_t>* dense = loc_ids_.dense();
    const uint32_t* const index = dense ? dense->data() : nullptr;
    const size_t ids = dense ? dense->size() : 0;
    const size_t before = locs.size();
    locs.resize(before + packed.size());  // at most one id a byte
    uint32_t* out = locs.data() + before;
    while (p < end) {
      const auto at = static_cast<size_t>(p - base_);
      uint64_t id;
      if (*p < 0x80) {
        id = *p++;
      } else if (end - p >= 2 && p[1] < 0x80) {
        id = (p[0] & 0x7fu) | uint64_t{p[1]} << 7;
        p += 2;
      } else {
        WireReader inner = reader(ByteSpan{at, packed.end});
        id = inner.varint();
        p = base_ + inner.pos();
      }
      const uint32_t li = index && id < ids ? index[id] : kUnset;
      *out++ = li != kUnset ? li : location_index(id, at);
    }
    locs.resize(static_cast<size_t>(out - locs.data()));
  }

  // The first share reserves room for every share (the profile takes its vectors and the others
  // are appended), so nothing is copied to grow. Room not used is never touched: it costs
  // address space, not memory.
  //
  // Most of the time of a share went to one cache miss per sample: the probe of the location-list
  // cache (megabytes, at a random slot), then the earlier copy of the bytes to compare. So samples
  // go through a short pipeline: sample i is parsed and its slot prefetched; two samples later
  // that slot is read and the bytes it names prefetched; four samples later it is resolved, by
  // then from cache. Errors still come out in file order: a parse error waits for its turn.
  void decode_samples(SampleChunk& c) const {
    const size_t nvt = p_.value_types.size(), count = c.end - c.first;
    if (count == 0) return;
    const size_t room = c.first == 0 ? raw_.sample_count : count;
    const size_t from = raw_.sample_marks[c.first / kMarkEvery];
    const size_t bytes = (c.first == 0 || c.end == raw_.sample_count
                              ? whole_.end
                              : raw_.sample_marks[c.end / kMarkEvery]) - from;
    c.samples.reserve(room);
    c.values.reserve(room * nvt);
    reserve_guess(c.list_frames, bytes / 2);  // a new list's frame per two bytes of samples
    c.bytes = bytes;
    c.frame_budget = kFrameFloor / shares_ + kFramesPerByte * bytes;
    c.list_begin.reserve(room / 2);
    pprof::ByteRunCache list_cache(base_), label_cache(base_);
    struct LabelRange {
      uint32_t begin, count;
    };
    std::vector<LabelRange> label_sets;
    std::vector<uint32_t> locs;
    auto decode_labels = [&](const PendingSample& ps) {
      const auto begin = static_cast<uint32_t>(c.labels.size());
      for (const ByteSpan& l : ps.label_fields) read_label(l, c.labels);
      return LabelRange{begin, static_cast<uint32_t>(c.labels.size() - begin)};
    };
    auto resolve = [&](PendingSample& ps) {
      if (ps.error) std::rethrow_exception(ps.error);
      const uint32_t list =
          !ps.simple ? add_list(c, ps.locs, ps.s.begin)
                     : list_cache.find_or_add(ps.packed.begin, static_cast<uint32_t>(ps.packed.size()),
                                              ps.hash, [&] {
                                                locs.clear();
                                                decode_locs(ps.packed, locs);
                                                return add_list(c, locs, ps.s.begin);
                                              });
      LabelRange labels{0, 0};
      if (!ps.label_fields.empty() && ps.labels_adjacent) {
        const auto len = static_cast<uint32_t>(ps.labels_to - ps.labels_from);
        const uint32_t set = label_cache.find_or_add(
            ps.labels_from, len, hash_bytes(base_ + ps.labels_from, len), [&] {
              label_sets.push_back(decode_labels(ps));
              return static_cast<uint32_t>(label_sets.size() - 1);
            });
        labels = label_sets[set];
      } else if (!ps.label_fields.empty()) {
        labels = decode_labels(ps);
      }
      c.samples.push_back(Sample{list, labels.begin, labels.count});
    };
    // The top-level fields from this share's first sample on; scan_top checked their framing.
    WireReader top(path_, base_, ByteSpan{from, whole_.end});
    constexpr size_t kDepth = 5, kBytesLag = 2;  // resolve 4 samples behind, prefetch bytes 2
    PendingSample ring[kDepth];
    bool parsing = true;
    ProgressTicker tick(progress_, /*add_mode=*/true);  // this share's bytes, added to the step
    tick.set_origin(from);
    for (size_t i = 0; i < count + kDepth - 1; ++i) {
      tick.at(top.pos());
      if (i < count && parsing) {
        PendingSample& ps = ring[i % kDepth];
        try {
          ps.error = nullptr;
          parse_sample(top, c, ps);
          if (ps.simple) list_cache.prefetch_slot(ps.hash);
        } catch (...) {
          ps.error = std::current_exception();
          parsing = false;  // nothing after it is read
        }
      }
      if (i >= kBytesLag && i - kBytesLag < count) {
        const PendingSample& ps = ring[(i - kBytesLag) % kDepth];
        if (!ps.error && ps.simple) list_cache.prefetch_bytes(ps.hash);
      }
      if (i >= kDepth - 1) resolve(ring[(i - (kDepth - 1)) % kDepth]);
    }
    tick.flush(top.pos());
  }

  // Appends the frames of a leaf-first location list, root first, after drop_frames pruning.
  uint32_t add_list(SampleChunk& c, const std::vector<uint32_t>& locs, size_t at) const {
    size_t first = marks_.empty() ? 0 : pprof::pruned_prefix(locs.data(), locs.size(), marks_);
    const uint32_t* const loc = locs.data();
    const uint32_t* const count = loc_count_.data();
    size_t frames = 0;
    for (size_t i = first; i < locs.size(); ++i) frames += count[loc[i]];
    if (frames > c.frame_budget - std::min(c.frame_budget, c.list_frames.size()))
      fail(at, fmt::format("the samples' distinct stacks expand to more than {} frames from {} "
                           "bytes of samples (their locations' lines, copied into each stack): "
                           "too many to hold in bounded memory",
                           c.frame_budget, c.bytes));
    const size_t from = c.list_frames.size();
    c.list_frames.resize(from + frames);
    FrameId* __restrict out = c.list_frames.data() + from;
    const uint32_t* const begin = loc_begin_.data();
    const FrameId* const loc_frames = loc_frames_.data();
    for (size_t i = locs.size(); i-- > first;) {
      const uint32_t li = loc[i], n = count[li];
      const FrameId* f = loc_frames + begin[li];
      if (n == 1) *out++ = *f;  // the usual location: no inlined lines
      else out = std::copy(f, f + n, out);
    }
    c.list_begin.push_back(static_cast<uint32_t>(c.list_frames.size()));
    return static_cast<uint32_t>(c.list_begin.size() - 2);
  }

  // A string-table index, checked against the table (no interning: safe on any thread).
  uint32_t str_index(const StrRef& r, const char* field) const {
    if (r.index < 0 || static_cast<uint64_t>(r.index) >= str_ids_.size())
      fail(r.offset, fmt::format("{} refers to string {}, outside the string table ({} strings)",
                                 field, r.index, str_ids_.size()));
    return static_cast<uint32_t>(r.index);
  }

  // pprof's quirk: a nonempty str makes a string label; else numeric only if num or num_unit is
  // nonzero; a label with neither disappears. Strings are all interned before this runs.
  void read_label(ByteSpan s, BigVector<Label>& out) const {
    WireReader w = reader(s);
    StrRef key, sval, unit;
    int64_t num = 0;
    uint32_t field, wire;
    while (w.next(field, wire)) {
      size_t at = w.field_start();
      switch (field) {
        case 1: key = {static_cast<int64_t>(w.varint_field(wire, "label.key")), at}; break;
        case 2: sval = {static_cast<int64_t>(w.varint_field(wire, "label.str")), at}; break;
        case 3: num = static_cast<int64_t>(w.varint_field(wire, "label.num")); break;
        case 4: unit = {static_cast<int64_t>(w.varint_field(wire, "label.num_unit")), at}; break;
        default: w.skip(wire);
      }
    }
    Label l;
    l.key = str_ids_[str_index(key, "label.key")];
    l.str = str_ids_[str_index(sval, "label.str")];
    l.num_unit = str_ids_[str_index(unit, "label.num_unit")];
    if (l.str != 0) {
      l.num_unit = 0;
    } else if (num == 0 && l.num_unit == 0) {
      return;
    } else {
      l.num = num;
    }
    out.push_back(l);
  }

  const std::string& path_;
  const uint8_t* base_;
  ByteSpan whole_;
  Profile& p_;
  WireReader top_;
  ReadProgress* progress_;
  RawProfile raw_;
  std::vector<StrId> str_ids_;  // pprof string index -> our StrId, interned on first use
  std::vector<FunctionInfo> functions_;
  std::vector<StrId> mapping_files_;
  std::vector<uint64_t> mapping_starts_;
  std::unordered_map<StrId, StrId> clean_files_;
  IdIndex mapping_ids_, function_ids_, loc_ids_;
  std::vector<uint32_t> loc_begin_, loc_count_;  // a location's frames in loc_frames_
  std::vector<FrameId> loc_frames_;
  std::vector<bool> symbolized_;  // the location has lines
  size_t shares_ = 1;             // sample shares decoded in parallel
  size_t cut_locations_ = 0, cut_lines_ = 0, most_lines_ = 0;  // kMaxLocationLines
  std::vector<PruneMark> marks_;  // empty unless drop_frames applies
  unsigned jobs_;
  const ReadOptions& opts_;
  bool keep_addresses_;
  bool merge_addresses_;
};

}  // namespace

Probe probe_pprof(std::string_view content) {
  // Profile fields 1..15 and the wire type each must have (13 may be packed or not).
  static constexpr int8_t kWire[16] = {-1, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 2, 0, -2, 0, 0};
  const auto* b = reinterpret_cast<const uint8_t*>(content.data());
  size_t n = content.size(), pos = 0;
  auto varint = [&](uint64_t& v) {
    v = 0;
    for (unsigned i = 0; i < 10 && pos < n; ++i) {
      uint8_t c = b[pos++];
      v |= static_cast<uint64_t>(c & 0x7f) << (7 * i);
      if (c < 0x80) return true;
    }
    return false;
  };
  uint32_t first_field = 0;
  for (int fields = 0; fields < 16 && pos < n; ++fields) {
    uint64_t tag, v;
    if (!varint(tag)) return fields ? Probe::kMaybe : Probe::kNo;
    uint64_t field = tag >> 3, wire = tag & 7;
    if (field == 0 || field > 15) return Probe::kNo;  // not a Profile field
    int8_t want = kWire[field];
    if (want >= 0 ? wire != static_cast<uint64_t>(want) : wire != 0 && wire != 2) return Probe::kNo;
    if (!varint(v)) return fields ? Probe::kMaybe : Probe::kNo;
    if (wire == 2) {
      if (v > n - pos) return fields ? Probe::kMaybe : Probe::kNo;  // cut short after a good start
      pos += static_cast<size_t>(v);
    }
    if (fields == 0) first_field = static_cast<uint32_t>(field);
  }
  // Text is never pprof: a protobuf has small tag and length bytes (control characters).
  bool binary = false;
  for (size_t i = 0; i < std::min<size_t>(n, 256) && !binary; ++i)
    binary = b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t';
  if (!binary) return Probe::kNo;
  // Go's runtime starts with time_nanos, pprof's own writer with sample_type.
  bool usual = first_field == 1 || first_field == 2 || first_field == 6 || first_field == 9;
  return usual ? Probe::kYes : Probe::kMaybe;
}

void read_pprof(const InputBuffer& in, Profile& out, const ReadOptions& opts) {
  out.format = "pprof";
  out.flavor = in.was_gzip ? "pprof" : "pprof-raw";
  PprofDecoder(in, out, opts).run();
}

}  // namespace perfkit
