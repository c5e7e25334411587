// Several outputs from one run: `--format md -o a.md --format junit -o b.xml` (pairs, in order)
// or `--output-dir DIR` (one file per --format, DIR/STEM.EXT). The subcommand reads and analyses
// its input once and hands a renderer to emit_outputs, which writes every output or none: each
// file goes to a temporary (lib/output.h), and only when all are written and closed are they
// renamed into place; standard output, which cannot be taken back, comes last.
// One --format and at most one -o is the single output of before, written exactly as before.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "lib/terminal.h"
#include "lib/text_out.h"

namespace perfkit::cli {

struct OutputSpec {
  std::string stem;                    // --output-dir file names: STEM.EXT (the subcommand)
  std::vector<std::string> formats;    // the choices
  std::string default_format;          // used when no --format is given ("": --output-dir
                                       // then needs one; the subcommand picks for one output)
  std::string format_flags = "--format";
  std::string format_help;             // what each format is; the repetition rule is added
  bool format_required = false;        // convert: --to has no default
};

struct OutputTarget {
  std::string format;
  std::string path;  // "" = standard output
  bool in_output_dir = false;  // --output-dir: its directory is made when missing
  bool to_stdout() const { return path.empty() || path == "-"; }
};

// The file name extension --output-dir gives a format ("md", "xml" for junit, "pb.gz" ...).
std::string format_extension(const std::string& format);

class OutputsCli {
 public:
  // Adds the format flag (repeatable), -o,--output (repeatable) and --output-dir.
  void add(CLI::App& app, OutputSpec spec);
  // The outputs asked for, in order. Throws UsageError (exit 2): -o and --output-dir together,
  // counts of --format and -o that do not pair, standard output twice, one file named twice.
  std::vector<OutputTarget> targets() const;

 private:
  OutputSpec spec_;
  std::vector<std::string> formats_, paths_;
  std::string dir_;
};

// Whether any target has this format.
bool has_format(const std::vector<OutputTarget>& targets, const std::string& format);
// --simplify-names: json and csv outputs are for programs and keep the full names; the others
// (text, md, html, svg) are for people. Whether targets hold one of either kind.
bool has_machine_format(const std::vector<OutputTarget>& targets);
bool has_human_format(const std::vector<OutputTarget>& targets);
// Binary output (refuse_binary_to_terminal) to standard output as one of the targets: UsageError.
void refuse_binary_to_terminal(const std::vector<OutputTarget>& targets, const std::string& format);
// How a text target is laid out: text_style(its path), so a terminal's width and colour only for
// standard output.
terminal::TextStyle target_style(const OutputTarget& t);
// Text fitted to style.width as emit_text fits it (unchanged when the width is 0).
std::string fit_text(std::string text, const terminal::TextStyle& style, Fit fit = Fit::kWrap);

using RenderFn = std::function<std::string(const OutputTarget&)>;
using StreamFn = std::function<void(const OutputTarget&, ByteSink&)>;

// Renders each target in order and writes all of them or none (see the top). Throws what render
// throws, or OutputError.
void emit_outputs(const std::vector<OutputTarget>& targets, const RenderFn& render);
// The same for renderers that stream into a sink (outputs larger than memory should hold).
void emit_outputs_streamed(const std::vector<OutputTarget>& targets, const StreamFn& render);

}  // namespace perfkit::cli
