#include "lib/string_table.h"

#include <algorithm>
#include <cstring>

namespace perfkit {

namespace {
constexpr size_t kChunkBytes = 1 << 16;
}

StringTable::StringTable() {
  views_.push_back(std::string_view());
  index_.emplace(std::string_view(), 0);
}

std::string_view StringTable::store(std::string_view s) {
  if (s.empty()) return std::string_view();
  if (chunk_used_ + s.size() > chunk_cap_) {
    size_t cap = std::max(kChunkBytes, s.size());
    chunks_.push_back(std::make_unique<char[]>(cap));
    chunk_cap_ = cap;
    chunk_used_ = 0;
  }
  char* dst = chunks_.back().get() + chunk_used_;
  std::memcpy(dst, s.data(), s.size());
  chunk_used_ += s.size();
  return std::string_view(dst, s.size());
}

StrId StringTable::intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  std::string_view owned = store(s);
  StrId id = static_cast<StrId>(views_.size());
  views_.push_back(owned);
  index_.emplace(owned, id);
  return id;
}

int64_t StringTable::find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace perfkit
