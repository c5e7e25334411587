// A minimal protobuf wire-format cursor: tags, varints, length-delimited spans, skipping.
// Every error is an InputError at the absolute byte offset (in the inflated buffer) where it
// happened, which is why the pprof reader decodes the wire format itself instead of libprotobuf.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "lib/errors.h"

namespace perfkit::pprof {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

// A length-delimited field's contents: [begin, end) in the whole buffer.
struct ByteSpan {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
};

class WireReader {
 public:
  WireReader(const std::string& path, const uint8_t* base, ByteSpan span)
      : path_(&path), base_(base), pos_(span.begin), end_(span.end) {}

  bool done() const { return pos_ >= end_; }
  size_t pos() const { return pos_; }
  // Offset of the tag of the field last returned by next().
  size_t field_start() const { return field_start_; }

  // Reads the next tag. Returns false at the end of the span.
  bool next(uint32_t& field, uint32_t& wire) {
    if (pos_ >= end_) return false;
    field_start_ = pos_;
    uint64_t tag = varint();
    wire = static_cast<uint32_t>(tag & 7);
    if (wire != kVarint && wire != kFixed64 && wire != kLen && wire != kFixed32)
      fail(field_start_, "unsupported protobuf wire type " + std::to_string(wire) + " (field " +
                             std::to_string(tag >> 3) + ")");
    field = static_cast<uint32_t>(std::min<uint64_t>(tag >> 3, UINT32_MAX));
    return true;
  }

  // The one-byte case inline (most tags, lengths and small ids), the rest out of line.
  __attribute__((always_inline)) uint64_t varint() {
    const uint8_t* p = base_ + pos_;
    if (pos_ < end_ && *p < 0x80) [[likely]] {
      ++pos_;
      return *p;
    }
    return varint_long();
  }

  __attribute__((noinline)) uint64_t varint_long() {
    const uint8_t* p = base_ + pos_;
    if (pos_ + 1 < end_ && p[1] < 0x80) {  // two bytes: ids and lengths up to 16383
      pos_ += 2;
      return (p[0] & 0x7fu) | uint64_t{p[1]} << 7;
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < 10; ++i) {
      if (pos_ + i >= end_) fail(pos_, "varint runs past the end of its message (cut short?)");
      uint8_t b = p[i];
      v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
      if (b < 0x80) {
        pos_ += i + 1;
        return v;
      }
    }
    fail(pos_, "varint longer than 10 bytes");
  }

  // The contents of a length-delimited field; the cursor moves past it.
  ByteSpan bytes() {
    size_t at = pos_;
    uint64_t len = varint();
    if (len > end_ - pos_)
      fail(at, "length " + std::to_string(len) + " runs past the end of its message (" +
                   std::to_string(end_ - pos_) + " bytes left; file cut short?)");
    ByteSpan s{pos_, pos_ + static_cast<size_t>(len)};
    pos_ = s.end;
    return s;
  }

  void skip(uint32_t wire) {
    switch (wire) {
      case kVarint: varint(); return;
      case kLen: bytes(); return;
      case kFixed64: fixed(8); return;
      case kFixed32: fixed(4); return;
      default: fail(field_start_, "unsupported protobuf wire type " + std::to_string(wire));
    }
  }

  // A scalar field that must be a varint (pprof rejects a mismatched wire type).
  uint64_t varint_field(uint32_t wire, const char* name) {
    if (wire != kVarint) wrong_wire(wire, name);
    return varint();
  }
  ByteSpan message_field(uint32_t wire, const char* name) {
    if (wire != kLen) wrong_wire(wire, name);
    return bytes();
  }

  // A repeated varint field, packed (one length-delimited run) or not (one value per field):
  // calls f(value, offset) for each value.
  template <class F>
  void repeated_varint(uint32_t wire, const char* name, F&& f) {
    if (wire == kVarint) {
      size_t at = pos_;
      f(varint(), at);
      return;
    }
    if (wire != kLen) wrong_wire(wire, name);
    ByteSpan s = bytes();
    WireReader inner(*path_, base_, s);
    while (!inner.done()) {
      size_t at = inner.pos_;
      f(inner.varint(), at);
    }
  }

  [[noreturn]] void fail(size_t offset, const std::string& msg) const {
    throw InputError::at_byte(*path_, offset, msg);
  }

 private:
  void fixed(size_t n) {
    if (n > end_ - pos_) fail(pos_, "fixed-size field runs past the end of its message");
    pos_ += n;
  }
  [[noreturn]] void wrong_wire(uint32_t wire, const char* name) const {
    fail(field_start_, std::string("field ") + name + " has wire type " + std::to_string(wire) +
                           ", which its type does not allow");
  }

  const std::string* path_;
  const uint8_t* base_;
  size_t pos_;
  size_t end_;
  size_t field_start_ = 0;
};

}  // namespace perfkit::pprof
