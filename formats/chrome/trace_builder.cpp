#include "formats/chrome/trace_builder.h"

#include <algorithm>

#include <fmt/format.h>

#include "lib/huge_pages.h"

namespace perfkit {
namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

bool add_overflows(int64_t a, int64_t b, int64_t& out) { return __builtin_add_overflow(a, b, &out); }

}  // namespace

size_t TraceBuilder::ThreadKeyHash::operator()(const ThreadKey& k) const noexcept {
  return mix(static_cast<uint64_t>(k.pid), static_cast<uint64_t>(k.tid));
}

size_t TraceBuilder::AsyncKeyHash::operator()(const AsyncKey& k) const noexcept {
  uint64_t h = mix(k.cat, k.id);
  h = mix(h, k.scope);
  h = mix(h, k.name);
  return mix(h, static_cast<uint64_t>(k.pid));
}

TraceBuilder::Thread& TraceBuilder::thread(int64_t pid, int64_t tid) {
  if (last_thread_ != UINT32_MAX) {
    Thread& t = threads_[last_thread_];
    if (t.pid == pid && t.tid == tid) return t;
  }
  auto [it, inserted] = thread_index_.try_emplace(ThreadKey{pid, tid}, threads_.size());
  if (inserted) threads_.push_back(Thread{pid, tid, INT64_MIN, {}});
  last_thread_ = it->second;
  return threads_[it->second];
}

// The thread of an event, its last timestamp moved to at least end_ns.
TraceBuilder::Thread& TraceBuilder::touch(const ChromeEvent& ev, int64_t end_ns) {
  Thread& t = thread(ev.pid, ev.tid);
  t.last_ns = std::max(t.last_ns, end_ns);
  last_ns_ = std::max(last_ns_, end_ns);
  return t;
}

// ts (and dur when needed) must be present and parse; dur must not be negative.
bool TraceBuilder::time_ok(const ChromeEvent& ev, bool need_dur) {
  if (!ev.has_ts) return ++missing_ts_, false;
  if (ev.ts_status != DecimalStatus::kOk) return ++bad_ts_, false;
  if (!need_dur) return true;
  if (!ev.has_dur) return ++missing_dur_, false;
  if (ev.dur_status != DecimalStatus::kOk) return ++bad_dur_, false;
  if (ev.dur_ns < 0) return ++negative_dur_, false;
  int64_t end;
  if (add_overflows(ev.ts_ns, ev.dur_ns, end)) return ++bad_dur_, false;
  return true;
}

void TraceBuilder::add_span(const ChromeEvent& ev, SpanKind kind, int64_t dur_ns) {
  Span s;
  s.pid = ev.pid;
  s.tid = ev.tid;
  s.name = ev.name;
  s.cat = ev.cat;
  s.start_ns = ev.ts_ns;
  s.dur_ns = dur_ns;
  s.kind = kind;
  p_.spans.push_back(s);
}

void TraceBuilder::set_name(std::map<int64_t, std::string>& names, int64_t key, StrId value) {
  std::string_view v = p_.strings[value];
  auto [it, inserted] = names.try_emplace(key, v);
  if (!inserted && it->second != v) ++metadata_conflicts_, it->second = v;
}

void TraceBuilder::add_metadata(const ChromeEvent& ev) {
  std::string_view what = p_.strings[ev.name];
  if (what == "process_name") {
    set_name(p_.process_names, ev.pid, ev.arg_name);
  } else if (what == "thread_name") {
    std::string_view v = p_.strings[ev.arg_name];
    auto [it, inserted] = p_.thread_names.try_emplace(ThreadKey{ev.pid, ev.tid}, v);
    if (!inserted && it->second != v) ++metadata_conflicts_, it->second = v;
  } else if (what == "process_sort_index" && ev.has_sort_index) {
    p_.process_sort_index[ev.pid] = ev.sort_index;
  } else if (what == "thread_sort_index" && ev.has_sort_index) {
    p_.thread_sort_index[ThreadKey{ev.pid, ev.tid}] = ev.sort_index;
  }
}

