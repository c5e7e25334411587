// The subset of Python's marshal format that pstats files use (Python/marshal.c, versions 2 to
// 5): None/True/False, ints (32-bit 'i' and arbitrary 'l', kept if they fit 64 bits), floats
// (binary 'g' and text 'f'), strings (bytes 's', unicode 'u', interned 't', ascii 'a'/'A', short
// ascii 'z'/'Z'), tuples ('(' and small ')'), lists, dicts, sets, and references (FLAG_REF marks
// an object for later 'r' references; containers are numbered before their items, as marshal
// does). Code objects and complex numbers are refused.
// Hostile input: every length is checked against the bytes left, nesting is bounded, a reference
// must name an object already read and not one still being read (no cycles), and the decoder
// walks the input once (a reference is an index, never a copy).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace perfkit::marshal {

enum class Kind : uint8_t { kNone, kBool, kInt, kFloat, kStr, kBytes, kTuple, kList, kDict, kSet };

struct Value {
  Kind kind = Kind::kNone;
  int64_t i = 0;       // kInt, kBool
  double f = 0;        // kFloat
  std::string_view s;  // kStr, kBytes: the bytes in the input
  uint32_t first = 0;  // containers: items are Doc::items[first, first + count) (dicts: key, value)
  uint32_t count = 0;
  uint64_t offset = 0;  // byte offset of the type code
};

struct Doc {
  std::vector<Value> values;
  std::vector<uint32_t> items;  // value indexes
  uint32_t root = 0;
  const Value& at(uint32_t i) const { return values[i]; }
  const Value& item(const Value& container, uint32_t k) const {
    return values[items[container.first + k]];
  }
  uint32_t item_index(const Value& container, uint32_t k) const {
    return items[container.first + k];
  }
};

// A decoding error at byte `offset`.
struct Error {
  uint64_t offset = 0;
  std::string what;
};

// Decodes one object from the start of `bytes`; false and *err on bad input. *end is the offset
// after the object.
bool decode(std::string_view bytes, Doc* doc, Error* err, uint64_t* end);

const char* kind_name(Kind k);

}  // namespace perfkit::marshal
