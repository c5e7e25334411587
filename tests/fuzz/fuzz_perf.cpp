// libFuzzer target: arbitrary bytes through the perf script reader (see fuzz_harness.h).
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  perfkit::fuzz::run_one(perfkit::fuzz::Target::kPerf, data, size);
  return 0;
}
