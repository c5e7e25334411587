// GPU activity of a Kineto trace (PyTorch profiler, `torch.profiler` export_chrome_trace): what
// the GPUs did, when they sat idle, and what the CPU was doing while they waited.
//
// GPU work is the spans of the device categories (kernel, gpu_memcpy, gpu_memset; Kernel, Memcpy,
// Memset in older Kineto) on their device threads: Kineto writes the device index as the pid and
// the CUDA stream as the tid. A launch is a cuda_runtime/cuda_driver span on a CPU thread; the two
// are linked by args.correlation (or, when spans carry none, by the ac2g flow whose s point is at
// the launch's start and whose f point is at the work's start).
//
// - Busy time is the union of a device's (or a stream's) work intervals; its window runs from the
//   first work's start to the last one's end; idle = window - busy.
// - Launch delay, as HolisticTraceAnalysis defines it: work start - launch end, 0 when negative;
//   queue delay: work start - launch start.
// - Per stream, the gaps between consecutive work items (HTA's idle time breakdown): host wait
//   when the next item's launch started after the previous item ended (the CPU had not enqueued
//   it yet), kernel wait when the gap is under kernel_wait_ns (launch overhead of back-to-back
//   work), other otherwise (a dependency: an event, another stream).
// - Per device, each idle interval [a, b) (no stream busy) is split at the end E of the launch
//   call of the work that ends it: [a, min(E, b)) the GPU waited on the CPU, and that time is
//   attributed to what the launching thread was doing then: its innermost span (a
//   synchronisation such as cudaStreamSynchronize, a CPU op, the launch call itself) or no span at
//   all (untraced: Python between ops, the GIL, the data loader); [min(E, b), b) is the launch
//   latency after the call returned. An idle interval whose work's launch had returned before a
//   is "queued" (waiting on an event, another stream, the queue); one whose work has no launch in
//   the trace is "unlinked".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lib/profile.h"

namespace perfkit {

struct GpuOptions {
  int64_t kernel_wait_ns = 30'000;  // HTA's consecutive_kernel_delay default (30 us)
};

enum class GpuWorkKind : uint8_t { kKernel, kMemcpy, kMemset };
const char* gpu_work_kind_name(GpuWorkKind k);

struct GpuDelay {
  int64_t count = 0;
  int64_t mean_ns = 0, p50_ns = 0, p90_ns = 0, p99_ns = 0, max_ns = 0;
};

struct GpuStream {
  int64_t device = 0, stream = 0;  // pid, tid
  std::string name;                // "stream 7"
  int64_t first_ns = 0, last_ns = 0;
  int64_t busy_ns = 0, idle_ns = 0;
  int64_t items = 0;
  int64_t kernel_ns = 0, memcpy_ns = 0, memset_ns = 0;  // summed durations
  int64_t memcpy_bytes = 0, memset_bytes = 0;
  int64_t host_wait_ns = 0, kernel_wait_ns = 0, other_wait_ns = 0;  // gaps (HTA's categories)
  int64_t host_wait_gaps = 0, kernel_wait_gaps = 0, other_wait_gaps = 0;
};

// What an idle interval's time went to on the CPU.
struct GpuIdleCause {
  enum class Kind : uint8_t { kCpuSpan, kCpuUntraced, kLaunchLatency, kQueued, kUnlinked };
  Kind kind = Kind::kUnlinked;
  std::string name;   // the innermost CPU span's name (kCpuSpan)
  std::string cat;    // its category
  bool sync = false;  // a synchronisation call (cuda*Synchronize, cudaStreamWaitEvent, cudaMemcpy)
  int64_t ns = 0;
  int64_t gaps = 0;  // idle intervals it took part in
};

struct GpuDevice {
  int64_t device = 0;
  std::string name;  // "GPU 0"
  int64_t first_ns = 0, last_ns = 0;
  int64_t busy_ns = 0, idle_ns = 0;
  int64_t kernel_busy_ns = 0;  // union of kernels alone (HTA's compute time, all kernels)
  int64_t idle_gaps = 0;
  int64_t waited_on_cpu_ns = 0;      // idle while the next work was not launched yet
  std::vector<GpuIdleCause> causes;  // every (kind, span name, cat), largest first
  std::vector<size_t> streams;       // into GpuSummary::streams
};

struct GpuWorkRow {
  GpuWorkKind kind = GpuWorkKind::kKernel;
  std::string name;
  int64_t count = 0, total_ns = 0, min_ns = 0, max_ns = 0, mean_ns = 0;
  int64_t bytes = 0;  // copies and sets
};

struct GpuSummary {
  std::string path;
  std::vector<GpuDevice> devices;
  std::vector<GpuStream> streams;
  std::vector<GpuWorkRow> work;  // per (kind, name), by total time, largest first
  int64_t work_items = 0, kernels = 0, memcpys = 0, memsets = 0;
  int64_t linked = 0;          // work items with a launch found
  int64_t linked_by_flow = 0;  // of those, through ac2g flows
  GpuDelay launch_delay, queue_delay;
  int64_t cpu_launch_ns = 0;  // summed duration of the launches found
  int64_t kernel_wait_threshold_ns = 0;
};

// Empty devices when the trace has no GPU work (not a Kineto trace with a GPU).
GpuSummary compute_gpu(const Profile& p, const GpuOptions& opts = {});

}  // namespace perfkit
