// Parsing half of the Node producer's workload: `transform` is also defined in render.js.
'use strict';

function transform(text) {
  return text.split(',').map((field) => field.trim().toUpperCase());
}

module.exports = {
  transform,
  tokenize: function (s) {
    const out = [];
    for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) % 17);
    return out;
  },
  sum: (xs) => xs.reduce((a, b) => a + b, 0),
};
