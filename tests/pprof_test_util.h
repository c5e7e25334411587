// Helpers shared by the pprof reader and writer tests: hand-made protobuf bytes, reading bytes as
// a profile, a canonical text dump of a Profile to compare two of them.
#pragma once
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "formats/registry.h"
#include "lib/input.h"
#include "lib/profile.h"
#include "profile.pb.h"

namespace perfkit::testing {

inline std::string source_path(const std::string& rel) {
  return std::string(PERFKIT_SOURCE_DIR) + "/" + rel;
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline InputBuffer buffer_of(std::string_view bytes, const std::string& name = "mem.pb") {
  if (is_gzip(bytes)) {
    InputBuffer b = gunzip(name, bytes, 1ULL << 32);
    b.path = name;
    b.was_gzip = true;
    return b;
  }
  InputBuffer b(bytes.size());
  if (!bytes.empty()) std::memcpy(b.data(), bytes.data(), bytes.size());
  b.path = name;
  return b;
}

inline std::string inflate(std::string_view bytes) {
  return std::string(buffer_of(bytes).view());
}

// Reads bytes (gzipped or raw) with the pprof reader.
inline Profile read_pprof_bytes(std::string_view bytes, const std::string& name = "mem.pb") {
  InputBuffer b = buffer_of(bytes, name);
  ReadOptions opts;
  opts.input_format = "pprof";
  return read_profile(b, opts);
}

inline perftools::profiles::Profile parse_pb(std::string_view bytes) {
  perftools::profiles::Profile pb;
  std::string raw = inflate(bytes);
  if (!pb.ParseFromString(raw)) throw std::runtime_error("libprotobuf cannot parse");
  return pb;
}

// A frame as "name file:line" with " (inline)" like pprof -traces.
inline std::string frame_text(const Profile& p, FrameId id) {
  const Frame& f = p.frames()[id];
  return fmt::format("{} {}:{}{}", p.str(f.function), p.str(f.file), f.line,
                     f.inlined ? " (inline)" : "");
}

// One line per sample: values | labels | frames root first.
inline std::vector<std::string> sample_lines(const Profile& p) {
  std::vector<std::string> out;
  for (size_t i = 0; i < p.samples().size(); ++i) {
    const Sample& s = p.samples()[i];
    std::string line;
    for (size_t v = 0; v < p.value_types.size(); ++v) line += fmt::format("{} ", p.value(i, v));
    line += "|";
    for (uint32_t k = 0; k < s.label_count; ++k) {
      const Label& l = p.labels()[s.label_begin + k];
      line += l.str ? fmt::format(" {}={}", p.str(l.key), p.str(l.str))
                    : fmt::format(" {}={}{}", p.str(l.key), l.num, p.str(l.num_unit));
    }
    line += " |";
    for (FrameId f : p.stack_frames(s.stack)) line += " ; " + frame_text(p, f);
    out.push_back(std::move(line));
  }
  return out;
}

// Everything a reader puts in a Profile from pprof, as text.
inline std::string dump(const Profile& p) {
  std::string out;
  for (const ValueType& vt : p.value_types)
    out += fmt::format("type {}/{}\n", p.str(vt.type), p.str(vt.unit));
  const Metadata& m = p.meta;
  out += fmt::format("time {} duration {} period {} {}/{}\n", m.time_ns, m.duration_ns, m.period,
                     p.str(m.period_type.type), p.str(m.period_type.unit));
  for (StrId c : m.comments) out += fmt::format("comment {}\n", p.str(c));
  out += fmt::format("drop '{}' keep '{}' default '{}' doc '{}'\n", p.str(m.drop_frames),
                     p.str(m.keep_frames), p.str(m.default_sample_type), p.str(m.doc_url));
  for (const std::string& l : sample_lines(p)) out += l + "\n";
  return out;
}

// Hand-written protobuf bytes, to make what libprotobuf never writes (unpacked fields, bad
// indexes, odd wire types).
struct Pb {
  std::string b;
  Pb& varint(uint64_t v) {
    while (v >= 0x80) {
      b += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    b += static_cast<char>(v);
    return *this;
  }
  Pb& tag(uint32_t field, uint32_t wire) { return varint((uint64_t{field} << 3) | wire); }
  Pb& num(uint32_t field, uint64_t v) { return tag(field, 0).varint(v); }
  Pb& bytes(uint32_t field, std::string_view s) {
    tag(field, 2).varint(s.size());
    b += s;
    return *this;
  }
  Pb& msg(uint32_t field, const Pb& m) { return bytes(field, m.b); }
  Pb& packed(uint32_t field, const std::vector<uint64_t>& vs) {
    Pb inner;
    for (uint64_t v : vs) inner.varint(v);
    return bytes(field, inner.b);
  }
  Pb& unpacked(uint32_t field, const std::vector<uint64_t>& vs) {
    for (uint64_t v : vs) num(field, v);
    return *this;
  }
};

}  // namespace perfkit::testing
