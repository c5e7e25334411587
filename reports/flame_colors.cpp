#include "reports/flame_colors.h"

#include <cmath>
#include <cstdint>

namespace perfkit {

namespace {

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Three numbers in [0, 1] from a name's hash.
struct Unit3 {
  double v1, v2, v3;
};

Unit3 unit3(std::string_view s) {
  uint64_t h = fnv1a(s);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return {double(h & 0xFFFF) / 65535.0, double((h >> 16) & 0xFFFF) / 65535.0,
          double((h >> 32) & 0xFFFF) / 65535.0};
}

int to_int(double x) { return static_cast<int>(x); }

Rgb hsl(double hue_deg, double s, double l) {
  double c = (1 - std::fabs(2 * l - 1)) * s;
  double hp = hue_deg / 60.0;
  double x = c * (1 - std::fabs(std::fmod(hp, 2.0) - 1));
  double r = 0, g = 0, b = 0;
  if (hp < 1) r = c, g = x;
  else if (hp < 2) r = x, g = c;
  else if (hp < 3) g = c, b = x;
  else if (hp < 4) g = x, b = c;
  else if (hp < 5) r = x, b = c;
  else r = c, b = x;
  double m = l - c / 2;
  return {to_int((r + m) * 255 + 0.5), to_int((g + m) * 255 + 0.5), to_int((b + m) * 255 + 0.5)};
}

}  // namespace

const std::vector<std::string>& flame_palettes() {
  static const std::vector<std::string> kNames = {"hot",  "by-package", "mem",    "io",
                                                  "red",  "green",      "blue",   "aqua",
                                                  "yellow", "purple",   "orange"};
  return kNames;
}

std::string_view package_of(std::string_view name) {
  size_t paren = name.find('(');
  std::string_view head = name.substr(0, paren == std::string_view::npos ? name.size() : paren);
  size_t colons = head.find("::");
  if (colons != std::string_view::npos && colons > 0) return name.substr(0, colons);
  size_t slash = head.rfind('/');
  size_t from = slash == std::string_view::npos ? 0 : slash + 1;
  size_t dot = head.find('.', from);
  if (dot != std::string_view::npos && dot > 0) return name.substr(0, dot);
  return name;
}

Rgb flame_color(std::string_view name, std::string_view palette) {
  if (palette == "by-package") {
    Unit3 u = unit3(package_of(name));
    return hsl(u.v1 * 360.0, 0.55 + 0.2 * u.v2, 0.62 + 0.1 * u.v3);
  }
  Unit3 u = unit3(name);
  double v1 = u.v1, v2 = u.v2, v3 = u.v3;
  if (palette == "mem") return {0, to_int(190 + 50 * v2), to_int(210 * v1)};
  if (palette == "io") {
    int r = to_int(80 + 60 * v1);
    return {r, r, to_int(190 + 55 * v2)};
  }
  if (palette == "red") {
    int gb = to_int(50 + 80 * v1);
    return {to_int(200 + 55 * v1), gb, gb};
  }
  if (palette == "green") {
    int rb = to_int(50 + 60 * v1);
    return {rb, to_int(200 + 55 * v1), rb};
  }
  if (palette == "blue") {
    int rg = to_int(80 + 60 * v1);
    return {rg, rg, to_int(205 + 50 * v1)};
  }
  if (palette == "aqua") {
    int gb = to_int(165 + 55 * v1);
    return {to_int(50 + 60 * v1), gb, gb};
  }
  if (palette == "yellow") {
    int rg = to_int(175 + 55 * v1);
    return {rg, rg, to_int(50 + 20 * v1)};
  }
  if (palette == "purple") {
    int rb = to_int(190 + 65 * v1);
    return {rb, to_int(80 + 60 * v1), rb};
  }
  if (palette == "orange") return {to_int(190 + 65 * v1), to_int(90 + 65 * v1), 0};
  // hot: flamegraph.pl's default ranges
  return {to_int(205 + 50 * v3), to_int(230 * v1), to_int(55 * v2)};
}

Rgb diff_color(double delta, double max_abs) {
  if (delta == 0 || max_abs <= 0) return {250, 250, 250};
  double i = std::fabs(delta) / max_abs;
  if (i > 1) i = 1;
  int c = to_int(225 * (1 - i) + 0.5);
  return delta > 0 ? Rgb{255, c, c} : Rgb{c, c, 255};
}

}  // namespace perfkit
