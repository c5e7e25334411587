// The flame graph as one self-contained interactive SVG (inline CSS and script, no network):
// click to zoom, reset, search (button or Ctrl-F) with the matched share, tooltips with name,
// value and percent. Frames narrower than min_width_px are not drawn; their weight stays in the
// parent (a gap). Each frame carries its raw numbers: data-v (inclusive value), data-o (offset
// from the left edge, value units), data-d (depth), data-p (weight of pruned children, if any),
// data-b (base value, differential graphs). A differential graph has a legend (id "legend"):
// what the colour measures and the change the darkest red and blue stand for.
#pragma once
#include <string>

#include "lib/flame.h"

namespace perfkit {

struct FlameSvgOptions {
  std::string title;          // "" = "Flame Graph" / "Icicle Graph" / "Differential Flame Graph"
  std::string subtitle;       // "" = value type and total
  double width = 1200;        // px
  double min_width_px = 0.1;  // frames narrower than this are pruned
  bool icicle = false;        // root at the top
  std::string colors = "hot";
  DiffBy diff_by = DiffBy::kTotal;  // differential trees only: colour by the change in total
  bool normalize = false;
};

std::string render_flame_svg(const FlameTree& t, const FlameSvgOptions& o);

}  // namespace perfkit
