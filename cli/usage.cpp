#include "cli/usage.h"

#include <algorithm>

#include <fmt/format.h>

namespace perfkit::cli {

size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment distance over three rolling rows.
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> nearest(const std::string& word,
                                   const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_d = 0;
  const size_t limit = word.size() <= 3 ? 1 : 2;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d <= limit && (!best || d < best_d)) best = c, best_d = d;
  }
  if (best) return best;
  // "conv" for "convert", "--sample" for "--sample-index": the start of exactly one name.
  const std::string bare = word.substr(word.find_first_not_of('-') == std::string::npos
                                           ? word.size()
                                           : word.find_first_not_of('-'));
  if (bare.size() < 2) return std::nullopt;
  for (const auto& c : candidates) {
    if (c.size() > word.size() && c.compare(0, word.size(), word) == 0) {
      if (best) return std::nullopt;  // ambiguous
      best = c;
    }
  }
  return best;
}

namespace {

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() != "help") names.push_back(sub->get_name());
  names.push_back("help");
  return names;
}

}  // namespace

std::string subcommand_list(const CLI::App& app) {
  std::string list;
  for (const auto& n : subcommand_names(app)) list += (list.empty() ? "" : ", ") + n;
  return list;
}

std::string unknown_subcommand_message(const CLI::App& app, const std::string& word) {
  std::string msg = fmt::format("unknown subcommand '{}'", word);
  if (auto n = nearest(word, subcommand_names(app))) msg += fmt::format("; did you mean '{}'?", *n);
  return msg + "\nSubcommands: " + subcommand_list(app);
}

std::vector<std::string> option_spellings(const CLI::App& sub) {
  std::vector<std::string> out;
  for (const CLI::Option* o : sub.get_options([](const CLI::Option*) { return true; })) {
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

std::string leftover_message(const CLI::App& sub, const std::vector<std::string>& leftovers) {
  const std::string& first = leftovers.front();
  if (first.size() > 1 && first[0] == '-') {
    std::string name = first.substr(0, first.find('='));
    std::string msg = fmt::format("unknown option '{}'", name);
    if (auto n = nearest(name, option_spellings(sub))) msg += fmt::format("; did you mean '{}'?", *n);
    return msg;
  }
  std::string msg = fmt::format("unexpected argument '{}'", first);
  if (leftovers.size() > 1) msg += fmt::format(" (and {} more)", leftovers.size() - 1);
  return msg;
}

}  // namespace perfkit::cli
