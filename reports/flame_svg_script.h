// The flame graph's inline script and style. Names are read from the DOM (title text) and set
// with textContent, never parsed as markup or code.
#pragma once

namespace perfkit {

inline constexpr const char* kFlameSvgStyle = R"CSS(
text { font-family: Verdana, sans-serif; fill: #000; }
.f { cursor: pointer; }
.f text { font-size: 12px; pointer-events: none; }
.f:hover rect { stroke: #000; stroke-width: 0.5; }
.dim rect { opacity: 0.45; }
.btn { cursor: pointer; font-size: 12px; }
.btn:hover { text-decoration: underline; }
#title { font-size: 17px; }
#subtitle, #details, #matched { font-size: 12px; fill: #333; }
)CSS";

inline constexpr const char* kFlameSvgScript = R"JS(
(function () {
  "use strict";
  var svg = document.documentElement;
  var total = +svg.getAttribute("data-total"), XP = +svg.getAttribute("data-xpad");
  var IW = +svg.getAttribute("data-iw"), FS = +svg.getAttribute("data-fs");
  var details = document.getElementById("details"), matched = document.getElementById("matched");
  var unzoomBtn = document.getElementById("unzoom"), searchBtn = document.getElementById("search");
  var frames = Array.prototype.slice.call(svg.querySelectorAll("g.f")).map(function (g, i) {
    var t = g.querySelector("title").textContent, nl = t.indexOf("\n");
    g.setAttribute("data-i", i);
    return { g: g, r: g.querySelector("rect"), t: g.querySelector("text"),
             n: nl < 0 ? t : t.slice(0, nl), info: nl < 0 ? "" : t.slice(nl + 1).replace(/\n/g, "; "),
             o: +g.getAttribute("data-o"), v: +g.getAttribute("data-v"),
             d: +g.getAttribute("data-d"), fill: null };
  });
  var zoomed = null, searching = null;
  function fit(f, x, w) {
    var max = Math.floor((w - 6) / (FS * 0.59));
    if (!f.t) {  // labels of frames too narrow at first are made when needed
      if (max < 3) return;
      f.t = document.createElementNS("http://www.w3.org/2000/svg", "text");
      f.t.setAttribute("y", (+f.r.getAttribute("y") + 11.5).toFixed(1));
      f.g.appendChild(f.t);
    }
    f.t.setAttribute("x", (x + 3).toFixed(2));
    f.t.textContent = max < 3 ? "" : (f.n.length <= max ? f.n : f.n.slice(0, max - 2) + "..");
  }
  function place(f, x, w) {
    f.r.setAttribute("x", x.toFixed(2));
    f.r.setAttribute("width", w.toFixed(2));
    fit(f, x, w);
  }
  function zoom(z) {
    zoomed = z;
    var o0 = z ? z.o : 0, v0 = z ? z.v : total, d0 = z ? z.d : 0;
    unzoomBtn.style.opacity = z ? "1" : "0";
    frames.forEach(function (f) {
      var inside = f.d >= d0 && f.o >= o0 && f.o + f.v <= o0 + v0;
      var above = f.d < d0 && f.o <= o0 && f.o + f.v >= o0 + v0;
      if (inside) {
        f.g.style.display = "";
        f.g.classList.remove("dim");
        place(f, XP + (f.o - o0) / v0 * IW, f.v / v0 * IW);
      } else if (above) {
        f.g.style.display = "";
        f.g.classList.add("dim");
        place(f, XP, IW);
      } else {
        f.g.style.display = "none";
      }
    });
  }
  function frameOf(e) {
    var g = e.target.closest ? e.target.closest("g.f") : null;
    return g ? frames[+g.getAttribute("data-i")] : null;
  }
  svg.addEventListener("click", function (e) {
    var f = frameOf(e);
    if (f) zoom(f.d === 0 ? null : f);
  });
  svg.addEventListener("mouseover", function (e) {
    var f = frameOf(e);
    details.textContent = f ? f.n + " (" + f.info + ")" : " ";
  });
  unzoomBtn.addEventListener("click", function (e) { e.stopPropagation(); zoom(null); });
  function search(re) {
    searching = re;
    var hits = [];
    frames.forEach(function (f) {
      if (re && re.test(f.n)) {
        if (f.fill === null) f.fill = f.r.getAttribute("fill");
        f.r.setAttribute("fill", "rgb(230,0,230)");
        hits.push(f);
      } else if (f.fill !== null) {
        f.r.setAttribute("fill", f.fill);
        f.fill = null;
      }
    });
    if (!re) {
      matched.textContent = "";
      searchBtn.textContent = "Search";
      return;
    }
    hits.sort(function (a, b) { return a.o - b.o || a.d - b.d; });
    var sum = 0, end = -1;
    hits.forEach(function (f) {  // nested matches count once
      if (f.o >= end) { sum += f.v; end = f.o + f.v; }
    });
    matched.textContent = "Matched: " + (total > 0 ? PerfkitUnits.share(sum, total) : "0%");
    searchBtn.textContent = "Reset Search";
  }
  function ask() {
    var text = window.prompt("Search for (regular expression):", "");
    if (text === null) return;
    if (text === "") { search(null); return; }
    var re;
    try { re = new RegExp(text); }
    catch (err) { re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")); }
    search(re);
  }
  searchBtn.addEventListener("click", function (e) {
    e.stopPropagation();
    if (searching) search(null); else ask();
  });
  document.addEventListener("keydown", function (e) {
    if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F"))) {
      e.preventDefault();
      ask();
    } else if (e.key === "Escape") {
      zoom(null);
      search(null);
    }
  });
  window.perfkitFlame = { zoom: function (i) { zoom(i == null ? null : frames[i]); },
                          search: function (s) { search(s ? new RegExp(s) : null); } };
})();
)JS";

}  // namespace perfkit
