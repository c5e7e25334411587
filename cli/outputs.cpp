#include "cli/outputs.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "lib/errors.h"
#include "lib/output.h"

namespace perfkit::cli {

namespace fs = std::filesystem;

std::string format_extension(const std::string& format) {
  static const std::map<std::string, std::string> kExt = {
      {"text", "txt"},         {"md", "md"},
      {"json", "json"},        {"csv", "csv"},
      {"junit", "xml"},        {"github", "github.txt"},
      {"html", "html"},        {"svg", "svg"},
      {"folded", "folded"},    {"pprof", "pb.gz"},
      {"chrome", "trace.json"}, {"speedscope", "speedscope.json"},
      {"callgrind", "callgrind"}, {"table", "table.txt"}};
  auto it = kExt.find(format);
  return it == kExt.end() ? format : it->second;
}

void OutputsCli::add(CLI::App& app, OutputSpec spec) {
  spec_ = std::move(spec);
  std::string choices;
  for (const auto& f : spec_.formats) choices += (choices.empty() ? "" : "|") + f;
  std::string help = spec_.format_help.empty() ? "Output format: " + choices : spec_.format_help;
  if (!spec_.default_format.empty() && help.find("default") == std::string::npos)
    help += " (default " + spec_.default_format + ")";
  help += "; repeat it, each with its -o, for several outputs from one run";
  CLI::Option* f = app.add_option(spec_.format_flags, formats_, help)
                       ->expected(1)
                       ->allow_extra_args(false)
                       ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                       ->type_name("FORMAT")
                       ->check(CLI::IsMember(spec_.formats));
  if (spec_.format_required) f->required();
  const std::string flag = spec_.format_flags.substr(0, spec_.format_flags.find(','));
  app.add_option("-o,--output", paths_,
                 "Write to this file (atomically; '-' is standard output); with several " + flag +
                     ", one -o for each, paired in order")
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("FILE");
  std::string example;
  for (const auto& fmt_name : spec_.formats)
    if (example.size() < 40) example += (example.empty() ? "" : ", ") + spec_.stem + "." + format_extension(fmt_name);
  app.add_option("--output-dir", dir_,
                 "Write each " + flag + " to a file in this directory (made if missing): " + example +
                     " ...")
      ->type_name("DIR");
}

std::vector<OutputTarget> OutputsCli::targets() const {
  std::vector<OutputTarget> out;
  const std::string flag = spec_.format_flags.substr(0, spec_.format_flags.find(','));
  if (!dir_.empty()) {
    if (!paths_.empty())
      throw UsageError("give -o FILE (with each --format) or --output-dir DIR, not both");
    std::vector<std::string> formats = formats_;
    if (formats.empty() && spec_.default_format.empty())
      throw UsageError(fmt::format("--output-dir needs {} (the output has no default format)", flag));
    if (formats.empty()) formats = {spec_.default_format};
    std::set<std::string> seen;
    for (const auto& f : formats) {
      if (!seen.insert(f).second)
        throw UsageError(
            fmt::format("--output-dir: {} {} is given twice (one file per format)", flag, f));
      out.push_back({f, (fs::path(dir_) / (spec_.stem + "." + format_extension(f))).string(), true});
    }
    return out;
  }
  if (formats_.size() <= 1 && paths_.size() <= 1) {
    out.push_back({formats_.empty() ? spec_.default_format : formats_[0],
                   paths_.empty() ? "" : paths_[0]});
    return out;
  }
  if (formats_.size() != paths_.size())
    throw UsageError(fmt::format(
        "{0} {1} and {2} -o: for several outputs give one -o FILE after each {1} "
        "(e.g. {1} {3} -o a.{4} {1} {5} -o b.{6}), or --output-dir DIR",
        formats_.size(), flag, paths_.size(), spec_.formats[0], format_extension(spec_.formats[0]),
        spec_.formats.back(), format_extension(spec_.formats.back())));
  size_t stdout_count = 0;
  std::map<std::string, std::string> files;  // canonical path -> as given
  for (size_t i = 0; i < formats_.size(); ++i) {
    OutputTarget t{formats_[i], paths_[i]};
    if (t.to_stdout()) {
      if (++stdout_count > 1)
        throw UsageError("standard output ('-o -') can take only one of the outputs");
    } else {
      std::error_code ec;
      fs::path canon = fs::weakly_canonical(fs::absolute(t.path, ec), ec);
      std::string key = ec ? t.path : canon.string();
      if (auto [it, fresh] = files.emplace(key, t.path); !fresh)
        throw UsageError(fmt::format("-o {}: the file is named twice ({} before)", t.path,
                                     it->second));
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool has_format(const std::vector<OutputTarget>& targets, const std::string& format) {
  for (const OutputTarget& t : targets)
    if (t.format == format) return true;
  return false;
}

bool has_machine_format(const std::vector<OutputTarget>& targets) {
  return has_format(targets, "json") || has_format(targets, "csv");
}

bool has_human_format(const std::vector<OutputTarget>& targets) {
  for (const OutputTarget& t : targets)
    if (t.format != "json" && t.format != "csv") return true;
  return false;
}

void refuse_binary_to_terminal(const std::vector<OutputTarget>& targets, const std::string& format) {
  for (const OutputTarget& t : targets)
    if (t.format == format && t.to_stdout()) refuse_binary_to_terminal(t.path, format);
}

terminal::TextStyle target_style(const OutputTarget& t) { return text_style(t.path); }

std::string fit_text(std::string text, const terminal::TextStyle& style, Fit fit) {
  if (style.width == 0) return text;
  return fit == Fit::kCut ? terminal::truncate_lines(text, style.width)
                          : terminal::wrap_lines(text, style.width);
}

namespace {

// The directories a run makes for --output-dir, removed again (when still empty) if it fails.
class MadeDirs {
 public:
  void make_parent_of(const std::string& path) {
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty()) return;
    std::vector<fs::path> missing;
    for (fs::path d = dir; !d.empty() && !fs::exists(d); d = d.parent_path()) {
      missing.push_back(d);
      if (d == d.parent_path()) break;
    }
    if (missing.empty()) return;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw OutputError(fmt::format("{}: cannot make the directory: {}", dir.string(), ec.message()));
    made_.insert(made_.end(), missing.begin(), missing.end());  // deepest first
  }
  void keep() { made_.clear(); }
  ~MadeDirs() {
    std::error_code ec;
    for (const auto& d : made_) fs::remove(d, ec);  // only empty ones go
  }

 private:
  std::vector<fs::path> made_;
};

// Standard output's share of a run with several outputs, held until the files are renamed: in
// memory up to kMemoryBytes, then in an unlinked temporary file (in $TMPDIR, else /tmp), so a
// streamed output to standard output beside files needs no more memory than alone.
class StdoutSpool final : public ByteSink {
 public:
  static constexpr size_t kMemoryBytes = size_t{8} << 20;
  StdoutSpool() = default;
  StdoutSpool(const StdoutSpool&) = delete;
  StdoutSpool& operator=(const StdoutSpool&) = delete;
  ~StdoutSpool() {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(std::string_view s) override {
    if (fd_ < 0 && mem_.size() + s.size() <= kMemoryBytes) {
      mem_ += s;
      return;
    }
    if (fd_ < 0) open_file();
    write_all(s);
  }
  // Writes what was held to standard output. Throws OutputError.
  void copy_to_stdout() {
    OutputFile out("");
    out.write(mem_);
    if (fd_ >= 0) {
      if (::lseek(fd_, 0, SEEK_SET) != 0) fail("seek failed");
      std::string buf(size_t{1} << 20, '\0');
      for (;;) {
        ssize_t n = ::read(fd_, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read failed");
        if (n == 0) break;
        out.write(std::string_view(buf.data(), static_cast<size_t>(n)));
      }
    }
    out.commit();
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw OutputError(fmt::format("{}: standard output's temporary file: {}: {}", dir_, what,
                                  std::strerror(errno)));
  }
  void open_file() {
    const char* env = std::getenv("TMPDIR");
    dir_ = env && *env ? env : "/tmp";
    std::string name = (fs::path(dir_) / "perfkit-stdout-XXXXXX").string();
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0) fail("cannot create");
    ::unlink(name.c_str());
    write_all(mem_);
    std::string().swap(mem_);
  }
  void write_all(std::string_view s) {
    while (!s.empty()) {
      ssize_t n = ::write(fd_, s.data(), s.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("write failed");
      s.remove_prefix(static_cast<size_t>(n));
    }
  }

  std::string mem_, dir_;
  int fd_ = -1;
};

}  // namespace

void emit_outputs_streamed(const std::vector<OutputTarget>& targets, const StreamFn& render) {
  MadeDirs dirs;
  if (targets.size() == 1) {  // the single output of before
    if (targets[0].in_output_dir) dirs.make_parent_of(targets[0].path);
    OutputFile out(targets[0].path);
    FileSink sink(out);
    render(targets[0], sink);
    out.commit();
    dirs.keep();
    return;
  }
  std::vector<std::unique_ptr<OutputFile>> files(targets.size());
  StdoutSpool stdout_spool;
  for (size_t i = 0; i < targets.size(); ++i) {
    const OutputTarget& t = targets[i];
    if (t.to_stdout()) {
      render(t, stdout_spool);
      continue;
    }
    if (t.in_output_dir) dirs.make_parent_of(t.path);
    files[i] = std::make_unique<OutputFile>(t.path);
    FileSink sink(*files[i]);
    render(t, sink);
  }
  for (auto& f : files)
    if (f) f->finish();
  // A rename cannot run short of space; should one still fail, the files already renamed go
  // too, so that a failed run leaves none of its outputs.
  std::vector<std::string> renamed;
  try {
    for (size_t i = 0; i < targets.size(); ++i) {
      if (!files[i]) continue;
      const bool renames = files[i]->renames();
      files[i]->commit();
      if (renames) renamed.push_back(targets[i].path);
    }
  } catch (...) {
    for (const auto& p : renamed) ::unlink(p.c_str());
    throw;
  }
  dirs.keep();
  for (const OutputTarget& t : targets)
    if (t.to_stdout()) stdout_spool.copy_to_stdout();
}

void emit_outputs(const std::vector<OutputTarget>& targets, const RenderFn& render) {
  if (targets.size() == 1 && !targets[0].in_output_dir)  // the single output of before
    return write_output(targets[0].path, render(targets[0]));
  emit_outputs_streamed(targets,
                        [&render](const OutputTarget& t, ByteSink& sink) { sink.write(render(t)); });
}

}  // namespace perfkit::cli
