#!/usr/bin/env python3
"""Writes synthetic_gpu.json: a small trace in the shape the PyTorch profiler (Kineto) writes for a
GPU run, with answers worked out by hand (tests/cli/gpu_kineto.sh checks perfkit against them).

One CPU thread (pid 100) launches work onto GPU 0 (pid 0) streams 7 and 20; times in us:
  ProfilerStep#0 [0, 1000) (user_annotation)
    aten::mm    [10, 60)    cudaLaunchKernel [20, 30)      corr 1 -> gemm      s7 [40, 240)
    aten::add   [70, 100)   cudaLaunchKernel [80, 90)      corr 2 -> add       s7 [250, 300)
    aten::item  [110, 500)  cudaMemcpyAsync [120, 130)     corr 3 -> Memcpy DtoH s7 [300, 310)
                            cudaStreamSynchronize [130, 490)
    (no span: Python) [500, 600)
    aten::mul   [600, 650)  cudaLaunchKernel [610, 620)    corr 4 -> mul       s7 [630, 700)
    aten::zero_ [655, 668)  cudaMemsetAsync [660, 665)     corr 5 -> Memset    s20 [705, 715)
    nccl:all_reduce [668, 680) cudaLaunchKernel [670, 675) corr 7 -> ncclKernel s20 [850, 880)
    aten::relu  [710, 740)  cudaLaunchKernel [720, 730)    corr 6 -> relu      s7 [800, 900)
Each launch is also an ac2g flow (s at the launch, f at the work), as Kineto writes them.
"""
import json
import sys

PID, TID = 100, 100
events = [
    {"name": "process_name", "ph": "M", "ts": 0, "pid": PID, "tid": 0, "args": {"name": "python3"}},
    {"name": "process_labels", "ph": "M", "ts": 0, "pid": PID, "tid": 0, "args": {"labels": "CPU"}},
    {"name": "thread_name", "ph": "M", "ts": 0, "pid": PID, "tid": TID,
     "args": {"name": "thread 100 (python3)"}},
    {"name": "process_name", "ph": "M", "ts": 0, "pid": 0, "tid": 0, "args": {"name": "python3"}},
    {"name": "process_labels", "ph": "M", "ts": 0, "pid": 0, "tid": 0, "args": {"labels": "GPU 0"}},
    {"name": "thread_name", "ph": "M", "ts": 0, "pid": 0, "tid": 7, "args": {"name": "stream 7 "}},
    {"name": "thread_name", "ph": "M", "ts": 0, "pid": 0, "tid": 20, "args": {"name": "stream 20 "}},
]
ext = [0]


def cpu(cat, name, ts, end, **args):
    ext[0] += 1
    a = {"External id": ext[0]}
    a.update(args)
    events.append({"ph": "X", "cat": cat, "name": name, "pid": PID, "tid": TID, "ts": ts,
                   "dur": end - ts, "args": a})


def launch(name, ts, end, corr, work_cat, work_name, stream, wts, wend, **wargs):
    cpu("cuda_runtime", name, ts, end, cbid=211, correlation=corr)
    a = {"External id": ext[0], "device": 0, "context": 1, "stream": stream, "correlation": corr}
    a.update(wargs)
    events.append({"ph": "X", "cat": work_cat, "name": work_name, "pid": 0, "tid": stream,
                   "ts": wts, "dur": wend - wts, "args": a})
    events.append({"ph": "s", "id": corr, "pid": PID, "tid": TID, "ts": ts, "cat": "ac2g",
                   "name": "ac2g"})
    events.append({"ph": "f", "id": corr, "pid": 0, "tid": stream, "ts": wts, "cat": "ac2g",
                   "name": "ac2g", "bp": "e"})


cpu("user_annotation", "ProfilerStep#0", 0, 1000)
cpu("cpu_op", "aten::mm", 10, 60)
launch("cudaLaunchKernel", 20, 30, 1, "kernel", "gemm", 7, 40, 240)
cpu("cpu_op", "aten::add", 70, 100)
launch("cudaLaunchKernel", 80, 90, 2, "kernel", "add", 7, 250, 300)
cpu("cpu_op", "aten::item", 110, 500)
launch("cudaMemcpyAsync", 120, 130, 3, "gpu_memcpy", "Memcpy DtoH (Device -> Pageable)", 7,
       300, 310, bytes=4)
cpu("cuda_runtime", "cudaStreamSynchronize", 130, 490, cbid=131, correlation=8)
cpu("cpu_op", "aten::mul", 600, 650)
launch("cudaLaunchKernel", 610, 620, 4, "kernel", "mul", 7, 630, 700)
cpu("cpu_op", "aten::zero_", 655, 668)
launch("cudaMemsetAsync", 660, 665, 5, "gpu_memset", "Memset (Device)", 20, 705, 715, bytes=1024)
cpu("cpu_op", "nccl:all_reduce", 668, 680)
launch("cudaLaunchKernel", 670, 675, 7, "kernel", "ncclKernel_AllReduce_RING_LL_Sum_float", 20,
       850, 880)
cpu("cpu_op", "aten::relu", 710, 740)
launch("cudaLaunchKernel", 720, 730, 6, "kernel", "relu", 7, 800, 900)

out = sys.argv[1] if len(sys.argv) > 1 else "synthetic_gpu.json"
with open(out, "w") as f:
    f.write('{"schemaVersion": 1, "distributedInfo": {"rank": 0},\n'
            ' "deviceProperties": [{"id": 0, "name": "Synthetic GPU"}],\n'
            ' "traceEvents": [\n  ' + ",\n  ".join(json.dumps(e) for e in events) + '\n ],\n'
            ' "traceName": "synthetic_gpu.json"}\n')
