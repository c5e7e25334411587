# Writes yappi_threads.txt (yappi's get_thread_stats().print_all()) and
# expected/yappi_threads.tsv (the same stats from the YThreadStat objects: name, id, tid, ttot,
# scnt), for tests/cli/table_info.sh. Run with Debian's python3-yappi: /usr/bin/python3 yappi_threads.py
import os
import threading
import time

import yappi


def spin(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def worker(n):
    for _ in range(5):
        spin(n)
        time.sleep(0.001)


here = os.path.dirname(os.path.abspath(__file__))
yappi.set_clock_type("cpu")
yappi.start()
threads = [threading.Thread(target=worker, args=(20000 * (k + 1),)) for k in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
spin(30000)
yappi.stop()
stats = yappi.get_thread_stats()
with open(os.path.join(here, "yappi_threads.txt"), "w") as out:
    stats.print_all(out=out)
os.makedirs(os.path.join(here, "expected"), exist_ok=True)
with open(os.path.join(here, "expected", "yappi_threads.tsv"), "w") as out:
    for s in stats:
        out.write("%s\t%d\t%d\t%.6f\t%d\n" % (s.name, s.id, s.tid, s.ttot, s.sched_count))
