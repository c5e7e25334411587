// perfkit gpu TRACE: per GPU and stream busy and idle time, GPU work by name, launch delays, and
// what the CPU was doing while the GPU waited (lib/gpu.h).
#include "cli/command.h"
#include "cli/outputs.h"
#include "formats/registry.h"
#include "lib/errors.h"
#include "lib/gpu.h"
#include "lib/units.h"
#include "reports/gpu_report.h"

namespace perfkit::cli {
namespace {

struct GpuCliOptions {
  std::string file;
  size_t limit = 10;
  std::string kernel_wait = "30us";
  OutputsCli outputs;
  ReadOptions read;
};

RunFn setup(CLI::App& app) {
  auto opt = std::make_shared<GpuCliOptions>();
  add_input_option(app, opt->file, "Kineto / PyTorch profiler trace JSON");
  add_nodecount_option(app, opt->limit,
                       "Rows of GPU work by name and of idle causes per GPU (JSON has every row)");
  app.add_option("--kernel-wait", opt->kernel_wait,
                 "Gaps between work items on a stream shorter than this count as kernel wait "
                 "(launch overhead), as HTA's consecutive_kernel_delay (default 30us)");
  opt->outputs.add(app, {"gpu", {"text", "json", "md"}, "text", "--format",
                         "Output format: text, json, md (default text)"});
  add_read_options(app, opt->read);
  add_terminal_options(app);
  app.footer(
      "GPU work: kernel, gpu_memcpy and gpu_memset spans on the device threads (Kineto writes\n"
      "the device as pid and the CUDA stream as tid), linked to their cuda_runtime launch by\n"
      "args.correlation or an ac2g flow. Busy = union of work intervals; idle = window - busy.\n"
      "Each idle interval of a GPU is split where the launch call of the work that ends it\n"
      "returned: before, the GPU waited on the CPU, and that time is attributed to the innermost\n"
      "span on the launching thread (cudaStreamSynchronize, a CPU op, the launch call, none:\n"
      "Python, the GIL); after, the launch latency. Launch delay = work start - launch end "
      "(HTA's), queue delay = work start -\n"
      "launch start. Stream gaps: host wait (launched after the previous item ended), kernel wait\n"
      "(shorter than --kernel-wait), other.");
  return [opt]() {
    const std::vector<OutputTarget> targets = opt->outputs.targets();
    const int64_t wait_ns = units::parse_quantity(opt->kernel_wait, "nanoseconds");
    if (wait_ns < 0) throw UsageError("--kernel-wait: a negative duration: " + opt->kernel_wait);
    Profile p = read_profile(opt->file, opt->read);
    print_warnings(p.warnings);
    if (p.format != "chrome")
      throw InputError::in_file(opt->file,
                                "perfkit gpu needs a Kineto (PyTorch profiler) trace; "
                                "this is " +
                                    p.format);
    GpuOptions o;
    o.kernel_wait_ns = wait_ns;
    GpuSummary g = compute_gpu(p, o);
    if (g.devices.empty())
      throw InputError::in_file(opt->file,
                                "no GPU work in this trace (no kernel, gpu_memcpy or gpu_memset "
                                "spans): perfkit gpu needs a Kineto trace of a GPU run");
    emit_outputs(targets, [&](const OutputTarget& out) {
      if (out.format == "json") return render_gpu_json(g);
      if (out.format == "md") return render_gpu_md(g, opt->limit);
      return fit_text(render_gpu_text(g, opt->limit), target_style(out));
    });
    return 0;
  };
}

RegisterCommand reg{{"gpu",
                     "GPU busy/idle per device and stream, kernels, launch delay, and what the CPU "
                     "did while the GPU waited (Kineto traces)",
                     "  perfkit gpu trace.pt.trace.json --format md -o gpu.md", setup}};

}  // namespace
}  // namespace perfkit::cli
