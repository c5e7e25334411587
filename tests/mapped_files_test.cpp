// A large input is mapped, not read; if another process truncates it mid-read the mapping faults
// with SIGBUS, which must become exit 3 naming the file, never a signal death.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "lib/input.h"

namespace perfkit {

TEST_CASE("a mapped input truncated while it is read exits 3 with the file's name") {
  char dir[] = "/tmp/perfkit-mapped-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  const std::string path = std::string(dir) + "/big.folded";
  const std::string err_path = std::string(dir) + "/stderr";
  {
    std::ofstream out(path, std::ios::binary);
    std::string line(1023, 'a');
    line += '\n';
    for (int i = 0; i < 4096; ++i) out << line;  // 4 MiB: above the mapping threshold
  }
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDERR_FILENO);
    InputBuffer in = load_input(path, ReadOptions{});
    if (::truncate(path.c_str(), 0) != 0) ::_exit(10);
    volatile char c = in.data()[3 << 20];  // a page never touched before the truncation
    (void)c;
    ::_exit(0);  // the page was still there: the guard was not needed
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 3);
  std::ifstream err(err_path);
  std::stringstream text;
  text << err.rdbuf();
  CHECK(text.str().find(path) != std::string::npos);
  CHECK(text.str().find("shrank") != std::string::npos);
  std::remove(path.c_str());
  std::remove(err_path.c_str());
  ::rmdir(dir);
}

}  // namespace perfkit
