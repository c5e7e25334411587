// Node producer: `node main.js OUTDIR NODE_MODULES` writes a wall-time profile with labels
// (@datadog/pprof time profiler, withContexts), one at line granularity, and a heap profile.
'use strict';
const fs = require('fs');
const path = require('path');

const [outDir, modules] = process.argv.slice(2);
const pprof = require(path.join(modules, '@datadog/pprof'));
const parse = require('./parse');
const render = require('./render');

function work(ms, label) {
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) {
    pprof.time.setContext({ phase: 'parse', kind: label });
    n += parse.sum(parse.tokenize(parse.transform('alpha, beta, gamma, delta').join('|')));
    pprof.time.setContext({ phase: 'render', kind: label });
    n += new render.Table(40).render().length;
    n += [1, 2, 3].map((x) => x * render.Table.fib(12)).length;
    pprof.time.setContext({ phase: 'deep', kind: label });
    n += render.deep(60);
  }
  return n;
}

const labels = (arg) => {
  const ctx = arg.context && arg.context.context ? arg.context.context : arg.context;
  return ctx ? { phase: ctx.phase, kind: ctx.kind } : {};
};

async function main() {
  pprof.time.start({ intervalMicros: 2000, withContexts: true });
  work(1200, 'wall');
  const wall = pprof.time.stop(false, labels);
  fs.writeFileSync(path.join(outDir, 'node_wall_labels.pb.gz'), await pprof.encode(wall));

  pprof.time.start({ intervalMicros: 2000, lineNumbers: true });
  work(800, 'lines');
  const lines = pprof.time.stop();
  fs.writeFileSync(path.join(outDir, 'node_wall_lines.pb.gz'), await pprof.encode(lines));

  pprof.heap.start(16 * 1024, 64);
  const keep = [];
  for (let i = 0; i < 300; i++) keep.push(new render.Table(50 + (i % 20)).render());
  keep.push(parse.transform('x,'.repeat(5000)));
  const heap = pprof.heap.profile();
  pprof.heap.stop();
  fs.writeFileSync(path.join(outDir, 'node_heap.pb.gz'), await pprof.encode(heap));
  return keep.length;
}

main();
