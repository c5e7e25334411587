// The Chrome fast paths (a walk over simdjson's stage 1 indexes in the reader and in merge) must
// decide exactly as the slow paths (On-Demand, DOM) they stand in for: the same events written so
// that only the slow path can read them (escapes) must give the same profile or merge.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "formats/chrome/chrome_merge.h"
#include "formats/registry.h"

namespace perfkit {
namespace {

InputBuffer buffer(const std::string& text, const std::string& path) {
  InputBuffer in(text.size());
  std::memcpy(in.data(), text.data(), text.size());
  in.path = path;
  return in;
}

Profile read(const std::string& text) {
  ReadOptions opts;
  opts.input_format = "chrome";
  return read_profile(buffer(text, "mem.json"), opts);
}

// n events over several 256 KiB windows: X, B/E pairs, instants, async b/e with id2, metadata
// with args, string pids. `escape` writes every "n" of a name as \u006e (the fast path gives
// those windows to On-Demand); the decoded events are the same.
std::string events(int n, bool escape) {
  std::string out;
  auto name = [&](int i) {
    std::string s = fmt::format("fn_{}::run", i % 37);
    if (!escape) return s;
    std::string e;
    for (char c : s) e += c == 'n' ? std::string("\\u006e") : std::string(1, c);
    return e;
  };
  for (int i = 0; i < n; ++i) {
    if (!out.empty()) out += ",\n";
    const int ts = i * 10;
    switch (i % 6) {
      case 0:
        out += fmt::format(R"({{"ph":"X","name":"{}","cat":"app","pid":1,"tid":{},"ts":{}.5,)"
                           R"("dur":7.25,"args":{{"fid":{},"deep":[[{{"a":[1,true,null]}}]]}}}})",
                           name(i), i % 3, ts, i);
        break;
      case 1:
        out += fmt::format(R"({{"ph":"B","name":"{}","pid":1,"tid":{},"ts":{}}})", name(i), i % 3,
                           ts);
        break;
      case 2:
        out += fmt::format(R"({{"tid":{},"ph":"E","pid":1,"ts":{}}})", (i - 1) % 3, ts + 5);
        break;
      case 3:
        out += fmt::format(R"({{"ph":"b","name":"{}","cat":"net","id2":{{"local":"0x{}"}},)"
                           R"("pid":"proc-a","tid":9,"ts":"{}"}})",
                           name(i), i % 5, ts);
        break;
      case 4:
        out += fmt::format(R"({{"ph":"e","name":"{}","cat":"net","id2":{{"local":"0x{}"}},)"
                           R"("pid":"proc-a","tid":9,"ts":{}}})",
                           name(i - 1), (i - 1) % 5, ts + 3);
        break;
      default:
        out += fmt::format(R"({{"ph":"M","name":"thread_name","pid":1,"tid":{},)"
                           R"("args":{{"name":"worker {}","sort_index":{}}}}})",
                           i % 3, i % 3, i % 4);
        break;
    }
  }
  return out;
}

std::string summary(const Profile& p) {
  std::string s;
  for (const Span& sp : p.spans)
    s += fmt::format("{} {} {} {} {} {} {} {}\n", sp.pid, sp.tid, p.str(sp.name), p.str(sp.cat),
                     sp.start_ns, sp.dur_ns, sp.self_ns, sp.depth);
  for (const auto& [ph, n] : p.events_by_phase) s += fmt::format("{}={}\n", ph, n);
  for (const auto& [k, v] : p.thread_names) s += fmt::format("{}/{}={}\n", k.pid, k.tid, v);
  for (const Warning& w : p.warnings) s += fmt::format("{} x{}\n", w.what, w.count);
  return s;
}

}  // namespace

TEST_CASE("chrome reader: the stage 1 walk and On-Demand read the same events alike") {
  const int n = 12000;  // about 1.5 MB: several windows
  Profile plain = read("[" + events(n, false) + "]");
  Profile escaped = read("[" + events(n, true) + "]");
  REQUIRE(plain.spans.size() > 5000);
  CHECK(summary(plain) == summary(escaped));
  // A window where the walk gives up half way (one escaped name) changes nothing either.
  std::string mixed = events(n, false);
  mixed.replace(mixed.find("fn_5::run"), 9, "fn_5::ru\\u006e");
  CHECK(summary(read("[" + mixed + "]")) == summary(plain));
  // Object form and JSON lines.
  CHECK(summary(read("{\"traceEvents\":[" + events(n, false) + "]}")) == summary(plain));
  std::string lines = events(n, false);
  for (size_t at = 0; (at = lines.find(",\n", at)) != std::string::npos;) lines.erase(at, 1);
  Profile jsonl = read(lines);
  CHECK(jsonl.flavor == "jsonl");
  CHECK(jsonl.spans.size() == plain.spans.size());
}

TEST_CASE("merge: JSON lines vouched for by the walk merge as the DOM parser decides") {
  // The same fragment with and without escapes in its names (escaped lines go to the DOM
  // parser): identical merges once the escapes are decoded; lines longer than the 1 MiB window,
  // and broken lines, are handled as before.
  auto fragment = [](bool escape) {
    std::string lines = events(6000, escape);
    for (size_t at = 0; (at = lines.find(",\n", at)) != std::string::npos;) lines.erase(at, 1);
    std::string big = R"({"ph":"X","name":"big","pid":1,"tid":1,"ts":5,"dur":1,"args":{"s":")" +
                      std::string(1500000, 'x') + "\"}}\n";
    lines.insert(lines.find('\n', lines.size() / 2) + 1, big);
    lines.insert(lines.find('\n', lines.size() / 3) + 1, "{\"ph\":\"X\",\"ts\":01}\n{\"ph\":\n");
    return lines;
  };
  std::vector<InputBuffer> plain, escaped;
  plain.push_back(buffer(fragment(false), "a.jsonl"));
  escaped.push_back(buffer(fragment(true), "a.jsonl"));
  TraceMergeResult a = merge_chrome_fragments(plain, {1, false});
  TraceMergeResult b = merge_chrome_fragments(escaped, {1, false});
  CHECK(a.events > 4000);
  CHECK(a.events == b.events);
  CHECK(a.duplicate_metadata == b.duplicate_metadata);
  CHECK(nlohmann::json::parse(a.json) == nlohmann::json::parse(b.json));
  int64_t invalid = 0;
  for (const Warning& w : a.warnings)
    if (w.what.find("not valid JSON") != std::string::npos) invalid += w.count;
  CHECK(invalid == 2);
  bool big_kept = false;
  const nlohmann::json merged = nlohmann::json::parse(a.json);
  for (const auto& e : merged["traceEvents"]) big_kept |= e.value("name", "") == "big";
  CHECK(big_kept);
}

}  // namespace perfkit
