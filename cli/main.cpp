// perfkit: one binary, one subcommand per cli/cmd_<verb>.cpp. This is the only catch: library
// errors become "perfkit: error: ..." and an exit code (2 usage, 3 bad input, 4 output failed).
#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "cli/command.h"
#include "cli/manpage.h"
#include "cli/usage.h"
#include "perfkit_commit.h"
#include "lib/errors.h"

namespace {

constexpr const char* kExamples = R"(Examples:
  perfkit info profile.pb.gz                       what is in a file
  perfkit top cpu.pb.gz -n 20                      where the time goes (like go tool pprof -top)
  perfkit diff baseline.txt optimized.txt          what changed between two runs
  perfkit gate base.pb.gz new.pb.gz                exit 1 when something got slower

Input: a FILE argument, or standard input when it is left out or '-' (format detected by content).

)";
constexpr const char* kExitCodes = R"(Exit codes: 0 ok, 1 regression found (gate), 2 usage error (unknown subcommand or option, bad
option value), 3 the input is bad or cannot do what was asked (unreadable, a function table
where stacks are needed, types that do not merge), 4 output could not be written.)";

}  // namespace

int main(int argc, char** argv) {
  using namespace perfkit;
  CLI::App app{"perfkit: read pprof, Chrome traces, function tables and folded stacks; rank, "
               "diff, gate, convert."};
  app.name("perfkit");
  const std::string version = fmt::format("{} (commit {})", PERFKIT_VERSION, PERFKIT_COMMIT);
  app.set_version_flag("--version", "perfkit " + version);
  app.require_subcommand(1);
  app.footer(std::string(kExamples) + kExitCodes);

  auto& registry = cli::command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<CLI::App*, cli::RunFn> runs;
  for (auto& spec : registry) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    if (!spec.example.empty()) sub->footer("Example:\n" + spec.example);
    runs[sub] = spec.setup(*sub);
  }
  // Listed with the others; handled before parsing (see below).
  app.add_subcommand("help", "Show this help, or a subcommand's options: perfkit help SUBCOMMAND");

  const int usage = static_cast<int>(ExitCode::kUsage);
  auto find_sub = [&](const std::string& name) -> CLI::App* {
    for (CLI::App* s : app.get_subcommands([](const CLI::App*) { return true; }))
      if (s->get_name() == name && name != "help") return s;
    return nullptr;
  };
  // `perfkit`, `perfkit help [SUB]` and `perfkit WORD` with an unknown WORD, before CLI11 (which
  // would say only "A subcommand is required" for all of them).
  if (argc < 2) {
    fmt::print(stderr, "perfkit: usage error: no subcommand given\nSubcommands: {}\n",
               cli::subcommand_list(app));
    fmt::print(stderr, "Run 'perfkit help' for what each does, 'perfkit help SUBCOMMAND' for its options.\n");
    return usage;
  }
  const std::string first = argv[1];
  if (first == "help") {
    if (argc == 2) {
      fmt::print("{}", app.help());
      return 0;
    }
    // What the build installs: the man page and completions, from the same option tables.
    const std::string what = argv[2];
    if (what == "--man" && argc == 3) {
      fmt::print("{}", cli::render_man_page(app, version, kExitCodes));
      return 0;
    }
    if (what == "--completion" && argc == 4) {
      try {
        fmt::print("{}", cli::render_completion(app, argv[3]));
      } catch (const UsageError& e) {
        fmt::print(stderr, "perfkit: usage error: {}\n", e.what());
        return usage;
      }
      return 0;
    }
    if (CLI::App* sub = find_sub(argv[2])) {
      fmt::print("{}", sub->help("perfkit"));
      return 0;
    }
    fmt::print(stderr, "perfkit: usage error: {}\n", cli::unknown_subcommand_message(app, argv[2]));
    return usage;
  }
  if (!first.empty() && first[0] != '-' && !find_sub(first)) {
    fmt::print(stderr, "perfkit: usage error: {}\nRun 'perfkit help' for what each does.\n",
               cli::unknown_subcommand_message(app, first));
    return usage;
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
    // An unknown option is reported as such even when CLI11 stopped first at a missing one.
    std::vector<CLI::App*> parsed = app.get_subcommands();
    CLI::App* sub = parsed.empty() ? &app : parsed.front();
    std::vector<std::string> left = sub->remaining();
    std::string where = sub == &app ? "perfkit" : "perfkit " + sub->get_name();
    std::string msg = left.empty() ? e.what() : cli::leftover_message(*sub, left);
    fmt::print(stderr, "{}: usage error: {}\n", where, msg);
    fmt::print(stderr, "Run '{}' for the options.\n",
               sub == &app ? std::string("perfkit help") : "perfkit help " + sub->get_name());
    return usage;
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
