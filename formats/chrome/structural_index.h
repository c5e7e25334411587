// simdjson's stage 1 on its own: the structural characters of a JSON text ({}[]:, and the start
// of every scalar), found by the library's runtime-dispatched implementation (AVX-512/AVX2 where
// the CPU has them). The Chrome reader and merge walk these indexes directly for plain events.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include <simdjson.h>

namespace perfkit {

class StructuralIndex {
 public:
  static constexpr size_t kMaxBytes = 16 << 20;
  // Indexes text[0, len); the bytes up to len + SIMDJSON_PADDING must be readable. False when
  // stage 1 refuses the text (bad UTF-8, an unclosed string, control characters in a string)
  // or it is longer than kMaxBytes.
  bool run(const char* text, size_t len);
  const uint32_t* indexes() const { return impl_->structural_indexes.get(); }
  uint32_t size() const { return impl_->n_structural_indexes; }

 private:
  std::unique_ptr<simdjson::internal::dom_parser_implementation> impl_;
  size_t capacity_ = 0;
};

}  // namespace perfkit
