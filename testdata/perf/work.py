# A small CPU-bound Python program for `perf record -g python3 work.py` (see
# tests/make_perf_testdata.sh): the interpreter's own C frames under perf.
import json
import re


def parse(n):
    text = json.dumps([{"id": i, "name": "item%d" % i, "tags": ["a", "b"]} for i in range(n)])
    return json.loads(text)


def match(items):
    pat = re.compile(r"item(\d+)7$")
    return sum(1 for it in items if pat.search(it["name"]))


def main():
    total = 0
    for _ in range(30):
        total += match(parse(3000))
    print(total)


if __name__ == "__main__":
    main()
