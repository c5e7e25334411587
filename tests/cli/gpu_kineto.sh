#!/usr/bin/env bash
# Kineto (PyTorch profiler) traces: `perfkit gpu` on testdata/kineto/synthetic_gpu.json against
# the answers worked out by hand in make_synthetic.py and against HolisticTraceAnalysis's numbers
# for the same file (expected/synthetic_gpu.hta.json); the launch found through ac2g flows when
# spans carry no correlation; GPU streams' time in a gpu column, not in the CPU's wall; the GPU
# section of `report`; and Debian's torch 1.13 CPU trace against torch's own key_averages().
. "$(dirname "$0")/lib.bash"
cd "$SRC"
K=testdata/kineto/synthetic_gpu.json

expect_exit 0 "$PK" gpu --format json "$K"
cp "$TMP/out" "$TMP/gpu.json"
python3 - "$TMP/gpu.json" testdata/kineto/expected/synthetic_gpu.hta.json <<'PY' || fail "gpu --format json: the hand-worked answers or HTA's"
import json, sys
g, hta = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
us = 1000
(d,) = g["devices"]
assert (d["name"], d["first_ns"], d["last_ns"]) == ("GPU 0", 40 * us, 900 * us), d
assert (d["busy_ns"], d["idle_ns"], d["idle_gaps"]) == (440 * us, 420 * us, 4), d
assert d["kernel_busy_ns"] == 420 * us and d["waited_on_cpu_ns"] == 325 * us, d
causes = {(c["kind"], c["name"]): (c["ns"] // us, c["gaps"]) for c in d["causes"]}
assert causes == {
    ("cpu_span", "cudaStreamSynchronize"): (180, 1), ("cpu_span", "ProfilerStep#0"): (100, 1),
    ("launch_latency", ""): (80, 2), ("cpu_span", "cudaLaunchKernel"): (20, 2),
    ("queued", ""): (15, 2), ("cpu_span", "aten::item"): (10, 1), ("cpu_span", "aten::mul"): (10, 1),
    ("cpu_span", "aten::relu"): (5, 1)}, causes
assert sum(c["ns"] for c in d["causes"]) == d["idle_ns"]
assert [c["sync"] for c in d["causes"] if c["name"] == "cudaStreamSynchronize"] == [True]
s7, s20 = d["streams"]
assert (s7["name"], s7["items"], s7["busy_ns"], s7["idle_ns"]) == ("stream 7", 5, 430 * us, 430 * us), s7
assert (s7["host_wait_ns"], s7["host_wait_gaps"], s7["kernel_wait_ns"], s7["kernel_wait_gaps"],
        s7["other_wait_ns"]) == (420 * us, 2, 10 * us, 2, 0), s7
assert (s7["kernel_ns"], s7["memcpy_ns"], s7["memcpy_bytes"]) == (420 * us, 10 * us, 4), s7
assert (s20["items"], s20["other_wait_ns"], s20["memset_bytes"]) == (2, 135 * us, 1024), s20
assert [(w["kind"], w["name"], w["total_ns"] // us) for w in g["work"]][:3] == [
    ("kernel", "gemm", 200), ("kernel", "relu", 100), ("kernel", "mul", 70)], g["work"]
assert (g["kernels"], g["memcpys"], g["memsets"], g["linked"], g["linked_by_flow"]) == (5, 1, 1, 7, 0)
assert g["launch_delay"] == {"count": 7, "mean_ns": 90714, "p50_ns": 70 * us, "p90_ns": 175 * us,
                             "p99_ns": 175 * us, "max_ns": 175 * us}, g["launch_delay"]
assert (g["queue_delay"]["mean_ns"], g["queue_delay"]["p50_ns"]) == (99286, 80 * us), g["queue_delay"]
assert g["cpu_launch_ns"] == 60 * us
# HolisticTraceAnalysis on the same file: the GPU's window and idle time, the streams' idle
# breakdown, the launch delays.
t = hta["temporal"]
assert (d["last_ns"] - d["first_ns"], d["idle_ns"]) == (t["kernel_time(us)"] * us, t["idle_time(us)"] * us)
ours = {(s["stream"], c): s[c + "_ns"] for s in d["streams"] for c in ("host_wait", "kernel_wait", "other_wait")}
for r in hta["idle"]:
    cat = "other_wait" if r["category"] == "other" else r["category"]
    assert ours[(r["stream"], cat)] == r["idle_time"] * us, (r, ours)
ld = hta["launch_delay"]
assert g["launch_delay"]["count"] == ld["count"] and g["launch_delay"]["max_ns"] == ld["max"] * us
assert g["launch_delay"]["mean_ns"] == round(ld["mean"] * us), (g["launch_delay"], ld)
PY

# Without args.correlation the ac2g flow links the launch: the same answers.
python3 - "$K" "$TMP/flows.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["traceEvents"]:
    if e.get("args", {}).get("correlation") in (6, 7):
        del e["args"]["correlation"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 0 "$PK" gpu --format json "$TMP/flows.json"
python3 - "$TMP/out" "$TMP/gpu.json" <<'PY' || fail "gpu: links through ac2g flows"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert (a["linked"], a["linked_by_flow"]) == (7, 2), (a["linked"], a["linked_by_flow"])
assert a["devices"] == b["devices"] and a["launch_delay"] == b["launch_delay"]
PY

# --kernel-wait moves stream 7's 10us gap from kernel wait to other.
expect_exit 0 "$PK" gpu --format json --kernel-wait 5us "$K"
python3 -c "
import json, sys
s = json.load(open(sys.argv[1]))['devices'][0]['streams'][0]
assert (s['kernel_wait_ns'], s['other_wait_ns']) == (0, 10000), s" "$TMP/out" || fail "--kernel-wait 5us"
expect_exit 2 "$PK" gpu --kernel-wait 5MiB "$K"

# Text and Markdown.
expect_exit 0 "$PK" gpu -n 3 "$K"
expect_grep "$TMP/out" "^GPU 0: busy 51.2% of its 860us window \(440us busy, 420us idle in 4 gaps\)$"
expect_grep "$TMP/out" "the GPU waited on the CPU for 325us \(77.4% of its idle time\)"
expect_grep "$TMP/out" "^ +180us +42.9% +1  cudaStreamSynchronize \(cuda_runtime, a synchronisation\)$"
expect_grep "$TMP/out" "^  \(5 more causes\)$"
expect_grep "$TMP/out" "^launch delay \(work start - launch end\): 7 items, mean 90.7us, p50 70us"
expect_exit 0 "$PK" gpu --format md "$K"
expect_grep "$TMP/out" "^\| 180us \| 42.9% \| 1 \| cudaStreamSynchronize \(cuda\\\\_runtime, a synchronisation\) \|$"

# Not a GPU trace: exit 3 with the reason; no output file left.
expect_exit 3 "$PK" gpu testdata/chrome/spans_known.json -o "$TMP/x.txt"
expect_grep "$TMP/err" "spans_known.json: no GPU work in this trace"
[[ -e "$TMP/x.txt" ]] && fail "gpu left an output file after refusing its input"
expect_exit 3 "$PK" gpu testdata/pprof/go_cpu_base.pb.gz
expect_grep "$TMP/err" "needs a Kineto"

# GPU streams' spans are GPU time, not CPU stacks: wall holds the CPU thread, gpu the streams.
expect_exit 0 "$PK" info --format json "$K"
python3 - "$TMP/out" <<'PY' || fail "info: wall and gpu columns"
import json, sys
d = json.load(open(sys.argv[1]))
assert [(v["type"], v["total"]) for v in d["value_types"]] == [("wall", 1000000), ("gpu", 470000)], d["value_types"]
assert d["default_value_type"] == "wall", d["default_value_type"]
PY
expect_exit 0 "$PK" top -n 0 --format json "$K"
python3 -c "
import json, sys
names = {r['name'] for r in json.load(open(sys.argv[1]))['rows'] if r['flat'] or r['cum']}
assert 'aten::mm' in names and not names & {'gemm', 'relu', 'Memset (Device)'}, names" "$TMP/out" || fail "top: kernels in the CPU's wall column"
expect_exit 0 "$PK" top --sample-index gpu -n 0 --format json "$K"
python3 -c "
import json, sys
rows = {r['name']: r['flat'] for r in json.load(open(sys.argv[1]))['rows'] if r['flat']}
assert rows == {'gemm': 200000, 'relu': 100000, 'mul': 70000, 'add': 50000, 'ncclKernel_AllReduce_RING_LL_Sum_float': 30000,
                'Memcpy DtoH (Device -> Pageable)': 10000, 'Memset (Device)': 10000}, rows" "$TMP/out" || fail "top --sample-index gpu"

# report: a GPU section with the finding's numbers, also in JSON.
expect_exit 0 "$PK" report -n 1 "$K"
expect_grep "$TMP/out" "^[0-9]+\. GPU activity$"
expect_grep "$TMP/out" "GPU 0 was idle 48.8% of its active window \(420us of 860us\)\. For 325us of that .* 180us in cudaStreamSynchronize"
expect_exit 0 "$PK" report --format json "$K"
python3 -c "
import json, sys
g = json.load(open(sys.argv[1]))['gpu']
assert g['devices'][0]['idle_ns'] == 420000 and 'waited on the CPU' in g['findings'][0]" "$TMP/out" || fail "report --format json: gpu"
expect_exit 0 "$PK" report testdata/chrome/spans_known.json
grep -q "GPU activity" "$TMP/out" && fail "report shows a GPU section for a trace without GPU work"

# Debian's torch 1.13 (CPU only, its legacy profiler's export): per op the span count and total
# equal key_averages(); self time equals it but where the export's microsecond rounding makes a
# child overlap its parent or start after it ends (torch knows the parent, the file only times).
expect_exit 0 "$PK" spans --format json testdata/kineto/torch_cpu_train.json
python3 - "$TMP/out" testdata/kineto/expected/torch_cpu_train.key_averages.json <<'PY' || fail "torch_cpu_train: spans against key_averages()"
import json, sys
ours = {r["name"]: r for r in json.load(open(sys.argv[1]))["rows"]}
ref = json.load(open(sys.argv[2]))["rows"]
same = 0
for r in ref:
    o = ours[r["name"]]
    assert (o["count"], o["total_ns"]) == (r["count"], r["cpu_time_total_us"] * 1000), (r, o)
    assert abs(o["self_ns"] - r["self_cpu_time_total_us"] * 1000) <= 8000, (r, o)
    same += o["self_ns"] == r["self_cpu_time_total_us"] * 1000
assert same >= len(ref) - 6, (same, len(ref))
assert sum(o["self_ns"] for o in ours.values()) == sum(r["self_cpu_time_total_us"] for r in ref) * 1000
PY
finish
