// The HTML report's number formatting: lib/units.h's human_* functions in JavaScript, rule for
// rule, so a value on the page reads as it does in `perfkit report`, `diff` and `gate`.
// tests/units_js runs this code under node on edge values and compares it with the C++.
// Defines one global, PerfkitUnits; the report script (report_js.h) follows it in one element.
#pragma once
#include <string_view>

namespace perfkit::html {

inline constexpr std::string_view kUnitsJs = R"JS(
var PerfkitUnits = (function () {
'use strict';
// Digits from the first nonzero one on: '0.0120' -> 3, '12.30' -> 4.
function significantDigits(s) {
  var n = 0, started = false;
  for (var i = 0; i < s.length; i++) {
    var c = s.charAt(i);
    if (c < '0' || c > '9') continue;
    started = started || c !== '0';
    if (started) n++;
  }
  return n;
}
function trimZeros(s) {
  if (s.indexOf('.') >= 0) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}
var MAX_DECIMALS = 15, SMALLEST_PERCENT = 0.001;
// 3 significant digits (all integer digits from 1000 on), trailing zeros trimmed. toFixed
// rounds the exact binary value, a tie away from zero (units.cpp's fixed() does the same).
function sig3(x) {
  if (x !== x) return 'nan';
  if (x === Infinity || x === -Infinity) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e21) return String(x);
  var d = 2, s = x.toFixed(d), n = significantDigits(s);
  while (n > 3 && d > 0) n = significantDigits(s = x.toFixed(--d));
  while (n < 3 && d < MAX_DECIMALS) n = significantDigits(s = x.toFixed(++d));
  return trimZeros(s);
}
function roundHalfAway(x) {
  if (!isFinite(x)) return x;
  var a = Math.abs(x), r = Math.floor(a);
  if (a - r >= 0.5) r += 1;
  return x < 0 ? -r : r;
}
// [factor, name, next]: the value in factor units shows while its rounded text is below next.
function onScale(v, steps) {
  if (!isFinite(v)) return sig3(v);
  var i = 0;  // a value at or past next before rounding stays there after it: skip those units
  while (i + 1 < steps.length && Math.abs(v) / steps[i][0] >= steps[i][2]) i++;
  for (; ; i++) {
    var s = sig3(v / steps[i][0]);
    if (i + 1 === steps.length || Math.abs(Number(s)) < steps[i][2]) return s + steps[i][1];
  }
}
var TIME_STEPS = [[1, 'ns', 1000], [1e3, 'us', 1000], [1e6, 'ms', 1000], [1e9, 's', 60],
  [60e9, 'min', 60], [3600e9, 'h', 0]];
var BYTE_STEPS = [[1024, 'KiB', 1024], [1048576, 'MiB', 1024], [1073741824, 'GiB', 1024],
  [1099511627776, 'TiB', 1024], [1125899906842624, 'PiB', 1024], [1152921504606846976, 'EiB', 0]];
var COUNT_STEPS = [[1, '', 1e6], [1e6, 'M', 1000], [1e9, 'G', 1000], [1e12, 'T', 0]];
function duration(ns) {
  ns = roundHalfAway(ns);
  if (ns === 0) return '0';
  return onScale(ns, TIME_STEPS);
}
function bytes(b) {
  b = roundHalfAway(b);
  if (Math.abs(b) < 1024) return String(b) + 'B';
  return onScale(b, BYTE_STEPS);
}
function count(n) {
  if (Number.isInteger(n) && Math.abs(n) < 1e6) return String(n);
  return onScale(n, COUNT_STEPS);
}
function percent(p) {
  var s = sig3(p);
  if (p !== 0 && Math.abs(Number(s)) < SMALLEST_PERCENT) return p < 0 ? '-<0.001%' : '<0.001%';
  return s + '%';
}
function share(part, total) { return total ? percent(100 * part / total) : ''; }
// The signed change of `diff` and `gate`: report::percent(percent_change(base, now)).
function change(base, now) {
  var p = base === 0 ? (now === 0 ? 0 : now > 0 ? Infinity : -Infinity)
    : (now - base) / Math.abs(base) * 100;
  if (p === Infinity) return 'new';
  if (p === -Infinity) return '-inf';
  if (p !== p) return 'n/a';
  return (p > 0 ? '+' : '') + percent(p);
}
// Unit names as pprof (and units::dimension_of) recognizes them: ASCII lower case, a plural s
// dropped from names longer than 2 bytes, then the aliases; sizes before times.
var UNITS = [['b', 1, ['b', 'byte']], ['b', 1024, ['kb', 'kbyte', 'kilobyte']],
  ['b', 1048576, ['mb', 'mbyte', 'megabyte']], ['b', 1073741824, ['gb', 'gbyte', 'gigabyte']],
  ['b', 1099511627776, ['tb', 'tbyte', 'terabyte']], ['b', 1125899906842624, ['pb', 'pbyte', 'petabyte']],
  ['t', 1, ['ns', 'nanosecond']], ['t', 1e3, ['\u03bcs', 'us', 'microsecond']], ['t', 1e6, ['ms', 'millisecond']],
  ['t', 1e9, ['s', 'sec', 'second']], ['t', 3600e9, ['hour', 'hr']]];
function utf8Length(s) {
  var n = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}
function kind(unit) {
  var u = String(unit === undefined || unit === null ? '' : unit).replace(/[A-Z]/g, function (c) { return c.toLowerCase(); });
  if (utf8Length(u) > 2 && u.charAt(u.length - 1) === 's') u = u.slice(0, -1);
  for (var i = 0; i < UNITS.length; i++)
    if (UNITS[i][2].indexOf(u) >= 0) return {dim: UNITS[i][0], factor: UNITS[i][1]};
  return {dim: 'c', factor: 1};
}
// A formatter for stored values of a value type (unit name, stored units per unit): human_value.
function formatter(unit, scale) {
  var k = kind(unit), sc = scale > 0 ? scale : 1;
  if (k.dim === 't') return function (v) { return duration((v / sc) * k.factor); };
  if (k.dim === 'b') return function (v) { return bytes((v / sc) * k.factor); };
  return function (v) { return count(v / sc); };
}
return {sig3: sig3, duration: duration, bytes: bytes, count: count, percent: percent,
  share: share, change: change, formatter: formatter};
})();
)JS";

}  // namespace perfkit::html
