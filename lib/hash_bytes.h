// A fast 64-bit hash of a byte run (8 bytes at a time, multiply-xorshift mixing), for the flat
// hash tables keyed by views into the input (folded frame names, pprof location lists).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace perfkit {

inline uint64_t hash_bytes(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = (h ^ w) * 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

}  // namespace perfkit
