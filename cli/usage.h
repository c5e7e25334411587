// The messages for a command line perfkit cannot run: an unknown subcommand or option (with the
// nearest known spelling), `perfkit help [SUB]`, a missing subcommand. Used by cli/main.cpp.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace perfkit::cli {

// Edit distance with adjacent transpositions counted as one edit ("tpo" -> "top" is 1).
size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word`, if it is close enough to be what was meant: within 2 edits
// (1 for words of up to 3 letters), or a candidate that `word` is the start of.
std::optional<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates);

// "convert, diff, flame, ...": the subcommands' names, "help" last.
std::string subcommand_list(const CLI::App& app);

// "unknown subcommand 'tpo'; did you mean 'top'?" (without the "perfkit: usage error: " prefix).
std::string unknown_subcommand_message(const CLI::App& app, const std::string& word);

// For arguments a subcommand did not take (CLI11's leftovers): "unknown option '--fcus'; did you
// mean '--focus'?" or "unexpected argument 'x'" for the first of them.
std::string leftover_message(const CLI::App& sub, const std::vector<std::string>& leftovers);

// The names of a subcommand's options as typed: "--focus", "-n", ...
std::vector<std::string> option_spellings(const CLI::App& sub);

}  // namespace perfkit::cli
