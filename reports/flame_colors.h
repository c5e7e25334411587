// Flame-graph palettes. Deterministic: a color is a function of the frame name (a hash, never a
// random number), so the same name gets the same color on every run and in every graph.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace perfkit {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

// Palette names: hot (default), by-package, mem, io, red, green, blue, aqua, yellow, purple, orange.
const std::vector<std::string>& flame_palettes();

// The color of a frame name in a palette (unknown palettes fall back to hot).
Rgb flame_color(std::string_view name, std::string_view palette);

// The package part of a qualified name: "example.com/svc/db.(*Row).Scan" -> "example.com/svc/db",
// "std::vector<int>::push_back" -> "std", "json.decoder.scan" -> "json", "main" -> "main".
std::string_view package_of(std::string_view name);

// Differential color: white at 0, red for growth, blue for shrinkage, by |delta| / max_abs.
Rgb diff_color(double delta, double max_abs);

}  // namespace perfkit
