// Subcommands register themselves: each cli/cmd_<verb>.cpp defines one static RegisterCommand.
// setup() adds the subcommand's options to its CLI::App and returns the function that runs it;
// that function returns the exit code (0 ok, 1 regression found, 2 usage, 3 bad input).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "lib/input.h"
#include "lib/pprof_view.h"
#include "lib/profile.h"
#include "lib/terminal.h"

namespace perfkit::cli {

using RunFn = std::function<int()>;

struct CommandSpec {
  std::string name;
  std::string description;
  std::string example;  // shown at the end of the subcommand's --help
  std::function<RunFn(CLI::App&)> setup;
};

std::vector<CommandSpec>& command_registry();

struct RegisterCommand {
  explicit RegisterCommand(CommandSpec spec) { command_registry().push_back(std::move(spec)); }
};

// The input argument of a subcommand that reads one file: optional, standard input when it is
// left out (as flamegraph.pl and inferno read it); "-" also names standard input.
CLI::Option* add_input_option(CLI::App& app, std::string& file, const std::string& what);

// -n,--nodecount N (pprof's -nodecount), the row count of every subcommand: N >= 0, 0 = all,
// the default being n's value when called; --nodes is kept as a hidden alias.
void add_nodecount_option(CLI::App& app, size_t& n, const std::string& what);

// Options every reading subcommand shares: --input-format, --max-input-size, -j.
void add_read_options(CLI::App& app, ReadOptions& opts);

// pprof's sample filters, the same set on every subcommand that reads stacks.
struct FilterCli {
  SampleFilter filter;
  std::string tagshow, taghide;  // which labels -traces prints (pprof's -tagshow/-taghide)
  std::string tagroot, tagleaf;  // label keys whose values become root / leaf frames
  // pprof's "Active filters:" lines, in its order.
  std::vector<std::string> active() const;
};
// Adds --focus --ignore --hide --show --show-from --prune-from --tagfocus --tagignore (and, with
// labels_too, --tagshow --taghide --tagroot --tagleaf).
void add_filter_options(CLI::App& app, FilterCli& f, bool labels_too = true);
// Applies --tagroot/--tagleaf to the profile (pprof adds them before filtering).
void apply_label_frames(Profile& p, const FilterCli& f, const std::string& unit);

// --simplify-names: C++ function names as pprof shows them (lib/display_names.h), for the
// outputs people read; the machine-readable ones (JSON, CSV, folded, JUnit) keep the full names.
void add_simplify_names_option(CLI::App& app, bool& on);

// Binary output (gzipped pprof) is not written to a terminal: a UsageError naming -o.
void refuse_binary_to_terminal(const std::string& out_path, const std::string& format);

// --wide and --color auto|always|never, on every subcommand that prints text tables or prose.
void add_terminal_options(CLI::App& app);
// How text bound for out_path is laid out: written to a terminal (stdout, no -o), its width
// ($COLUMNS, else the terminal's, else 80) unless --wide; otherwise full width. Colour as --color
// says (auto: stdout is a terminal and NO_COLOR is unset or empty).
terminal::TextStyle text_style(const std::string& out_path);
// Writes text output as emit does, after fitting what the renderer left wider than style.width:
// prose lines wrapped (kWrap), or cut with a marker (kCut, for pprof's fixed layouts).
enum class Fit { kWrap, kCut };
void emit_text(const std::string& out_path, const std::string& content,
               const terminal::TextStyle& style, Fit fit = Fit::kWrap);

// Writes rendered output to -o PATH (atomically) or stdout.
void emit(const std::string& out_path, const std::string& content);

// Prints the reader's warnings for a profile to stderr ("perfkit: warning: PATH: ...").
void print_warnings(const std::vector<perfkit::Warning>& warnings);

}  // namespace perfkit::cli
