// lib/output: results appear whole or not at all.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "lib/errors.h"
#include "lib/output.h"

using namespace perfkit;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

size_t entries(const fs::path& dir) {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("OutputFile: pieces small and large land in order on commit, not before") {
  fs::path dir = fs::temp_directory_path() / ("perfkit-output-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path target = dir / "out.json";
  std::string want;
  {
    OutputFile out(target.string());
    for (int i = 0; i < 3000; ++i) {  // small pieces through the buffer, then pieces over 1 MiB
      std::string piece = i % 1000 == 999 ? std::string((size_t{1} << 20) + 17, char('a' + i % 26))
                                          : "event " + std::to_string(i) + "\n";
      out.write(piece);
      want += piece;
    }
    CHECK(!fs::exists(target));
    out.commit();
  }
  CHECK(read_file(target) == want);
  CHECK(entries(dir) == 1);  // no temporary file left
  fs::remove_all(dir);
}

TEST_CASE("OutputFile: not committed (an error on the way) leaves the old file and no temporary") {
  fs::path dir = fs::temp_directory_path() / ("perfkit-output2-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path target = dir / "out.txt";
  std::ofstream(target) << "old";
  try {
    OutputFile out(target.string());
    out.write(std::string(3 << 20, 'x'));
    throw InputError::in_file("in", "failed mid-way");
  } catch (const InputError&) {
  }
  CHECK(read_file(target) == "old");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("OutputFile: a full device is an OutputError at commit at the latest") {
  bool threw = false;
  try {
    OutputFile out("/dev/full");
    out.write("x");
    out.commit();
  } catch (const OutputError&) {
    threw = true;
  }
  CHECK(threw);
}

TEST_CASE("OutputFile: finish() writes and closes but only commit() puts the file in place") {
  fs::path dir = fs::temp_directory_path() / ("perfkit-output3-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path a = dir / "a.md", b = dir / "b.xml";
  std::ofstream(a) << "old";
  {
    OutputFile fa(a.string()), fb(b.string());
    CHECK(fa.renames());
    fa.write("new a");
    fb.write(std::string(3 << 20, 'b'));
    fa.finish();
    fb.finish();
    CHECK(read_file(a) == "old");
    CHECK(!fs::exists(b));
    CHECK(entries(dir) == 3);  // a.md and the two temporaries
    fa.commit();
  }  // fb is never committed: its temporary goes, fa stays committed
  CHECK(read_file(a) == "new a");
  CHECK(!fs::exists(b));
  CHECK(entries(dir) == 1);
  OutputFile null_out("/dev/null");
  CHECK(!null_out.renames());
  fs::remove_all(dir);
}