TraceBuilder::CatKind TraceBuilder::cat_kind(StrId cat) {
  if (cat >= cat_kinds_.size()) cat_kinds_.resize(cat + 1, CatKind::kUnseen);
  CatKind& k = cat_kinds_[cat];
  if (k == CatKind::kUnseen) {
    const std::string_view c = p_.strings[cat];
    k = c == "kernel" || c == "gpu_memcpy" || c == "gpu_memset" || c == "Kernel" || c == "Memcpy" ||
                c == "Memset"
            ? CatKind::kDevice
        : c == "cuda_runtime" || c == "cuda_driver" || c == "Runtime" || c == "Driver"
            ? CatKind::kLaunch
        : c == "ac2g" ? CatKind::kFlow
                      : CatKind::kOther;
  }
  return k;
}

// args.correlation (and args.bytes) of a launch or of GPU work; nothing when args has none.
void TraceBuilder::add_gpu_link(const ChromeEvent& ev, CatKind kind) {
  if (kind == CatKind::kDevice) {
    const ThreadKey t{ev.pid, ev.tid};
    if (device_threads_.empty() || !(device_threads_.back() == t)) device_threads_.push_back(t);
  }
  if (ev.args_raw.empty()) return;
  namespace ondemand = simdjson::ondemand;
  // The raw text lies inside a padded buffer (the window or the input): parsed in place.
  ondemand::document doc;
  if (args_parser_
          .iterate(ev.args_raw.data(), ev.args_raw.size(),
                   ev.args_raw.size() + simdjson::SIMDJSON_PADDING)
          .get(doc))
    return;
  ondemand::object obj;
  if (doc.get_object().get(obj)) return;
  Profile::SpanCorrelation link{static_cast<uint32_t>(p_.spans.size() - 1), -1, -1};
  for (auto fr : obj) {
    ondemand::field f;
    std::string_view key;
    if (std::move(fr).get(f) || f.unescaped_key().get(key)) return;
    int64_t v = 0;
    if (key == "correlation" && f.value().get_int64().get(v) == simdjson::SUCCESS)
      link.correlation = v;
    else if (key == "bytes" && f.value().get_int64().get(v) == simdjson::SUCCESS)
      link.bytes = v;
  }
  if (link.correlation >= 0 || link.bytes >= 0) p_.correlations.push_back(link);
}

void TraceBuilder::size_spans(size_t events, size_t bytes, size_t total_bytes) {
  if (sized_ || events == 0 || bytes == 0) return;
  sized_ = true;
  const double per_byte = static_cast<double>(events) / static_cast<double>(bytes);
  p_.spans.reserve(static_cast<size_t>(per_byte * static_cast<double>(total_bytes) * 1.05) + 16);
  ask_huge_pages(p_.spans.data(), p_.spans.capacity() * sizeof(Span));
}

void TraceBuilder::add(const ChromeEvent& ev) {
  if (ev.empty) return;  // the `{}` sentinel some writers end with
  if (ev.ph == 0) {
    ++no_ph_;
    return;
  }
  ++events_;
  if (ev.ph >= by_ph_.size()) by_ph_.resize(ev.ph + 1, 0);
  ++by_ph_[ev.ph];
  if (ev.pid_str) string_pids_.try_emplace(ev.pid, ev.pid_str);
  if (ev.tid_str) string_tids_.try_emplace(ThreadKey{ev.pid, ev.tid}, ev.tid_str);
  const bool one_char = p_.strings[ev.ph].size() == 1;
  const char ph = one_char ? ev.ph0 : 0;
  if (!ev.args_raw.empty()) {
    const std::string_view name = p_.strings[ev.name];
    if (ph == 'P' || name == "CpuProfile") cpu_profiles_.add(ev, name);
  }
  switch (ph) {
    case 'X': {
      if (!time_ok(ev, true)) return;
      touch(ev, ev.ts_ns + ev.dur_ns);
      add_span(ev, SpanKind::kComplete, ev.dur_ns);
      if (ev.cat) {
        const CatKind kind = cat_kind(ev.cat);
        if (kind == CatKind::kDevice || kind == CatKind::kLaunch) add_gpu_link(ev, kind);
      }
      return;
    }
    case 'B': {
      if (!time_ok(ev, false)) return;
      Thread& t = touch(ev, ev.ts_ns);
      t.open.push_back(static_cast<uint32_t>(p_.spans.size()));
      add_span(ev, SpanKind::kComplete, -1);
      return;
    }
    case 'E': {
      if (!time_ok(ev, false)) return;
      Thread& t = touch(ev, ev.ts_ns);
      if (t.open.empty()) {
        ++e_without_b_;
        return;
      }
      Span& s = p_.spans[t.open.back()];
      t.open.pop_back();
      if (ev.name && ev.name != s.name) ++e_name_mismatch_;
      if (ev.ts_ns < s.start_ns) ++e_before_b_;
      s.dur_ns = std::max<int64_t>(0, ev.ts_ns - s.start_ns);
      return;
    }
    case 'i':
    case 'I': {
      if (!time_ok(ev, false)) return;
      touch(ev, ev.ts_ns);
      add_span(ev, SpanKind::kInstant, 0);
      return;
    }
    case 'b':
    case 'e':
    case 'n': {
      if (!time_ok(ev, false)) return;
      last_ns_ = std::max(last_ns_, ev.ts_ns);
      if (ph == 'n') return add_span(ev, SpanKind::kAsync, 0);
      AsyncKey key{ev.cat, ev.id, ev.scope, ev.name, ev.id_local ? ev.pid : 0};
      if (ph == 'b') {
        open_async_[key].push_back(static_cast<uint32_t>(p_.spans.size()));
        return add_span(ev, SpanKind::kAsync, -1);
      }
      auto it = open_async_.find(key);
      if (it == open_async_.end() || it->second.empty()) {
        ++async_e_unmatched_;
        return;
      }
      Span& s = p_.spans[it->second.back()];
      it->second.pop_back();
      s.dur_ns = std::max<int64_t>(0, ev.ts_ns - s.start_ns);
      return;
    }
    case 'M':
      return add_metadata(ev);
    case 's':
    case 't':
    case 'f':
      if (ev.cat && ev.id && cat_kind(ev.cat) == CatKind::kFlow && ev.has_ts &&
          ev.ts_status == DecimalStatus::kOk)
        p_.flows.push_back(Profile::FlowPoint{ev.id, ph, ev.pid, ev.tid, ev.ts_ns});
      return;
    default:  // counters, flows, samples, objects, ...: counted only
      return;
  }
}

