#include "formats/pstats/marshal.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>

namespace perfkit::marshal {

namespace {

constexpr uint8_t kFlagRef = 0x80;
constexpr int kMaxDepth = 64;

class Decoder {
 public:
  Decoder(std::string_view b, Doc* doc, Error* err) : b_(b), doc_(doc), err_(err) {}
  bool object(uint32_t* out, int depth);
  uint64_t pos() const { return pos_; }

 private:
  bool fail(uint64_t at, std::string what) {
    err_->offset = at;
    err_->what = std::move(what);
    return false;
  }
  bool need(uint64_t n, uint64_t at, const char* what) {
    if (b_.size() - pos_ >= n) return true;
    return fail(at, fmt::format("marshal: {} cut short ({} bytes needed, {} left)", what, n,
                                b_.size() - pos_));
  }
  uint32_t u32() {
    uint32_t v;
    std::memcpy(&v, b_.data() + pos_, 4);  // little-endian hosts only (x86-64, arm64)
    pos_ += 4;
    return v;
  }
  bool length(uint64_t at, uint64_t* n, const char* what);
  bool string(uint64_t at, uint64_t n, Kind kind, Value* v);
  uint32_t add(const Value& v) {
    doc_->values.push_back(v);
    return static_cast<uint32_t>(doc_->values.size() - 1);
  }
  bool container(uint64_t at, uint8_t code, bool ref, int depth, uint32_t* out);

