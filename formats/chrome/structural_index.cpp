#include "formats/chrome/structural_index.h"

#include <algorithm>

namespace perfkit {

bool StructuralIndex::run(const char* text, size_t len) {
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
