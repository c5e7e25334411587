#include "formats/chrome/structural_index.h"

#include <algorithm>

namespace perfkit {

bool StructuralIndex::run(const char* text, size_t len) {
  // Indexes take 4 bytes per input byte: a huge window (one giant event) is left to the
  // caller's slow path rather than doubling what On-Demand allocates for it.
  if (len > kMaxBytes) return false;
  if (!impl_ || capacity_ < len) {
    const size_t cap = std::max<size_t>(len, size_t{1} << 20);
    if (simdjson::get_active_implementation()->create_dom_parser_implementation(
            cap, simdjson::DEFAULT_MAX_DEPTH, impl_) != simdjson::SUCCESS) {
      impl_.reset();
      capacity_ = 0;
      return false;
    }
    capacity_ = cap;
  }
  return impl_->stage1(reinterpret_cast<const uint8_t*>(text), len,
                       simdjson::stage1_mode::regular) == simdjson::SUCCESS;
}

}  // namespace perfkit