  std::string_view b_;
  Doc* doc_;
  Error* err_;
  uint64_t pos_ = 0;
  std::vector<uint32_t> refs_;        // value index per reference number
  std::vector<uint8_t> in_progress_;  // per reference: a container still being read
};

bool Decoder::length(uint64_t at, uint64_t* n, const char* what) {
  if (!need(4, at, what)) return false;
  const int32_t len = static_cast<int32_t>(u32());
  if (len < 0) return fail(at, fmt::format("marshal: {} with a negative length {}", what, len));
  *n = static_cast<uint64_t>(len);
  return true;
}

bool Decoder::string(uint64_t at, uint64_t n, Kind kind, Value* v) {
  if (!need(n, at, "string")) return false;
  v->kind = kind;
  v->s = b_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Decoder::container(uint64_t at, uint8_t code, bool ref, int depth, uint32_t* out) {
  Value v;
  v.offset = at;
  v.kind = code == '(' || code == ')' ? Kind::kTuple
           : code == '['              ? Kind::kList
           : code == '{'              ? Kind::kDict
                                      : Kind::kSet;
  *out = add(v);
  size_t ref_no = 0;
  if (ref) {  // numbered before the items, as marshal's r_ref_reserve / R_REF do
    ref_no = refs_.size();
    refs_.push_back(*out);
    in_progress_.push_back(1);
  }
  std::vector<uint32_t> items;
  if (v.kind == Kind::kDict) {
    for (;;) {
      if (!need(1, pos_, "dict")) return false;
      if (b_[pos_] == '0') {
        ++pos_;
        break;
      }
      uint32_t k, val;
      if (!object(&k, depth + 1)) return false;
      if (!need(1, pos_, "dict value")) return false;
      if (b_[pos_] == '0') return fail(pos_, "marshal: a dict key without a value");
      if (!object(&val, depth + 1)) return false;
      items.push_back(k);
      items.push_back(val);
    }
  } else {
    uint64_t n = 0;
    if (code == ')') {
      if (!need(1, at, "small tuple")) return false;
      n = static_cast<uint8_t>(b_[pos_++]);
    } else if (!length(at, &n, "tuple, list or set")) {
      return false;
    }
    if (n > b_.size() - pos_)  // every item takes at least a byte
      return fail(at, fmt::format("marshal: {} items claimed, only {} bytes left", n,
                                  b_.size() - pos_));
    items.reserve(n);
    for (uint64_t k = 0; k < n; ++k) {
      uint32_t item;
      if (!object(&item, depth + 1)) return false;
      items.push_back(item);
    }
  }
  Value& done = doc_->values[*out];
  done.first = static_cast<uint32_t>(doc_->items.size());
  done.count = static_cast<uint32_t>(v.kind == Kind::kDict ? items.size() / 2 : items.size());
  doc_->items.insert(doc_->items.end(), items.begin(), items.end());
  if (ref) in_progress_[ref_no] = 0;
  return true;
}

bool Decoder::object(uint32_t* out, int depth) {
  const uint64_t at = pos_;
  if (depth > kMaxDepth) return fail(at, fmt::format("marshal: nested deeper than {}", kMaxDepth));
  if (!need(1, at, "object")) return false;
  const uint8_t byte = static_cast<uint8_t>(b_[pos_++]);
  const bool ref = byte & kFlagRef;
  const uint8_t code = byte & ~kFlagRef;
  Value v;
  v.offset = at;
  switch (code) {
    case 'N': v.kind = Kind::kNone; break;
    case 'T': case 'F': v.kind = Kind::kBool; v.i = code == 'T'; break;
    case 'i':
      if (!need(4, at, "int")) return false;
      v.kind = Kind::kInt;
      v.i = static_cast<int32_t>(u32());
      break;
    case 'l': {
      if (!need(4, at, "long")) return false;
      const int32_t n = static_cast<int32_t>(u32());
      const uint64_t digits = n < 0 ? -static_cast<int64_t>(n) : n;
      if (!need(digits * 2, at, "long")) return false;
      uint64_t mag = 0;
      for (uint64_t k = 0; k < digits; ++k) {
        uint16_t d;
        std::memcpy(&d, b_.data() + pos_, 2);
        pos_ += 2;
        if (d >= (1u << 15)) return fail(at, "marshal: a long digit of 15 bits or more");
        const unsigned shift = static_cast<unsigned>(15 * k);
        if (d != 0 && (shift >= 63 || (uint64_t(d) >> (63 - shift)) != 0))
          return fail(at, "marshal: an integer past the 64-bit range");
        if (d != 0) mag |= uint64_t(d) << shift;  // shift may pass 63 only for zero digits
      }
      v.kind = Kind::kInt;
      v.i = n < 0 ? -static_cast<int64_t>(mag) : static_cast<int64_t>(mag);
      break;
    }
    case 'g':
      if (!need(8, at, "float")) return false;
      v.kind = Kind::kFloat;
      std::memcpy(&v.f, b_.data() + pos_, 8);
      pos_ += 8;
      break;
    case 'f': {
      if (!need(1, at, "float")) return false;
      const uint8_t n = static_cast<uint8_t>(b_[pos_++]);
      if (!need(n, at, "float")) return false;
      std::string_view text = b_.substr(pos_, n);
      pos_ += n;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v.f);
      if (ec != std::errc() || p != text.data() + text.size())
        return fail(at, fmt::format("marshal: '{}' is not a float", text));
      v.kind = Kind::kFloat;
      break;
    }
    case 's': case 'u': case 't': case 'a': case 'A': {
      uint64_t n;
      if (!length(at, &n, "string") || !string(at, n, code == 's' ? Kind::kBytes : Kind::kStr, &v))
        return false;
      break;
    }
    case 'z': case 'Z': {
      if (!need(1, at, "string")) return false;
      const uint64_t n = static_cast<uint8_t>(b_[pos_++]);
      if (!string(at, n, Kind::kStr, &v)) return false;
      break;
    }
    case '(': case ')': case '[': case '{': case '<': case '>':
      return container(at, code, ref, depth, out);
    case 'r': {
      if (!need(4, at, "reference")) return false;
      const uint32_t n = u32();
      if (n >= refs_.size())
        return fail(at, fmt::format("marshal: reference {} to an object not read yet ({} so far)",
                                    n, refs_.size()));
      if (in_progress_[n])
        return fail(at, fmt::format("marshal: reference {} to an object that contains it", n));
      *out = refs_[n];
      return true;
    }
    default:
      return fail(at, fmt::format("marshal: type code 0x{:02x} ('{}') is not one a pstats file "
                                  "holds",
                                  code, code >= 0x20 && code < 0x7f ? char(code) : '?'));
  }
  *out = add(v);
  if (ref) {
    refs_.push_back(*out);
    in_progress_.push_back(0);
  }
  return true;
}

}  // namespace

bool decode(std::string_view bytes, Doc* doc, Error* err, uint64_t* end) {
  Decoder d(bytes, doc, err);
  if (!d.object(&doc->root, 0)) return false;
  *end = d.pos();
  return true;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kNone: return "None";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kStr: return "str";
    case Kind::kBytes: return "bytes";
    case Kind::kTuple: return "tuple";
    case Kind::kList: return "list";
    case Kind::kDict: return "dict";
    case Kind::kSet: return "set";
  }
  return "?";
}

}  // namespace perfkit::marshal
