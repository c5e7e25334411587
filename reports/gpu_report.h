// `perfkit gpu` (lib/gpu.h) as text, Markdown and JSON, and the GPU section of `perfkit report`.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/gpu.h"

namespace perfkit {

// `top` rows of work by name and of idle causes per device (0 = all).
std::string render_gpu_text(const GpuSummary& g, size_t top);
std::string render_gpu_md(const GpuSummary& g, size_t top);
// {"devices": [{"device", "name", "first_ns", "last_ns", "busy_ns", "idle_ns", "kernel_busy_ns",
//   "idle_gaps", "waited_on_cpu_ns", "causes": [{"kind", "name", "cat", "sync", "ns", "gaps"}],
//   "streams": [{"stream", "name", "first_ns", "last_ns", "busy_ns", "idle_ns", "items",
//   "kernel_ns", "memcpy_ns", "memset_ns", "memcpy_bytes", "memset_bytes", "host_wait_ns",
//   "kernel_wait_ns", "other_wait_ns", "host_wait_gaps", "kernel_wait_gaps", "other_wait_gaps"}]}],
//  "work": [{"kind", "name", "count", "total_ns", "mean_ns", "min_ns", "max_ns", "bytes"}],
//  "work_items", "kernels", "memcpys", "memsets", "linked", "linked_by_flow",
//  "launch_delay": {"count", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns"}, "queue_delay",
//  "cpu_launch_ns", "kernel_wait_threshold_ns"}: every row, integer nanoseconds.
nlohmann::ordered_json gpu_json(const GpuSummary& g);
std::string render_gpu_json(const GpuSummary& g);

// One sentence per device for `perfkit report`: how idle it was and what the CPU was doing while
// it waited.
std::vector<std::string> gpu_findings(const GpuSummary& g);
// A cause as words: "cudaStreamSynchronize (cuda_runtime, a synchronisation)".
std::string gpu_cause_label(const GpuIdleCause& c);

}  // namespace perfkit