void TraceBuilder::finish() {
  std::sort(device_threads_.begin(), device_threads_.end());
  device_threads_.erase(std::unique(device_threads_.begin(), device_threads_.end()),
                        device_threads_.end());
  p_.device_threads = device_threads_;
  for (StrId id = 0; id < by_ph_.size(); ++id)
    if (by_ph_[id]) p_.events_by_phase[std::string(p_.strings[id])] += by_ph_[id];
  for (const auto& [pid, name] : string_pids_)
    if (!p_.process_names.count(pid)) p_.process_names[pid] = p_.strings[name];
  for (const auto& [key, name] : string_tids_)
    if (!p_.thread_names.count(key)) p_.thread_names[key] = p_.strings[name];

  int64_t unclosed = 0, unclosed_async = 0;
  for (Thread& t : threads_) {
    for (uint32_t i : t.open) {
      Span& s = p_.spans[i];
      s.dur_ns = std::max<int64_t>(0, t.last_ns - s.start_ns);
      s.unclosed = true;
      ++unclosed;
    }
    t.open.clear();
  }
  for (auto& [key, open] : open_async_) {
    for (uint32_t i : open) {
      Span& s = p_.spans[i];
      s.dur_ns = std::max<int64_t>(0, last_ns_ - s.start_ns);
      s.unclosed = true;
      ++unclosed_async;
    }
  }
  open_async_.clear();

  auto warn = [&](int64_t n, std::string_view what) {
    if (n) p_.warn(std::string(what), n);
  };
  warn(no_ph_, "events without \"ph\" skipped");
  warn(missing_ts_, "events without \"ts\" dropped");
  warn(bad_ts_, "events with an unparsable or out-of-range \"ts\" (NaN, Infinity, > int64 ns) dropped");
  warn(missing_dur_, "X events without \"dur\" dropped");
  warn(bad_dur_, "X events with an unparsable or out-of-range \"dur\" dropped");
  warn(negative_dur_, "X events with a negative \"dur\" dropped");
  warn(e_without_b_, "E events without an open B on their thread ignored");
  warn(e_name_mismatch_, "E events whose name differs from the B they close (closed anyway, LIFO)");
  warn(e_before_b_, "E events earlier than their B (span kept with duration 0)");
  warn(unclosed, "B events never ended: closed at their thread's last timestamp");
  warn(async_e_unmatched_, "async e events without a matching b ignored");
  warn(unclosed_async, "async b events never ended: closed at the trace's last timestamp");
  warn(metadata_conflicts_, "metadata events renaming a process or thread (last name wins)");
}

}  // namespace perfkit
