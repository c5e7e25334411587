#include "reports/flame_svg.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/units.h"
#include "reports/escape.h"
#include "reports/flame_colors.h"
#include "reports/flame_svg_script.h"
#include "reports/html/units_js.h"

namespace perfkit {

namespace {

constexpr double kFrameHeight = 16;
constexpr double kFontSize = 12;
constexpr double kFontWidth = 0.59;  // average glyph width / font size (Verdana)
constexpr double kXPad = 10;
constexpr double kTopPad = kFontSize * 3 + 8;
constexpr double kBottomPad = kFontSize * 2 + 10;
constexpr double kLegendHeight = 22;  // differential graphs: the colour legend under the frames

std::string percent_text(int64_t v, int64_t total) {
  return total == 0 ? "0%" : units::human_percent(100.0 * double(v) / double(total));
}

std::string signed_value(double d, const FlameTree& t) {
  int64_t v = std::llround(d);
  std::string s = units::human_value(v < 0 ? -v : v, t.unit, t.scale);
  return (v < 0 ? "-" : "+") + s;
}

// The tooltip after the name: value and share, and for a differential graph base and change.
std::string frame_info(const FlameTree& t, const FlameNode& n, double delta, const FlameSvgOptions& o) {
  std::string s = fmt::format("{} ({})", units::human_value(n.value, t.unit, t.scale),
                              percent_text(n.value, t.total()));
  s += fmt::format(", self {}", units::human_value(n.self, t.unit, t.scale));
  if (!t.differential) return s;
  int64_t base = o.diff_by == DiffBy::kSelf ? n.base_self : n.base_value;
  s += fmt::format("\nbase {} {}: {}", o.diff_by == DiffBy::kSelf ? "self" : "total",
                   units::human_value(base, t.unit, t.scale), signed_value(delta, t));
  if (base == 0 && delta != 0) s += " (new)";
  else if (base != 0) {
    double pct = 100.0 * delta / double(base);
    s += fmt::format(" ({}{})", pct > 0 ? "+" : "", units::human_percent(pct));
  }
  return s;
}

struct Layout {
  double width, inner_width, height;
  double bottom_pad = kBottomPad;
  uint32_t max_depth = 0;
};

// What a differential graph's colour means, under the frames: five swatches from the darkest blue
// through white to the darkest red, labelled with the change each stands for (the darkest is the
// largest |change| drawn). data-by and data-max carry the same facts for scripts.
void legend(std::string& out, const FlameTree& t, const FlameSvgOptions& o, const Layout& L,
            double max_abs) {
  const bool by_total = o.diff_by == DiffBy::kTotal;
  double y = L.height - kBottomPad - kLegendHeight + 6;
  out += fmt::format("<g id=\"legend\" style=\"font-size:12px\" data-by=\"{}\" data-max=\"{}\">",
                     by_total ? "total" : "self",
                     std::llround(max_abs));
  std::string what = fmt::format("Colour = change in {}, new - base{}:",
                                 by_total ? "total (the frame with its callees)" : "self",
                                 o.normalize ? " scaled to the new total" : "");
  out += fmt::format("<text x=\"{}\" y=\"{:.1f}\">", kXPad, y + 10);
  append_xml_escaped(out, what);
  out += "</text>";
  double x = kXPad + double(what.size() + 1) * kFontSize * kFontWidth;
  if (max_abs > 0) {
    for (double k : {-1.0, -0.5, 0.0, 0.5, 1.0}) {
      Rgb c = diff_color(k * max_abs, max_abs);
      std::string label = k == 0 ? "0" : signed_value(k * max_abs, t);
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"12\" "
                         "fill=\"rgb({},{},{})\" stroke=\"#999\" stroke-width=\"0.5\"/>",
                         x, y, c.r, c.g, c.b);
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">", x + 18, y + 10);
      append_xml_escaped(out, label);
      out += "</text>";
      x += 18 + double(label.size() + 2) * kFontSize * kFontWidth;
    }
  }
  std::string tail = max_abs > 0 ? "red grew, blue shrank; the darkest is the largest change"
                                 : "no frame changed";
  out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">", x, y + 10);
  append_xml_escaped(out, tail);
  out += "</text>";
  out += "</g>\n";
}

