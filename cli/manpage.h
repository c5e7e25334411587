// The man page and the shell completions, generated from the same option tables as --help (the
// build runs `perfkit help --man` and `perfkit help --completion bash|zsh`; see CMakeLists.txt).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

namespace perfkit::cli {

// perfkit.1 in man(7) roff: every subcommand with its usage, options and footer text.
std::string render_man_page(const CLI::App& app, const std::string& version,
                            const std::string& exit_codes);

// A completion script for "bash" or "zsh": subcommands, each one's options, the choices of
// enumerated options, files for the rest. Throws UsageError for another shell.
std::string render_completion(const CLI::App& app, const std::string& shell);

}  // namespace perfkit::cli
