// The HTML report's script (inlined into the page). It reads the JSON data block and builds the
// page; every name reaches the DOM through textContent, never as markup.
#pragma once
#include <string_view>

namespace perfkit::html {

inline constexpr std::string_view kReportJs = R"JS(
(function () {
'use strict';
var D = JSON.parse(document.getElementById('perfkit-data').textContent);
var app = document.getElementById('app');

// ---------- DOM helpers (text only through textContent) ----------
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function add(parent) {
  for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
  return parent;
}
function section(id, title) {
  var s = el('section'); s.id = id;
  add(s, el('h2', null, title));
  app.appendChild(s);
  var a = el('a', null, title); a.href = '#' + id;
  document.getElementById('nav').appendChild(a);
  return s;
}

// ---------- units: lib/units.h's style, from units_js.h ----------
var formatter = PerfkitUnits.formatter, pct = PerfkitUnits.share, fmtCount = PerfkitUnits.count;
var fmtNs = PerfkitUnits.duration, change = PerfkitUnits.change;
function signed(s, v) { return v > 0 ? '+' + s : s; }

// ---------- a sortable, filterable table ----------
// cols: [{label, type: 'text'|'num', get(row) -> sort key, show(row) -> text, cls(row)}]
function dataTable(parent, id, cols, rows, opts) {
  opts = opts || {};
  var wrapTop = el('div', 'controls');
  var filter = el('input'); filter.type = 'search'; filter.placeholder = 'Filter by name';
  filter.id = id + '-filter';
  var info = el('span', 'note');
  add(wrapTop, filter, info);
  var wrap = el('div', 'tablewrap');
  var table = el('table', 'data'); table.id = id;
  var thead = el('thead'), htr = el('tr'), tbody = el('tbody');
  var sortCol = opts.sortCol === undefined ? -1 : opts.sortCol, desc = opts.desc !== false;
  var ths = cols.map(function (c, k) {
    var th = el('th', c.type === 'text' ? 'text' : null, c.label);
    th.dataset.col = String(k);
    if (c.title) th.title = c.title;
    th.addEventListener('click', function () {
      if (sortCol === k) desc = !desc; else { sortCol = k; desc = c.type !== 'text'; }
      render();
    });
    htr.appendChild(th);
    return th;
  });
  add(thead, htr); add(table, thead, tbody); add(wrap, table);
  add(parent, wrapTop, wrap);
  if (opts.hidden > 0)
    add(parent, el('p', 'note', 'The report keeps the first ' + rows.length + ' of ' +
      (rows.length + opts.hidden) + ' rows; ' + opts.hidden + ' smaller rows are hidden' +
      (opts.hiddenHint ? ' (' + opts.hiddenHint + ')' : '') + '.'));
  var timer = 0;
  filter.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 120); });
  function render() {
    var q = filter.value.trim().toLowerCase();
    var shown = rows;
    if (q) shown = rows.filter(function (r) { return opts.text(r).toLowerCase().indexOf(q) >= 0; });
    if (sortCol >= 0) {
      var c = cols[sortCol], sign = desc ? -1 : 1;
      shown = shown.slice().sort(function (a, b) {
        var x = c.get(a), y = c.get(b);
        if (x === y) return 0;
        if (x === null || x === undefined || x !== x) return 1;
        if (y === null || y === undefined || y !== y) return -1;
        return (x < y ? -1 : 1) * sign;
      });
    }
    ths.forEach(function (th, k) {
      if (k === sortCol) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    var frag = document.createDocumentFragment();
    shown.forEach(function (r) {
      var tr = el('tr');
      cols.forEach(function (c) {
        var td = el('td', c.type === 'text' ? 'text' : null);
        if (c.render) c.render(td, r); else td.textContent = c.show(r);
        if (c.cls) { var k = c.cls(r); if (k) td.classList.add(k); }
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    tbody.textContent = '';
    tbody.appendChild(frag);
    info.textContent = (q ? shown.length + ' of ' + rows.length : rows.length) + ' rows';
  }
  render();
  return {render: render};
}
function nameCell(td, name, file) {
  td.appendChild(document.createTextNode(name));
  if (file) add(td, el('span', 'file', file));
}

// ---------- flame graph ----------
function hashColor(s) {
  var h = 2166136261;
  for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  h = h >>> 0;
  return 'hsl(' + (h % 360) + ',55%,' + (62 + (h >> 9) % 14) + '%)';
}
function prepare(f) {
  f.names = D.names; f.colors = D.colors;
  var n = f.v.length, depth = new Int32Array(n), x = new Float64Array(n), next = new Float64Array(n);
  var size = new Int32Array(n), maxDepth = 0;
  for (var i = 0; i < n; i++) {
    size[i] = 1;
    var p = f.p[i];
    if (p >= 0) { depth[i] = depth[p] + 1; x[i] = next[p]; next[p] += f.v[i]; }
    next[i] = x[i];
    if (depth[i] > maxDepth) maxDepth = depth[i];
  }
  for (var k = n - 1; k > 0; k--) size[f.p[k]] += size[k];
  f.depth = depth; f.x = x; f.size = size; f.maxDepth = maxDepth; f.count = n;
  f.fmt = formatter(f.unit, f.scale);
  return f;
}
var FRAME_H = 18;
function FlameGraph(parent, idPrefix, views, opts) {
  opts = opts || {};
  var self = this;
  var controls = el('div', 'controls');
  var select = null;
  if (views.length > 1) {
    select = el('select'); select.id = idPrefix + '-type';
    views.forEach(function (v, k) {
      var o = el('option', null, v.label); o.value = String(k); select.appendChild(o);
    });
    add(controls, el('span', 'muted', 'Value:'), select);
  }
  var search = el('input'); search.type = 'search'; search.id = idPrefix + '-search';
  search.placeholder = 'Search (regex), e.g. regexp';
  var reset = el('button', null, 'Reset zoom'); reset.id = idPrefix + '-reset';
  var icicleBox = el('input'); icicleBox.type = 'checkbox'; icicleBox.id = idPrefix + '-icicle';
  var icicleLabel = el('label'); add(icicleLabel, icicleBox, document.createTextNode(' Icicle'));
  var matched = el('span', 'matched'); matched.id = idPrefix + '-matched';
  add(controls, search, reset, icicleLabel);
  var diffBy = null, normBox = null;
  if (opts.differential) {
    diffBy = el('select'); diffBy.id = idPrefix + '-diffby';
    [['total', 'Color: change in total'], ['self', 'Color: change in self']].forEach(function (o) {
      var e = el('option', null, o[1]); e.value = o[0]; diffBy.appendChild(e);
    });
    normBox = el('input'); normBox.type = 'checkbox'; normBox.id = idPrefix + '-normalize';
    var nl = el('label'); add(nl, normBox, document.createTextNode(' Normalize base to new total'));
    add(controls, diffBy, nl);
  }
  add(controls, matched);
  var crumbs = el('div', 'crumbs'); crumbs.id = idPrefix + '-crumbs';
  var box = el('div', 'flame'); box.id = idPrefix;
  var details = el('div', 'details', 'Hover a frame for details; click to zoom.');
  var note = el('p', 'note');
  var tip = el('div', 'tip');
  add(parent, controls, crumbs, box, details, note);
  document.body.appendChild(tip);

  var f = null, zoom = 0, matchMask = null, colorOf = null;
  this.setView = function (k) {
    f = views[k].flame.depth ? views[k].flame : prepare(views[k].flame);
    zoom = 0;
    note.textContent = f.pruned > 0 ? f.pruned + ' of ' + (f.nodes_total - 1) + ' frames were ' +
      'narrower than the display threshold; each parent keeps their weight in an "(other)" frame.' : '';
    computeColors(); applySearch(); render();
  };
  function computeColors() {
    colorOf = new Array(f.count);
    if (!f.differential) {
      for (var i = 0; i < f.count; i++)
        colorOf[i] = f.names[f.n[i]] === '(other)' ? '#d0d0d0' : (f.colors[f.n[i]] || hashColor(f.names[f.n[i]]));
      return;
    }
    var byTotal = diffBy && diffBy.value === 'total';
    var k = normBox && normBox.checked && f.base_total > 0 ? f.total / f.base_total : 1;
    var d = new Float64Array(f.count), max = 0;
    for (var j = 0; j < f.count; j++) {
      d[j] = byTotal ? f.v[j] - f.b[j] * k : f.s[j] - f.bs[j] * k;
      if (j > 0 && Math.abs(d[j]) > max) max = Math.abs(d[j]);
    }
    f.delta = d;
    for (var m = 0; m < f.count; m++) {
      var t = max > 0 ? Math.min(1, Math.abs(d[m]) / max) : 0;
      var c = Math.round(250 - 170 * t);
      colorOf[m] = d[m] > 0 ? 'rgb(250,' + c + ',' + c + ')' : d[m] < 0 ? 'rgb(' + c + ',' + c + ',250)' : 'rgb(242,242,242)';
    }
  }
  function applySearch() {
    var q = search.value;
    matchMask = null;
    matched.textContent = '';
    if (!q) return;
    var re;
    try { re = new RegExp(q, 'i'); } catch (e) { re = new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'); }
    var byName = new Int8Array(f.names.length);
    for (var i = 0; i < f.names.length; i++) byName[i] = re.test(f.names[i]) ? 1 : 0;
    matchMask = new Uint8Array(f.count);
    var sum = 0, frames = 0, coveredEnd = 0;
    for (var j = 1; j < f.count; j++) {
      if (!byName[f.n[j]]) continue;
      matchMask[j] = 1; frames++;
      if (j >= coveredEnd) { sum += f.v[j]; coveredEnd = j + f.size[j]; }
    }
    matched.textContent = 'Matched: ' + pct(sum, f.total) + ' (' + frames + ' frames)';
  }
  function chain(i) { var c = []; while (i >= 0) { c.push(i); i = f.p[i]; } return c.reverse(); }
  function render() {
    var W = box.clientWidth || 1000, zv = f.v[zoom] || 1, zx = f.x[zoom];
    var frames = [], maxD = 0, anc = chain(zoom);
    anc.pop();
    anc.forEach(function (i) { frames.push([i, 0, 1, true]); });
    var end = zoom + f.size[zoom];
    for (var i = zoom; i < end; i++) {
      var w = f.v[i] / zv;
      if (w * W < 0.5) { i += f.size[i] - 1; continue; }
      frames.push([i, (f.x[i] - zx) / zv, w, false]);
    }
    frames.forEach(function (fr) { if (f.depth[fr[0]] > maxD) maxD = f.depth[fr[0]]; });
    var icicle = icicleBox.checked, frag = document.createDocumentFragment();
    frames.forEach(function (fr) {
      var i = fr[0], d = el('div', 'fr'), name = f.names[f.n[i]];
      d.dataset.i = String(i);
      if (fr[3]) d.classList.add('anc');
      if (name === '(other)') d.classList.add('other');
      if (matchMask && matchMask[i]) d.classList.add('m');
      d.style.left = (fr[1] * 100) + '%';
      d.style.width = (fr[2] * 100) + '%';
      d.style.top = ((icicle ? f.depth[i] : maxD - f.depth[i]) * FRAME_H) + 'px';
      d.style.background = colorOf[i];
      if (fr[2] * W > 24) d.textContent = name;
      frag.appendChild(d);
    });
    box.textContent = '';
    box.style.height = ((maxD + 1) * FRAME_H + 2) + 'px';
    box.appendChild(frag);
    renderCrumbs();
  }
  function renderCrumbs() {
    crumbs.textContent = '';
    chain(zoom).forEach(function (i, k) {
      if (k) add(crumbs, el('span', 'sep', '\u203A'));
      var a = el('a', null, f.names[f.n[i]]);
      a.dataset.i = String(i);
      a.addEventListener('click', function () { zoomTo(i); });
      crumbs.appendChild(a);
    });
  }
  function zoomTo(i) { zoom = i; render(); }
  function describe(i) {
    var v = f.v[i], lines = [];
    lines.push(f.fmt(v) + ' (' + pct(v, f.total) + ' of total' +
      (zoom ? ', ' + pct(v, f.v[zoom]) + ' of view' : '') + '), self ' + f.fmt(f.s[i]));
    if (f.differential) {
      var dt = v - f.b[i], ds = f.s[i] - f.bs[i];
      lines.push('base ' + f.fmt(f.b[i]) + ' \u2192 new ' + f.fmt(v) + ': total ' + signed(f.fmt(dt), dt) +
        ', self ' + signed(f.fmt(ds), ds));
    }
    if (f.names[f.n[i]] === '(other)') lines.push('frames below the display threshold, merged');
    return lines;
  }
  box.addEventListener('click', function (ev) {
    var t = ev.target.closest('.fr');
    if (t) zoomTo(+t.dataset.i);
  });
  box.addEventListener('mousemove', function (ev) {
    var t = ev.target.closest('.fr');
    if (!t) { tip.style.display = 'none'; return; }
    var i = +t.dataset.i, lines = describe(i);
    tip.textContent = '';
    add(tip, el('b', null, f.names[f.n[i]]));
    lines.forEach(function (l) { add(tip, el('br'), document.createTextNode(l)); });
    tip.style.display = 'block';
    var x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = ev.clientY + 16 + tip.offsetHeight > window.innerHeight ? ev.clientY - tip.offsetHeight - 10 : ev.clientY + 16;
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
    details.textContent = f.names[f.n[i]] + ': ' + lines.join('; ');
  });
  box.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  reset.addEventListener('click', function () { zoomTo(0); });
  icicleBox.addEventListener('change', render);
  var st = 0;
  search.addEventListener('input', function () { clearTimeout(st); st = setTimeout(function () { applySearch(); render(); }, 150); });
  search.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { applySearch(); render(); } });
  if (diffBy) { diffBy.addEventListener('change', function () { computeColors(); render(); }); }
  if (normBox) { normBox.addEventListener('change', function () { computeColors(); render(); }); }
  if (select) select.addEventListener('change', function () { self.setView(+select.value); if (opts.onView) opts.onView(+select.value); });
  var rt = 0;
  window.addEventListener('resize', function () { clearTimeout(rt); rt = setTimeout(render, 100); });
  this.select = select;
}

// ---------- sections ----------
function summarySection() {
  var s = section('summary', 'Summary');
  var row = el('div', 'inputs');
  D.inputs.forEach(function (inp, k) {
    var box = el('div');
    if (D.inputs.length > 1) add(box, el('h3', null, k === 0 ? 'Base' : 'New'));
    var dl = el('dl', 'kv');
    function kv(key, val) { if (val === '' || val === null || val === undefined) return; add(dl, el('dt', null, key), el('dd', null, val)); }
    kv('Input', inp.path);
    kv('Format', inp.format + (inp.flavor && inp.flavor !== inp.format ? ' (' + inp.flavor + ')' : ''));
    inp.value_types.forEach(function (v) {
      kv(v.type + (v.type === inp.default_value_type ? ' (default)' : ''),
        'total ' + formatter(v.unit, v.scale)(v.total) + (v.unit ? '  [' + v.unit + ']' : ''));
    });
    if (inp.duration_ns) kv('Duration', fmtNs(inp.duration_ns));
    if (inp.time_ns) kv('Taken', new Date(inp.time_ns / 1e6).toISOString().replace('T', ' ').replace(/\..*/, ' UTC'));
    if (inp.samples) kv('Samples', inp.samples.toLocaleString('en-US') + ' (' + inp.stacks.toLocaleString('en-US') + ' distinct stacks)');
    if (inp.spans) kv('Spans', inp.spans.toLocaleString('en-US') + ' on ' + inp.threads + ' threads');
    if (inp.rows) kv('Rows', inp.rows.toLocaleString('en-US'));
    if (inp.functions) kv('Functions', inp.functions.toLocaleString('en-US'));
    inp.comments.forEach(function (c) { kv('Comment', c); });
    add(box, dl);
    if (inp.warnings.length) {
      add(box, el('h3', 'warn', 'Reading warnings'));
      var ul = el('ul');
      inp.warnings.forEach(function (w) { add(ul, el('li', 'warn', w.what + (w.count > 1 ? ' (' + w.count + ')' : ''))); });
      add(box, ul);
    } else {
      add(box, el('p', 'note', 'No warnings while reading.'));
    }
    row.appendChild(box);
  });
  s.appendChild(row);
}
function findingsSection() {
  var F = D.findings;
  if (!F) return;
  var s = section('findings', 'Bottlenecks');
  if (F.headline) { var h = el('p', 'headline', F.headline); h.id = 'findings-headline'; add(s, h); }
  add(s, el('p', 'note', 'Value: ' + F.type + ', total ' + F.total_text + '. Each entry says why it is listed.'));
  F.sections.forEach(function (sec) {
    add(s, el('h3', null, sec.title));
    if (sec.hint) add(s, el('p', 'note', sec.hint));
    var ul = el('ul', 'findings'); ul.id = 'findings-' + sec.id;
    if (!sec.items.length) add(ul, el('li', 'muted', 'none'));
    sec.items.forEach(function (x) {
      var li = el('li');
      var full = x.path.join(' \u2192 '), shown = x.path.length <= 7 ? full : x.path.slice(0, 2)
        .concat(['\u2026(' + (x.path.length - 6) + ' more)\u2026'], x.path.slice(-4)).join(' \u2192 ');
      var code = el('code', null, shown); code.title = full;
      add(li, el('span', 'badge', x.value + ' \u00B7 ' + pct(x.share, 1)), code);
      if (x.file) add(li, el('span', 'muted', '  ' + x.file));
      if (x.why) add(li, el('div', 'why', x.why));
      ul.appendChild(li);
    });
    s.appendChild(ul);
  });
  if (F.notes.length) {
    var nl = el('ul');
    F.notes.forEach(function (n) { add(nl, el('li', 'note', n)); });
    add(s, nl);
  }
}
function topColumns(v) {
  var fmt = formatter(v.unit, v.scale), T = v.total;
  var cols = [
    {label: 'Function', type: 'text', get: function (r) { return r[0]; }, render: function (td, r) { nameCell(td, r[0], r[1]); }},
    {label: 'Flat', type: 'num', get: function (r) { return r[2]; }, show: function (r) { return fmt(r[2]); }, title: 'Self: the value spent in the function itself'},
    {label: 'Flat%', type: 'num', get: function (r) { return r[2]; }, show: function (r) { return pct(r[2], T); }},
    {label: 'Cum', type: 'num', get: function (r) { return r[3]; }, show: function (r) { return fmt(r[3]); }, title: 'Inclusive: the function and everything it called'},
    {label: 'Cum%', type: 'num', get: function (r) { return r[3]; }, show: function (r) { return pct(r[3], T); }}
  ];
  if (v.has_calls) {
    cols.push({label: 'Calls', type: 'num', get: function (r) { return r[4] >= 0 ? r[4] : null; }, show: function (r) { return r[4] >= 0 ? fmtCount(r[4]) : ''; }});
    cols.push({label: 'Avg', type: 'num', title: 'Cum per call',
      get: function (r) { return r[4] > 0 ? r[3] / r[4] : null; }, show: function (r) { return r[4] > 0 ? fmt(r[3] / r[4]) : ''; }});
  }
  return cols;
}
function rowText(r) { return r[0] + ' ' + (r[1] || ''); }
function topSection(viewIndex, holder) {
  var v = D.views[viewIndex];
  holder.textContent = '';
  add(holder, el('p', 'note', 'Value: ' + v.type + (v.unit ? ' (' + v.unit + ')' : '') + ', total ' + formatter(v.unit, v.scale)(v.total) +
    '. Click a column to sort; type to filter.'));
  dataTable(holder, 'top-table', topColumns(v), v.rows, {sortCol: 1, desc: true, text: rowText,
    hidden: v.rows_total - v.rows.length, hiddenHint: 'perfkit top -n 0 lists them all'});
}
function spansSection() {
  if (!D.spans || !D.spans.rows.length) return;
  var s = section('spans', 'Span latency');
  add(s, el('p', 'note', D.spans.spans.toLocaleString('en-US') + ' spans' +
    (D.spans.summary_skipped ? '; ' + D.spans.summary_skipped + ' producer summaries left out' : '') +
    (D.spans.unclosed_skipped ? '; ' + D.spans.unclosed_skipped + ' unclosed spans left out' : '') +
    '. Percentiles are nearest-rank: each is a duration some span really had.'));
  var cols = [{label: 'Span', type: 'text', get: function (r) { return r[0]; }, show: function (r) { return r[0] + (r[1] ? ' (async)' : ''); }},
    {label: 'Count', type: 'num', get: function (r) { return r[2]; }, show: function (r) { return fmtCount(r[2]); }}];
  ['Total', 'Self', 'Mean', 'Min', 'p50', 'p90', 'p95', 'p99', 'Max'].forEach(function (label, k) {
    cols.push({label: label, type: 'num', get: function (r) { return r[3 + k]; }, show: function (r) { return fmtNs(r[3 + k]); }});
  });
  dataTable(s, 'spans-table', cols, D.spans.rows, {sortCol: 2, desc: true, text: function (r) { return r[0]; },
    hidden: D.spans.rows_total - D.spans.rows.length});
}
function threadsSection() {
  if (!D.threads || !D.threads.threads.length) return;
  var s = section('threads', 'Threads');
  var T = D.threads, max = 0, legend = {};
  T.threads.forEach(function (t) { if (t.busy_ns > max) max = t.busy_ns; });
  add(s, el('p', 'note', 'Busy time per thread (top-level spans), split by span name on self time. Trace wall time ' +
    fmtNs(T.end_ns - T.start_ns) + '.' + (T.thread_count > T.threads.length ? ' Showing the ' + T.threads.length +
    ' busiest of ' + T.thread_count + ' threads.' : '')));
  var box = el('div', 'threads'); box.id = 'threads-overview';
  T.threads.forEach(function (t) {
    var row = el('div', 'row'), label = el('div', 'label', t.label); label.title = t.label;
    var track = el('div', 'track'), stack = el('div', 'stack');
    var selfSum = t.other_ns;
    t.top.forEach(function (x) { selfSum += x[1]; });
    stack.style.width = (max ? 100 * t.busy_ns / max : 0) + '%';
    t.top.concat(t.other_ns > 0 ? [['(other)', t.other_ns]] : []).forEach(function (x) {
      var seg = el('div', 'seg'), c = x[0] === '(other)' ? '#c9ced8' : hashColor(x[0]);
      seg.style.width = (selfSum ? 100 * x[1] / selfSum : 0) + '%';
      seg.style.background = c;
      seg.title = x[0] + ': ' + fmtNs(x[1]) + ' self (' + pct(x[1], t.busy_ns) + ' of busy)';
      legend[x[0]] = c;
      stack.appendChild(seg);
    });
    add(track, stack);
    add(row, label, track, el('div', 'busy', fmtNs(t.busy_ns) + ' \u00B7 ' + fmtCount(t.spans) + ' spans'));
    box.appendChild(row);
  });
  s.appendChild(box);
  var lg = el('div', 'legend');
  Object.keys(legend).slice(0, 40).forEach(function (k) { var sp = el('span'), i = el('i'); i.style.background = legend[k]; add(sp, i, document.createTextNode(k)); lg.appendChild(sp); });
  s.appendChild(lg);
}
function diffSection() {
  var df = D.diff, fmt = formatter(df.unit, df.scale);
  var s = section('diff', 'Differences');
  add(s, el('p', 'note', 'Value: ' + df.type + (df.unit ? ' (' + df.unit + ')' : '') + '. Base total ' + fmt(df.base_total) +
    ', new total ' + fmt(df.new_total) + ' (' + change(df.base_total, df.new_total) + ')' +
    (df.normalized ? (df.normalized_to_base ? '; new scaled to the base total' : '; base scaled to the new total') : '') + '. Red grew, blue shrank.'));
  function dcls(d) { return d > 0 ? 'grow' : d < 0 ? 'shrink' : null; }
  function num(label, k) { return {label: label, type: 'num', get: function (r) { return r[k]; }, show: function (r) { return fmt(r[k]); }}; }
  function delta(label, a, b) {
    return {label: label, type: 'num', get: function (r) { return r[b] - r[a]; },
      show: function (r) { var d = r[b] - r[a]; return signed(fmt(d), d); }, cls: function (r) { return dcls(r[b] - r[a]); }};
  }
  var cols = [
    {label: 'Function', type: 'text', get: function (r) { return r[0]; }, render: function (td, r) {
      nameCell(td, r[0], r[1]); if (r[7]) add(td, el('span', 'file', 'renamed from ' + r[7])); }},
    num('Base cum', 4), num('New cum', 5), delta('\u0394 cum', 4, 5),
    {label: '\u0394 cum %', type: 'num', get: function (r) { return r[4] ? (r[5] - r[4]) / r[4] : (r[5] ? Infinity : 0); },
      show: function (r) { return change(r[4], r[5]); }, cls: function (r) { return dcls(r[5] - r[4]); }},
    num('Base flat', 2), num('New flat', 3), delta('\u0394 flat', 2, 3)
  ];
  if (df.has_calls) {  // tables and traces know calls: ncall and the average per call (cum / ncall)
    var calls = function (label, k) { return {label: label, type: 'num', get: function (r) { return r[k]; },
      show: function (r) { return r[k] < 0 ? '?' : fmtCount(r[k]); }}; };
    var avg = function (label, c, k) { return {label: label, type: 'num',
      get: function (r) { return r[k] > 0 ? r[c] / r[k] : -1; },
      show: function (r) { return r[k] > 0 ? fmt(Math.trunc(r[c] / r[k])) : '-'; }}; };
    cols.push(calls('Base ncall', 8), calls('New ncall', 9), avg('Base tavg', 4, 8), avg('New tavg', 5, 9));
  }
  cols.push({label: 'Status', type: 'text', get: function (r) { return r[6]; }, show: function (r) { return r[6]; }});
  dataTable(s, 'diff-table', cols, df.rows, {text: rowText, hidden: df.rows_total - df.rows.length,
    hiddenHint: 'perfkit diff lists them all'});
  if (df.spans && df.spans.length) {
    add(s, el('h3', null, 'Span latency, base vs new'));
    var sc = [{label: 'Span', type: 'text', get: function (r) { return r[0]; }, show: function (r) { return r[0]; }}];
    [['count', 1], ['total', 2], ['p50', 3], ['p95', 4], ['p99', 5]].forEach(function (m) {
      var k = m[1], f = k === 1 ? fmtCount : fmtNs;
      sc.push({label: 'Base ' + m[0], type: 'num', get: function (r) { return r[k]; }, show: function (r) { return r[k] ? f(r[k]) : ''; }});
      sc.push({label: 'New ' + m[0], type: 'num', get: function (r) { return r[k + 5]; }, show: function (r) { return r[k + 5] ? f(r[k + 5]) : ''; },
        cls: function (r) { return r[k] && r[k + 5] ? dcls(r[k + 5] - r[k]) : null; }});
    });
    dataTable(s, 'diff-spans-table', sc, df.spans, {text: function (r) { return r[0]; }});
  }
}
function flameSection(views, title, differential, onView) {
  var usable = views.filter(function (v) { return v.flame; });
  if (!usable.length) return null;
  var s = section('flame', title);
  if (differential)
    add(s, el('p', 'note', 'Widths from the new profile; red frames grew, blue shrank (intensity by the size of the change).'));
  var g = new FlameGraph(s, 'flame-graph', usable, {differential: differential, onView: onView});
  g.setView(0);
  return g;
}

// ---------- the page ----------
summarySection();
if (D.diff) {
  diffSection();
  if (D.diff_flame) flameSection([{label: D.diff_flame.type, flame: D.diff_flame}], 'Differential flame graph', true);
} else {
  findingsSection();
  var views = D.views.map(function (v, k) { return {label: v.type + (v.unit ? ' (' + v.unit + ')' : ''), flame: v.flame, index: k}; });
  var order = [D.default_view].concat(views.map(function (v, k) { return k; }).filter(function (k) { return k !== D.default_view; }));
  var ordered = order.map(function (k) { return views[k]; });
  var topHolder = el('div');
  var g = flameSection(ordered.filter(function (v) { return v.flame; }), 'Flame graph', false, function (k) {
    topSection(ordered.filter(function (v) { return v.flame; })[k].index, topHolder);
  });
  if (D.views.length) {
    var ts = section('top', 'Top functions');
    if (!g && D.views.length > 1) {
      var sel = el('select'); sel.id = 'top-type';
      ordered.forEach(function (v) { var o = el('option', null, v.label); o.value = String(v.index); sel.appendChild(o); });
      sel.addEventListener('change', function () { topSection(+sel.value, topHolder); });
      add(ts, add(el('div', 'controls'), el('span', 'muted', 'Value:'), sel));
    }
    ts.appendChild(topHolder);
    topSection(D.default_view, topHolder);
  }
  spansSection();
  threadsSection();
}
document.body.dataset.ready = '1';
})();
)JS";

}  // namespace perfkit::html
