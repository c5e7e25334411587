// libFuzzer target: a reader picked by the first byte, then the analyses (see fuzz_harness.h).
#include "tests/fuzz/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  perfkit::fuzz::run_one(perfkit::fuzz::Target::kAnalyses, data, size);
  return 0;
}
