// `perfkit gpu --format json`: every device, stream, cause and work row, integer nanoseconds.
#include "reports/gpu_report.h"
#include "reports/report_util.h"

namespace perfkit {
namespace {

const char* cause_kind(GpuIdleCause::Kind k) {
  using K = GpuIdleCause::Kind;
  switch (k) {
    case K::kCpuSpan:
      return "cpu_span";
    case K::kCpuUntraced:
      return "cpu_untraced";
    case K::kLaunchLatency:
      return "launch_latency";
    case K::kQueued:
      return "queued";
    case K::kUnlinked:
      return "unlinked";
  }
  return "";
}

nlohmann::ordered_json delay_json(const GpuDelay& d) {
  return {{"count", d.count},   {"mean_ns", d.mean_ns}, {"p50_ns", d.p50_ns},
          {"p90_ns", d.p90_ns}, {"p99_ns", d.p99_ns},   {"max_ns", d.max_ns}};
}

nlohmann::ordered_json stream_json(const GpuStream& s) {
  nlohmann::ordered_json j;
  j["stream"] = s.stream;
  j["name"] = s.name;
  j["first_ns"] = s.first_ns;
  j["last_ns"] = s.last_ns;
  j["busy_ns"] = s.busy_ns;
  j["idle_ns"] = s.idle_ns;
  j["items"] = s.items;
  j["kernel_ns"] = s.kernel_ns;
  j["memcpy_ns"] = s.memcpy_ns;
  j["memset_ns"] = s.memset_ns;
  j["memcpy_bytes"] = s.memcpy_bytes;
  j["memset_bytes"] = s.memset_bytes;
  j["host_wait_ns"] = s.host_wait_ns;
  j["kernel_wait_ns"] = s.kernel_wait_ns;
  j["other_wait_ns"] = s.other_wait_ns;
  j["host_wait_gaps"] = s.host_wait_gaps;
  j["kernel_wait_gaps"] = s.kernel_wait_gaps;
  j["other_wait_gaps"] = s.other_wait_gaps;
  return j;
}

}  // namespace

nlohmann::ordered_json gpu_json(const GpuSummary& g) {
  nlohmann::ordered_json j;
  auto devices = nlohmann::ordered_json::array();
  for (const GpuDevice& d : g.devices) {
    nlohmann::ordered_json dj;
    dj["device"] = d.device;
    dj["name"] = d.name;
    dj["first_ns"] = d.first_ns;
    dj["last_ns"] = d.last_ns;
    dj["busy_ns"] = d.busy_ns;
    dj["idle_ns"] = d.idle_ns;
    dj["kernel_busy_ns"] = d.kernel_busy_ns;
    dj["idle_gaps"] = d.idle_gaps;
    dj["waited_on_cpu_ns"] = d.waited_on_cpu_ns;
    auto causes = nlohmann::ordered_json::array();
    for (const GpuIdleCause& c : d.causes)
      causes.push_back({{"kind", cause_kind(c.kind)},
                        {"name", c.name},
                        {"cat", c.cat},
                        {"sync", c.sync},
                        {"ns", c.ns},
                        {"gaps", c.gaps}});
    dj["causes"] = std::move(causes);
    auto streams = nlohmann::ordered_json::array();
    for (size_t s : d.streams) streams.push_back(stream_json(g.streams[s]));
    dj["streams"] = std::move(streams);
    devices.push_back(std::move(dj));
  }
  j["devices"] = std::move(devices);
  auto work = nlohmann::ordered_json::array();
  for (const GpuWorkRow& r : g.work)
    work.push_back({{"kind", gpu_work_kind_name(r.kind)},
                    {"name", r.name},
                    {"count", r.count},
                    {"total_ns", r.total_ns},
                    {"mean_ns", r.mean_ns},
                    {"min_ns", r.min_ns},
                    {"max_ns", r.max_ns},
                    {"bytes", r.bytes}});
  j["work"] = std::move(work);
  j["work_items"] = g.work_items;
  j["kernels"] = g.kernels;
  j["memcpys"] = g.memcpys;
  j["memsets"] = g.memsets;
  j["linked"] = g.linked;
  j["linked_by_flow"] = g.linked_by_flow;
  j["launch_delay"] = delay_json(g.launch_delay);
  j["queue_delay"] = delay_json(g.queue_delay);
  j["cpu_launch_ns"] = g.cpu_launch_ns;
  j["kernel_wait_threshold_ns"] = g.kernel_wait_threshold_ns;
  return j;
}

std::string render_gpu_json(const GpuSummary& g) {
  nlohmann::ordered_json j;
  j["path"] = g.path;
  nlohmann::ordered_json body = gpu_json(g);
  for (auto& [k, v] : body.items()) j[k] = std::move(v);
  return dump_json(j);
}

}  // namespace perfkit
