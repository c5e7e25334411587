# The program behind torch_cpu_train.json and expected/torch_cpu_train.key_averages.json (see
# testdata/CORPUS.md): Debian's python3-torch 1.13 (CPU only, no Kineto: the legacy profiler).
import json
import sys

import torch
import torch.nn as nn
from torch.profiler import ProfilerActivity, profile, record_function

torch.manual_seed(0)
torch.set_num_threads(1)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
x = torch.randn(32, 64)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
with profile(activities=[ProfilerActivity.CPU]) as prof:
    for step in range(3):
        with record_function("train_step"):
            opt.zero_grad()
            loss = model(x).sum()
            loss.backward()
            opt.step()
prof.export_chrome_trace(sys.argv[1])
rows = [{"name": e.key, "count": e.count, "self_cpu_time_total_us": e.self_cpu_time_total,
         "cpu_time_total_us": e.cpu_time_total} for e in prof.key_averages()]
with open(sys.argv[2], "w") as f:
    json.dump({"made_by": "torch %s profiler key_averages()" % torch.__version__, "rows": rows}, f,
              indent=1)
    f.write("\n")
