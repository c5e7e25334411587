// Interned strings: each distinct string is stored once and named by a dense 32-bit id.
// Id 0 is always the empty string, as in pprof's string table.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace perfkit {

using StrId = uint32_t;

class StringTable {
 public:
  StringTable();
  StringTable(const StringTable&) = delete;
  StringTable& operator=(const StringTable&) = delete;
  StringTable(StringTable&&) = default;
  StringTable& operator=(StringTable&&) = default;

  StrId intern(std::string_view s);
  // Returns the id of s if it was interned, else -1.
  int64_t find(std::string_view s) const;
  std::string_view operator[](StrId id) const { return views_[id]; }
  size_t size() const { return views_.size(); }

 private:
  std::string_view store(std::string_view s);

  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_used_ = 0;
  size_t chunk_cap_ = 0;
  std::vector<std::string_view> views_;
  std::unordered_map<std::string_view, StrId> index_;
};

}  // namespace perfkit
