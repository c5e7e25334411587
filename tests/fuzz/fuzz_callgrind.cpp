// libFuzzer target: arbitrary bytes through the callgrind path (see fuzz_harness.h for the
// contract).
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  perfkit::fuzz::run_one(perfkit::fuzz::Target::kCallgrind, data, size);
  return 0;
}
