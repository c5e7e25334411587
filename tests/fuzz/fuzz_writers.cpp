// libFuzzer target: a reader picked by the first byte, then every convert writer (see fuzz_harness.h).
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  perfkit::fuzz::run_one(perfkit::fuzz::Target::kWriters, data, size);
  return 0;
}
