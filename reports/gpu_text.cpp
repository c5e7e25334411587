// `perfkit gpu` as text and Markdown, and the sentences `perfkit report` shows for GPU traces.
#include <fmt/format.h>

#include "lib/units.h"
#include "reports/gpu_report.h"
#include "reports/report_util.h"

namespace perfkit {
namespace {

using units::human_bytes;
using units::human_duration_ns;
using units::human_percent;

double pct(int64_t part, int64_t whole) { return whole > 0 ? 100.0 * part / whole : 0; }

std::string delay_line(const char* what, const GpuDelay& d) {
  if (d.count == 0) return fmt::format("{}: none linked\n", what);
  return fmt::format("{}: {} items, mean {}, p50 {}, p90 {}, p99 {}, max {}\n", what, d.count,
                     human_duration_ns(d.mean_ns), human_duration_ns(d.p50_ns),
                     human_duration_ns(d.p90_ns), human_duration_ns(d.p99_ns),
                     human_duration_ns(d.max_ns));
}

std::string device_headline(const GpuDevice& d) {
  const int64_t window = d.last_ns - d.first_ns;
  return fmt::format("{}: busy {} of its {} window ({} busy, {} idle in {} gaps)", d.name,
                     human_percent(pct(d.busy_ns, window)), human_duration_ns(window),
                     human_duration_ns(d.busy_ns), human_duration_ns(d.idle_ns), d.idle_gaps);
}

std::string waited_line(const GpuDevice& d) {
  return fmt::format(
      "the GPU waited on the CPU for {} ({} of its idle time): the next work was not launched yet",
      human_duration_ns(d.waited_on_cpu_ns), human_percent(pct(d.waited_on_cpu_ns, d.idle_ns)));
}

std::string headline(const GpuSummary& g) {
  std::string s = fmt::format(
      "GPU activity: {}: {} device{}, {} stream{}, {} kernels, {} memcpy, {} memset; {} of {} "
      "linked to their launch",
      g.path, g.devices.size(), g.devices.size() == 1 ? "" : "s", g.streams.size(),
      g.streams.size() == 1 ? "" : "s", g.kernels, g.memcpys, g.memsets, g.linked, g.work_items);
  if (g.linked_by_flow) s += fmt::format(" ({} through ac2g flows)", g.linked_by_flow);
  return s;
}

}  // namespace

std::string gpu_cause_label(const GpuIdleCause& c) {
  using K = GpuIdleCause::Kind;
  switch (c.kind) {
    case K::kCpuSpan:
      // A record_function range or ProfilerStep#N as the innermost span: the thread was in no op.
      if (c.cat == "user_annotation")
        return fmt::format(
            "{} (user_annotation; in no op: Python between ops, the GIL, untraced "
            "work)",
            c.name);
      return fmt::format("{} ({}{})", c.name, c.cat.empty() ? "no category" : c.cat,
                         c.sync ? ", a synchronisation" : "");
    case K::kCpuUntraced:
      return "no span on the launching thread (Python between ops, the GIL, untraced work)";
    case K::kLaunchLatency:
      return "launch latency (from the launch call's return until the GPU starts the work)";
    case K::kQueued:
      return "launched before the GPU went idle (waiting on an event, another stream or the "
             "queue)";
    case K::kUnlinked:
      return "the next work has no launch in the trace (no correlation or flow)";
  }
  return "";
}

std::vector<std::string> gpu_findings(const GpuSummary& g) {
  std::vector<std::string> out;
  for (const GpuDevice& d : g.devices) {
    const int64_t window = d.last_ns - d.first_ns;
    std::string s = fmt::format("{} was idle {} of its active window ({} of {}).", d.name,
                                human_percent(pct(d.idle_ns, window)), human_duration_ns(d.idle_ns),
                                human_duration_ns(window));
    if (d.waited_on_cpu_ns > 0) {
      s += fmt::format(
          " For {} of that ({} of the idle time) the next work had not been launched: the GPU "
          "waited on the CPU",
          human_duration_ns(d.waited_on_cpu_ns), human_percent(pct(d.waited_on_cpu_ns, d.idle_ns)));
      std::string parts;
      int n = 0;
      for (const GpuIdleCause& c : d.causes) {
        if (c.kind != GpuIdleCause::Kind::kCpuSpan && c.kind != GpuIdleCause::Kind::kCpuUntraced)
          continue;
        if (n++ == 3) break;
        parts += fmt::format("{}{} in {}", parts.empty() ? "" : ", ", human_duration_ns(c.ns),
                             gpu_cause_label(c));
      }
      s += parts.empty() ? "." : ", whose launching thread spent " + parts + ".";
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::string render_gpu_text(const GpuSummary& g, size_t top) {
  std::string out = headline(g) + "\n";
  for (const GpuDevice& d : g.devices) {
    out += "\n" + device_headline(d) + "\n";
    out += "  " + waited_line(d) + "\n";
    out += "  idle time by cause (what the launching CPU thread was doing):\n";
    out += fmt::format("  {:>9} {:>7} {:>6}  {}\n", "time", "idle%", "gaps", "cause");
    size_t shown = 0;
    for (const GpuIdleCause& c : d.causes) {
      if (top && shown++ == top) {
        out += fmt::format("  ({} more causes)\n", d.causes.size() - top);
        break;
      }
      out += fmt::format("  {:>9} {:>7} {:>6}  {}\n", human_duration_ns(c.ns),
                         human_percent(pct(c.ns, d.idle_ns)), c.gaps, gpu_cause_label(c));
    }
    out += fmt::format("  {:<14} {:>8} {:>6} {:>6} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10}\n",
                       "stream", "busy", "busy%", "items", "kernels", "memcpy", "memset",
                       "host wait", "kern wait", "other");
    for (size_t si : d.streams) {
      const GpuStream& s = g.streams[si];
      out += fmt::format("  {:<14} {:>8} {:>6} {:>6} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10}\n",
                         s.name, human_duration_ns(s.busy_ns),
                         human_percent(pct(s.busy_ns, s.last_ns - s.first_ns)), s.items,
                         human_duration_ns(s.kernel_ns), human_duration_ns(s.memcpy_ns),
                         human_duration_ns(s.memset_ns), human_duration_ns(s.host_wait_ns),
                         human_duration_ns(s.kernel_wait_ns), human_duration_ns(s.other_wait_ns));
    }
  }
  out += fmt::format("\nGPU work by name ({} of {}):\n",
                     top && g.work.size() > top ? top : g.work.size(), g.work.size());
  out += fmt::format("  {:>9} {:>7} {:>9} {:>9} {:>9}  {:<7} {}\n", "total", "count", "mean", "max",
                     "bytes", "kind", "name");
  for (size_t i = 0; i < g.work.size() && (!top || i < top); ++i) {
    const GpuWorkRow& r = g.work[i];
    out += fmt::format("  {:>9} {:>7} {:>9} {:>9} {:>9}  {:<7} {}\n", human_duration_ns(r.total_ns),
                       r.count, human_duration_ns(r.mean_ns), human_duration_ns(r.max_ns),
                       r.kind == GpuWorkKind::kKernel ? "" : human_bytes(r.bytes),
                       gpu_work_kind_name(r.kind), r.name);
  }
  out += "\n" + delay_line("launch delay (work start - launch end)", g.launch_delay);
  out += delay_line("queue delay (work start - launch start)", g.queue_delay);
  out += fmt::format("CPU time in the launch calls: {}; kernel-wait threshold {}\n",
                     human_duration_ns(g.cpu_launch_ns),
                     human_duration_ns(g.kernel_wait_threshold_ns));
  return out;
}

std::string render_gpu_md(const GpuSummary& g, size_t top) {
  std::string out = "### " + md_cell(headline(g)) + "\n";
  for (const GpuDevice& d : g.devices) {
    out += "\n#### " + md_cell(device_headline(d)) + "\n\n" + md_cell(waited_line(d)) + ".\n\n";
    out += "| time | idle% | gaps | cause |\n|--:|--:|--:|:--|\n";
    for (size_t i = 0; i < d.causes.size() && (!top || i < top); ++i) {
      const GpuIdleCause& c = d.causes[i];
      out += fmt::format("| {} | {} | {} | {} |\n", human_duration_ns(c.ns),
                         human_percent(pct(c.ns, d.idle_ns)), c.gaps, md_cell(gpu_cause_label(c)));
    }
    out +=
        "\n| stream | busy | busy% | items | kernels | memcpy | memset | host wait | kernel "
        "wait | other wait |\n|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n";
    for (size_t si : d.streams) {
      const GpuStream& s = g.streams[si];
      out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", md_cell(s.name),
                         human_duration_ns(s.busy_ns),
                         human_percent(pct(s.busy_ns, s.last_ns - s.first_ns)), s.items,
                         human_duration_ns(s.kernel_ns), human_duration_ns(s.memcpy_ns),
                         human_duration_ns(s.memset_ns), human_duration_ns(s.host_wait_ns),
                         human_duration_ns(s.kernel_wait_ns), human_duration_ns(s.other_wait_ns));
    }
  }
  out +=
      "\n#### GPU work by name\n\n| total | count | mean | max | kind | name |\n"
      "|--:|--:|--:|--:|:--|:--|\n";
  for (size_t i = 0; i < g.work.size() && (!top || i < top); ++i) {
    const GpuWorkRow& r = g.work[i];
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", human_duration_ns(r.total_ns), r.count,
                       human_duration_ns(r.mean_ns), human_duration_ns(r.max_ns),
                       gpu_work_kind_name(r.kind), md_code(r.name));
  }
  for (const auto& [what, d] :
       {std::pair{"launch delay (work start - launch end)", &g.launch_delay},
        {"queue delay (work start - launch start)", &g.queue_delay}}) {
    std::string line = delay_line(what, *d);
    line.pop_back();  // its newline
    out += "\n" + md_cell(line) + "\n";
  }
  return out;
}

}  // namespace perfkit