void header(std::string& out, const FlameTree& t, const FlameSvgOptions& o, const Layout& L) {
  out += "<?xml version=\"1.0\" standalone=\"no\"?>\n";
  out += fmt::format(
      "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
      "height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" data-total=\"{}\" data-xpad=\"{}\" "
      "data-iw=\"{:.2f}\" data-fs=\"{}\" data-unit=\"",
      L.width, L.height, L.width, L.height, t.total(), kXPad, L.inner_width, kFontSize);
  append_xml_escaped(out, t.unit);
  out += fmt::format("\" data-differential=\"{}\">\n", t.differential ? 1 : 0);
  out += "<style type=\"text/css\"><![CDATA[";
  out += kFlameSvgStyle;
  out += "]]></style>\n";
  out += "<defs><linearGradient id=\"bg\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
         "<stop stop-color=\"#eeeeee\" offset=\"5%\"/><stop stop-color=\"";
  out += t.differential ? "#e0e0ff" : "#eeeeb0";
  out += "\" offset=\"95%\"/></linearGradient></defs>\n";
  out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\" fill=\"url(#bg)\"/>\n",
                     L.width, L.height);
  std::string title = o.title;
  if (title.empty())
    title = t.differential ? "Differential Flame Graph" : o.icicle ? "Icicle Graph" : "Flame Graph";
  out += fmt::format("<text id=\"title\" x=\"{:.1f}\" y=\"20\" text-anchor=\"middle\">", L.width / 2);
  append_xml_escaped(out, title);
  out += "</text>\n";
  std::string sub = o.subtitle;
  if (sub.empty()) {
    sub = fmt::format("{}/{}: total {}", t.type, t.unit, units::human_value(t.total(), t.unit, t.scale));
    if (t.differential)
      sub += fmt::format(" (base {}); red = grew, blue = shrank, by {}{}",
                         units::human_value(t.base_total, t.unit, t.scale),
                         o.diff_by == DiffBy::kSelf ? "self" : "total",
                         o.normalize ? ", base normalized to the new total" : "");
  }
  out += fmt::format("<text id=\"subtitle\" x=\"{:.1f}\" y=\"38\" text-anchor=\"middle\">", L.width / 2);
  append_xml_escaped(out, sub);
  out += "</text>\n";
  out += fmt::format("<text id=\"unzoom\" class=\"btn\" x=\"{}\" y=\"20\" style=\"opacity:0\">Reset Zoom</text>\n", kXPad);
  out += fmt::format("<text id=\"search\" class=\"btn\" x=\"{:.1f}\" y=\"20\" text-anchor=\"end\">Search</text>\n",
                     L.width - kXPad);
  out += fmt::format("<text id=\"details\" x=\"{}\" y=\"{:.1f}\"> </text>\n", kXPad, L.height - 12);
  out += fmt::format("<text id=\"matched\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\"></text>\n",
                     L.width - kXPad, L.height - 12);
}

}  // namespace

std::string render_flame_svg(const FlameTree& t, const FlameSvgOptions& o) {
  Layout L;
  L.width = std::max(o.width, 4 * kXPad);
  L.inner_width = L.width - 2 * kXPad;
  double min_fraction = o.min_width_px > 0 ? o.min_width_px / L.inner_width : 0;
  std::vector<uint8_t> vis = flame_visible(t, min_fraction);
  std::vector<int64_t> off = flame_offsets(t);
  std::vector<double> delta;
  double max_abs = 0;
  if (t.differential) {
    delta = flame_deltas(t, o.diff_by, o.normalize);
    for (size_t i = 1; i < t.nodes.size(); ++i)
      if (vis[i]) max_abs = std::max(max_abs, std::fabs(delta[i]));
  }
  // Weight of pruned children, per visible node.
  std::vector<int64_t> pruned(t.nodes.size(), 0);
  for (size_t i = 1; i < t.nodes.size(); ++i) {
    const FlameNode& n = t.nodes[i];
    if (!vis[i] && vis[n.parent]) pruned[n.parent] += n.value;
    if (vis[i]) L.max_depth = std::max(L.max_depth, n.depth);
  }
  if (t.differential) L.bottom_pad += kLegendHeight;
  L.height = (L.max_depth + 1) * kFrameHeight + kTopPad + L.bottom_pad;

  std::string out;
  out.reserve(4096 + 256 * std::count(vis.begin(), vis.end(), 1));
  header(out, t, o, L);
  if (t.differential) legend(out, t, o, L, max_abs);
  out += "<g id=\"frames\">\n";
  double total = double(std::max<int64_t>(t.total(), 1));
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    if (!vis[i]) continue;
    const FlameNode& n = t.nodes[i];
    double x = kXPad + double(off[i]) / total * L.inner_width;
    double w = double(n.value) / total * L.inner_width;
    double y = o.icicle ? kTopPad + n.depth * kFrameHeight
                        : L.height - L.bottom_pad - (n.depth + 1) * kFrameHeight;
    std::string_view raw = t.names[n.name];
    std::string name = sanitize_utf8(raw);
    Rgb c = t.differential ? diff_color(i == 0 ? 0 : delta[i], max_abs) : flame_color(name, o.colors);
    out += fmt::format("<g class=\"f\" data-v=\"{}\" data-o=\"{}\" data-d=\"{}\"", n.value, off[i], n.depth);
    if (pruned[i]) out += fmt::format(" data-p=\"{}\"", pruned[i]);
    if (t.differential) out += fmt::format(" data-b=\"{}\"", n.base_value);
    out += "><title>";
    append_xml_escaped(out, name);
    out += '\n';
    append_xml_escaped(out, frame_info(t, n, t.differential ? delta[i] : 0, o));
    out += fmt::format("</title><rect x=\"{:.2f}\" y=\"{:.0f}\" width=\"{:.2f}\" height=\"{:.0f}\" "
                       "fill=\"rgb({},{},{})\"/>",
                       x, y, w, kFrameHeight - 1, c.r, c.g, c.b);
    size_t max_chars = static_cast<size_t>(std::max(0.0, (w - 6) / (kFontSize * kFontWidth)));
    if (max_chars >= 3) {  // no label fits narrower frames: the script adds one on zoom
      out += fmt::format("<text x=\"{:.2f}\" y=\"{:.1f}\">", x + 3, y + 11.5);
      append_xml_escaped(out, truncate_label(name, max_chars));
      out += "</text>";
    }
    out += "</g>\n";
  }
  // The script comes last, so the frames and controls exist when it runs.
  out += "</g>\n<script type=\"text/ecmascript\"><![CDATA[";
  out += html::kUnitsJs;  // the "Matched:" share in the style of the frames' titles
  out += kFlameSvgScript;
  out += "]]></script>\n</svg>\n";
  return out;
}

}  // namespace perfkit
