// Linux `perf script` text (what stackcollapse-perf.pl and inferno-collapse-perf read): records of
// a header line (comm, pid/tid, cpu, time, period, event) and one frame per line, leaf first,
// ended by a blank line. Stacks are read as stackcollapse-perf.pl folds them with its defaults
// (so `convert --to folded` prints its output): the process name is the root frame, frame names
// are tidied by its rules (perf_script_line.cpp), and a sample weighs its period. Unlike the
// script, every event is kept, each as two value types (its sample count and its period sum);
// the first event seen is the default, as the script's default event filter is.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "formats/perf/perf_script.h"
#include "lib/errors.h"
#include "lib/progress.h"
#include "lib/hash_bytes.h"

namespace perfkit {

namespace {

constexpr size_t kProbeBytes = 64 * 1024;
constexpr size_t kMaxEvents = 32;
constexpr uint32_t kNoEvent = UINT32_MAX;

bool is_blank(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\f') return false;
  return true;
}

// Calls fn(line_number, line) per line, "\n" removed; fn returns false to stop.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn, ProgressTicker tick = ProgressTicker(nullptr)) {
  size_t pos = 0;
  uint64_t number = 0;
  while (pos < text.size()) {
    tick.at(pos);
    const char* nl = static_cast<const char*>(memchr(text.data() + pos, '\n', text.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - text.data()) : text.size();
    if (!fn(++number, text.substr(pos, end - pos))) return;
    pos = end + 1;
  }
}

// perf script without -g pads the comm to 16 columns ("            work 15116 ..."): a line
// that starts with blanks is such a header when, without them, it has a time and an event
// (stackcollapse-perf.pl reads none of these files: it needs the blank lines of -g output).
bool padded_header(std::string_view line, PerfHeader* h) {
  size_t lead = line.find_first_not_of(" \t");
  if (lead == 0 || lead == std::string_view::npos) return false;
  if (!parse_perf_header(line.substr(lead), h) || h->event.empty() || h->time_text.empty())
    return false;
  h->pid_col += lead;
  h->period_col += lead;
  return true;
}

bool is_hex_word(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

struct ViewHash {
  size_t operator()(std::string_view s) const noexcept { return hash_bytes(s.data(), s.size()); }
};

// A frame line's frames (its tidied names), found by the line's text from the symbol on.
struct FrameGroup {
  uint32_t begin = 0, count = 0;  // into PerfParser::group_frames_
  bool skipped = false;
};

struct Record {
  uint32_t list = 0;  // stack list id
  uint32_t event = 0;
  int64_t period = 1;
  StrId comm = 0;
  int64_t pid = -1;  // -1: not printed
  int64_t tid = -1;
};

class PerfParser {
 public:
  PerfParser(const InputBuffer& in, Profile& p, PerfRoot root) : in_(in), p_(p), root_(root) {}

  void run() {
    for_each_line(in_.view(), [this](uint64_t number, std::string_view line) {
      line_no_ = number;
      on_line(line);
      return true;
    }, ProgressTicker(in_.progress));
    end_last_record();
    finish();
  }

 private:
  [[noreturn]] void fail(size_t col, const std::string& msg) {
    throw InputError::at_line(in_.path, line_no_, col + 1, msg);
  }

  void on_line(std::string_view line) {
    if (!line.empty() && line[0] == '#') {
      comment(line);
      return;
    }
    if (is_blank(line)) {
      blank_ends_ |= in_record_;
      end_record();
      return;
    }
    // A line that starts with a non-blank is a header if it parses as one (as in the script);
    // an indented one is a frame, unless it is the padded header of output without -g.
    PerfHeader h;
    PerfFrameLine f;
    bool frame = false;
    if (parse_perf_header(line, &h)) {
      end_record();  // perf ends records with a blank line; without -g it prints none
      begin_record(h);
      return;
    }
    frame = parse_perf_frame(line, &f);
    if ((!frame || !is_hex_word(f.pc)) && padded_header(line, &h)) {
      end_record();
      begin_record(h);
      return;
    }
    if (frame) {
      if (!in_record_) {
        if (!orphan_frames_++) first_orphan_ = line_no_;
        return;
      }
      add_frame(f);
      last_was_frame_ = true;
      return;
    }
    std::string_view file;
    int64_t src_line = 0;
    if (in_record_ && last_was_frame_ && parse_perf_srcline(line, &file, &src_line)) {
      if (src_line > 0) set_srcline(file, src_line);
      last_was_frame_ = false;
      return;
    }
    if (!unknown_lines_++) first_unknown_ = line_no_;
    last_was_frame_ = false;
  }

  // perf script --header: keeps what the recording was ("# cmdline : perf record -g ./work").
  void comment(std::string_view line) {
    std::string_view t = line.substr(1);
    while (!t.empty() && (t.front() == ' ')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.remove_suffix(1);
    for (std::string_view key : {"cmdline", "hostname", "os release", "perf version", "captured on"})
      if (t.substr(0, key.size()) == key && p_.meta.comments.size() < 16) {
        p_.meta.comments.push_back(p_.strings.intern(t));
        return;
      }
  }

  int64_t number(std::string_view text, size_t col, const char* what) {
    int64_t v = 0;
    for (char c : text) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
        fail(col, fmt::format("{} {} does not fit in 64 bits", what, text.substr(0, 40)));
    }
    return v;
  }

  void begin_record(const PerfHeader& h) {
    in_record_ = true;
    record_line_ = line_no_;
    last_was_frame_ = false;
    java_ = h.comm.substr(0, 4) == "java";
    cur_ = Record{};
    const size_t col = h.pid_col;
    if (h.tid_text.empty()) {
      cur_.tid = number(h.pid_text, col, "thread id");
    } else {
      cur_.pid = number(h.pid_text, col, "process id");
      cur_.tid = number(h.tid_text, col, "thread id");
    }
    // The script's `$period = 1 if not $period`: a missing or "0" period counts 1.
    if (!h.period_text.empty() && h.period_text != "0" && (h.script_event || !h.trailing.empty()))
      cur_.period = number(h.period_text, h.period_col, "period");
    cur_.event = event_index(h.event);
    if (cur_.event == kNoEvent) ++extra_event_samples_;
    cur_.comm = p_.strings.intern(h.comm);
    int64_t t = 0;
    if (!h.time_text.empty() && parse_perf_time(h.time_text, &t)) {
      first_ns_ = std::min(first_ns_, t);
      last_ns_ = std::max(last_ns_, t);
    }
    root_name_ = root_ == PerfRoot::kNone ? std::string() : perf_process_name(h, root_);
    groups_.clear();
    // Without -g perf prints the sample's own frame after the event on the header line.
    PerfFrameLine f;
    if (!h.trailing.empty() && parse_perf_frame(h.trailing, &f) && is_hex_word(f.pc)) add_frame(f);
  }

  // The event's index, or kNoEvent past kMaxEvents (every sample holds a value per value type,
  // so a file of hundreds of tracepoint events would cost that much per sample).
  uint32_t event_index(std::string_view event) {
    if (event.empty()) event = "events";
    auto it = event_ids_.find(event);
    if (it != event_ids_.end()) return it->second;
    if (events_.size() == kMaxEvents) {
      if (!extra_event_samples_) first_extra_ = line_no_;
      return kNoEvent;
    }
    events_.emplace_back(event);
    const auto id = static_cast<uint32_t>(events_.size() - 1);
    event_ids_.emplace(events_.back(), id);
    return id;
  }

  void add_frame(const PerfFrameLine& f) {
    const bool java = java_;
    auto& cache = java ? java_cache_ : cache_;
    auto it = cache.find(f.key);
    if (it == cache.end()) {
      FrameGroup g;
      std::vector<std::string> names;
      tidy_perf_frame(f, java, &names, &g.skipped);
      g.begin = static_cast<uint32_t>(group_frames_.size());
      g.count = static_cast<uint32_t>(names.size());
      StrId dso = p_.strings.intern(f.dso);
      for (const std::string& n : names) {
        Frame fr;
        fr.function = p_.strings.intern(n);
        fr.mapping = dso;
        group_frames_.push_back(p_.intern_frame(fr));
      }
      if (g.skipped && skipped_example_.empty()) skipped_example_ = std::string(f.rawfunc.substr(0, 80));
      it = cache.emplace(f.key, g).first;
    }
    if (it->second.skipped) ++skipped_frames_;
    groups_.push_back(it->second);
  }

  // A -F+srcline location under the last frame: its frames get the file and line.
  void set_srcline(std::string_view file, int64_t line) {
    if (groups_.empty()) return;
    FrameGroup g = groups_.back();
    FrameGroup located{static_cast<uint32_t>(group_frames_.size()), g.count, g.skipped};
    StrId f = p_.strings.intern(file);
    for (uint32_t k = 0; k < g.count; ++k) {
      Frame fr = p_.frames()[group_frames_[g.begin + k]];
      fr.file = f;
      fr.line = line;
      group_frames_.push_back(p_.intern_frame(fr));
    }
    groups_.back() = located;
  }

  // perf ends every record of -g output with a blank line; stackcollapse-perf.pl counts a record
  // only there. In such a file a last record without one is left out as the script leaves it
  // out (its stack may be cut short, too); output without -g ends no record with a blank line.
  void end_last_record() {
    if (in_record_ && blank_ends_) {
      in_record_ = false;
      p_.warn(fmt::format("the last sample (line {}) has no blank line after it: left out, as "
                          "stackcollapse-perf.pl leaves it out (the file may be cut short)",
                          record_line_));
      return;
    }
    end_record();
  }

  void end_record() {
    if (!in_record_) return;
    in_record_ = false;
    stack_.clear();
    if (!root_name_.empty()) {
      Frame fr;
      fr.function = p_.strings.intern(root_name_);
      stack_.push_back(p_.intern_frame(fr));
    }
    for (size_t k = groups_.size(); k-- > 0;) {
      const FrameGroup& g = groups_[k];
      for (uint32_t j = 0; j < g.count; ++j) stack_.push_back(group_frames_[g.begin + j]);
    }
    if (cur_.event == kNoEvent) return;  // counted in begin_record
    if (stack_.empty()) {
      ++empty_records_;
      return;
    }
    cur_.list = p_.add_stack_list(stack_.data(), stack_.size());
    records_.push_back(cur_);
  }

  void finish() {
    if (records_.empty())
      throw InputError::in_file(in_.path,
                                "no perf script samples found (expected a header like 'COMM PID "
                                "TIME: PERIOD EVENT:' followed by frame lines)");
    const bool one = events_.size() == 1;
    auto count = p_.strings.intern("count");
    for (const std::string& e : events_) {
      std::string_view base = std::string_view(e).substr(0, e.find(':'));
      bool ns = base == "cpu-clock" || base == "task-clock";
      p_.value_types.push_back({p_.strings.intern(one ? "samples" : e + "_samples"), count, 1});
      p_.value_types.push_back(
          {p_.strings.intern(e), ns ? p_.strings.intern("nanoseconds") : count, 1});
    }
    p_.meta.default_sample_type = p_.strings.intern(events_[0]);
    if (first_ns_ <= last_ns_) p_.meta.duration_ns = last_ns_ - first_ns_;
    const StrId k_comm = p_.strings.intern("comm"), k_pid = p_.strings.intern("pid"),
                k_tid = p_.strings.intern("tid");
    std::vector<int64_t> values(p_.value_types.size(), 0);
    for (const Record& r : records_) {
      values[2 * r.event] = 1;
      values[2 * r.event + 1] = r.period;
      Label labels[3];
      uint32_t n = 0;
      labels[n++] = Label{k_comm, r.comm, 0, 0};
      if (r.pid >= 0) labels[n++] = Label{k_pid, 0, r.pid, 0};
      labels[n++] = Label{k_tid, 0, r.tid, 0};
      p_.add_list_sample(r.list, values.data(), labels, n);
      values[2 * r.event] = values[2 * r.event + 1] = 0;
    }
    if (unknown_lines_)
      p_.warn(fmt::format("lines that are neither a sample header nor a stack frame were skipped "
                          "(the first at line {})",
                          first_unknown_),
              unknown_lines_);
    if (orphan_frames_)
      p_.warn(fmt::format("frame lines before the first sample header were skipped (the first at "
                          "line {})",
                          first_orphan_),
              orphan_frames_);
    if (skipped_frames_)
      p_.warn(fmt::format("frames whose name starts with '(' were left out, as stackcollapse-perf.pl "
                          "does (e.g. '{}')",
                          skipped_example_),
              skipped_frames_);
    if (empty_records_) p_.warn("samples without any frame were skipped", empty_records_);
    if (extra_event_samples_)
      p_.warn(fmt::format("samples of events past the first {} were skipped (the first at line "
                          "{}): each event is a value type of every sample",
                          kMaxEvents, first_extra_),
              extra_event_samples_);
    if (events_.size() > 1)
      p_.warn(fmt::format("{} events ({}): each is its own value type; the default is {}, the "
                          "first (stackcollapse-perf.pl keeps only that one)",
                          events_.size(), fmt::join(events_, ", "), events_[0]));
  }

  const InputBuffer& in_;
  Profile& p_;
  PerfRoot root_;
  uint64_t line_no_ = 0;
  bool in_record_ = false;
  bool blank_ends_ = false;  // a blank line ended a record: -g output
  uint64_t record_line_ = 0;
  bool last_was_frame_ = false;
  bool java_ = false;
  Record cur_;
  std::string root_name_;
  std::vector<FrameGroup> groups_;  // the record's frame lines, leaf first
  std::vector<FrameId> group_frames_;
  std::unordered_map<std::string_view, FrameGroup, ViewHash> cache_, java_cache_;
  std::vector<FrameId> stack_;
  std::vector<Record> records_;
  std::deque<std::string> events_;  // stable: event_ids_ keys are views of them
  std::unordered_map<std::string_view, uint32_t, ViewHash> event_ids_;
  int64_t extra_event_samples_ = 0;
  uint64_t first_extra_ = 0;
  int64_t first_ns_ = INT64_MAX, last_ns_ = INT64_MIN;
  int64_t unknown_lines_ = 0, orphan_frames_ = 0, skipped_frames_ = 0, empty_records_ = 0;
  uint64_t first_unknown_ = 0, first_orphan_ = 0;
  std::string skipped_example_;
};

}  // namespace

// A first data line that is a sample header with an event, then a frame line (perf record -g) or
// another header (without -g).
Probe probe_perf_script(std::string_view content) {
  int state = 0;  // 0: before the first header, 1: after it
  Probe result = Probe::kNo;
  for_each_line(content.substr(0, kProbeBytes), [&](uint64_t, std::string_view line) {
    if ((!line.empty() && line[0] == '#') || is_blank(line)) return true;
    PerfHeader h;
    bool header = (parse_perf_header(line, &h) || padded_header(line, &h)) && !h.event.empty();
    if (state == 0) {
      if (!header) return false;
      state = 1;
      result = Probe::kMaybe;
      return true;
    }
    PerfFrameLine f;
    if (header || (std::isspace(static_cast<unsigned char>(line[0])) && parse_perf_frame(line, &f)))
      result = Probe::kYes;
    return false;
  });
  return result;
}

namespace {
PerfRoot g_perf_root = PerfRoot::kComm;
}  // namespace

void set_perf_root(PerfRoot root) { g_perf_root = root; }
PerfRoot perf_root() { return g_perf_root; }

void read_perf_script(const InputBuffer& in, Profile& p, const ReadOptions&) {
  p.format = "perf";
  p.flavor = "perf-script";
  PerfParser parser(in, p, g_perf_root);
  parser.run();
}

}  // namespace perfkit
