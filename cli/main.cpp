// perfkit: one binary, one subcommand per cli/cmd_<verb>.cpp. This is the only catch: library
// errors become "perfkit: error: ..." and an exit code (2 usage, 3 bad input, 4 output failed).
#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "cli/command.h"
#include "lib/errors.h"

namespace {

constexpr const char* kFooter = R"(Examples:
  perfkit info profile.pb.gz                       what is in a file
  perfkit top cpu.pb.gz -n 20                      where the time goes (like go tool pprof -top)
  perfkit diff baseline.txt optimized.txt          what changed between two runs
  perfkit gate base.pb.gz new.pb.gz                exit 1 when something got slower

Exit codes: 0 ok, 1 regression found (gate), 2 usage error, 3 bad or unreadable input,
4 output could not be written.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace perfkit;
  CLI::App app{"perfkit: read pprof, Chrome traces, function tables and folded stacks; rank, "
               "diff, gate, convert."};
  app.name("perfkit");
  app.set_version_flag("--version", std::string("perfkit ") + PERFKIT_VERSION);
  app.require_subcommand(1);
  app.footer(kFooter);

  auto& registry = cli::command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<CLI::App*, cli::RunFn> runs;
  for (auto& spec : registry) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    if (!spec.example.empty()) sub->footer("Example:\n" + spec.example);
    runs[sub] = spec.setup(*sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "perfkit: usage error: {}\n", e.what());
    fmt::print(stderr, "Run 'perfkit --help' or 'perfkit SUBCOMMAND --help'.\n");
    return static_cast<int>(ExitCode::kUsage);
  }

  try {
    for (auto& [sub, run] : runs)
      if (sub->parsed()) return run();
    return static_cast<int>(ExitCode::kUsage);
  } catch (const UsageError& e) {
    fmt::print(stderr, "perfkit: usage error: {}\n", e.what());
    return static_cast<int>(ExitCode::kUsage);
  } catch (const InputError& e) {
    fmt::print(stderr, "perfkit: error: {}\n", e.what());
    return static_cast<int>(ExitCode::kBadInput);
  } catch (const OutputError& e) {
    fmt::print(stderr, "perfkit: error: {}\n", e.what());
    return static_cast<int>(ExitCode::kOutput);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "perfkit: error: out of memory\n");
    return static_cast<int>(ExitCode::kBadInput);
  } catch (const std::exception& e) {
    fmt::print(stderr, "perfkit: error: internal: {}\n", e.what());
    return 70;
  }
}
