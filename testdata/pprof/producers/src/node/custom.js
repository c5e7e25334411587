// A service's own pprof writer, as continuous-profiling agents build them with the pprof-format
// npm package (the encoder @datadog/pprof uses): `node custom.js OUT NODE_MODULES`. It exercises
// what the runtime profilers do not write: an empty sample type string, keep_frames/drop_frames,
// comments, numeric labels with units, a mapping with a build ID and an unsymbolized address,
// functions without a file name and a Line with line 0.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [out, modules] = process.argv.slice(2);
const pf = require(path.join(modules, 'pprof-format'));

const strings = new pf.StringTable();
const s = (x) => strings.dedup(x);
const mapping = new pf.Mapping({
  id: 1, memoryStart: 0x400000, memoryLimit: 0x800000, fileOffset: 0,
  filename: s('/usr/local/bin/queue-worker'), buildId: s('4d2f0c9a7be15e33'),
  hasFunctions: true, hasFilenames: true, hasLineNumbers: true,
});
const libMapping = new pf.Mapping({
  id: 2, memoryStart: 0x7f0000000000, memoryLimit: 0x7f0000100000, fileOffset: 0x1000,
  filename: s('/lib/x86_64-linux-gnu/libz.so.1'),
});
const fnDefs = [
  ['main', 'cmd/worker/main.go'], ['queue.(*Consumer).Poll', 'queue/consumer.go'],
  ['queue.decode', 'queue/decode.go'], ['runtime.mallocgc', 'runtime/malloc.go'],
  ['compress.inflate', ''], ['queue.decode', 'vendor/queue/decode.go'], ['log.Printf', 'log/log.go'],
];
const functions = fnDefs.map(([name, file], i) => new pf.Function({
  id: i + 1, name: s(name), systemName: s(name), filename: s(file), startLine: 10 * (i + 1),
}));
let nextLoc = 1;
const loc = (fnIndex, line, addr) => new pf.Location({
  id: nextLoc++, mappingId: 1, address: addr,
  line: [new pf.Line({ functionId: fnIndex + 1, line })],
});
const L = {
  main: loc(0, 21, 0x401000), poll: loc(1, 40, 0x402000), decode: loc(2, 0, 0x403000),
  malloc: loc(3, 900, 0x404000), inflate: loc(4, 7, 0x405000), vdecode: loc(5, 12, 0x406000),
  log: loc(6, 88, 0x407000),
};
const raw = new pf.Location({ id: nextLoc++, mappingId: 2, address: 0x7f0000012345 });
const label = (key, str, num, unit) => new pf.Label({
  key: s(key), str: str ? s(str) : 0, num: num || 0, numUnit: unit ? s(unit) : 0,
});
const sample = (stack, values, labels) => new pf.Sample({
  locationId: stack.map((l) => l.id), value: values, label: labels || [],
});
const samples = [
  sample([L.malloc, L.decode, L.poll, L.main], [12, 4096], [label('queue', 'orders'), label('payload', '', 4096, 'bytes')]),
  sample([raw, L.inflate, L.decode, L.poll, L.main], [30, 160000], [label('queue', 'orders'), label('payload', '', 65536, 'bytes')]),
  sample([L.malloc, L.vdecode, L.poll, L.main], [7, 2048], [label('queue', 'billing'), label('payload', '', 1024, 'bytes')]),
  sample([L.log, L.poll, L.main], [3, 300], [label('queue', 'billing')]),
  sample([raw, L.inflate, L.vdecode, L.poll, L.main], [21, 98000], [label('queue', 'Événements'), label('payload', '', 32768, 'bytes')]),
  sample([L.main], [1, 10]),
];
const profile = new pf.Profile({
  sampleType: [new pf.ValueType({ type: s(''), unit: s('count') }), new pf.ValueType({ type: s('work'), unit: s('microseconds') })],
  sample: samples, mapping: [mapping, libMapping], location: [...Object.values(L), raw], function: functions,
  stringTable: strings, dropFrames: s('^runtime\\.mallocgc$'), keepFrames: s(''),
  timeNanos: 1764672000000000000, durationNanos: 10000000000,
  periodType: new pf.ValueType({ type: s('work'), unit: s('microseconds') }), period: 1000,
  comment: [s('made by testdata/pprof/producers/src/node/custom.js'), s('a second comment')],
  defaultSampleType: s('work'),
});
fs.writeFileSync(path.join(out, 'custom_empty_type.pb.gz'), zlib.gzipSync(profile.encode()));

// The same samples with drop_frames and a keep_frames that saves one of the frames it matches
// (pprof's Prune: both are full matches; a matching frame goes with everything beneath it,
// here also the unsymbolized libz frame under compress.inflate).
profile.dropFrames = s('runtime\\..*|compress\\..*|queue\\.decode');
profile.keepFrames = s('queue\\.decode');
profile.comment = [s('drop_frames and keep_frames: made by custom.js')];
fs.writeFileSync(path.join(out, 'custom_keep_frames.pb.gz'), zlib.gzipSync(profile.encode()));

// The same samples again under another period type: pprof refuses to merge it with the others
// (-base, -diff_base: "incompatible period types").
profile.periodType = new pf.ValueType({ type: s('jobs'), unit: s('milliseconds') });
profile.dropFrames = 0;
profile.keepFrames = 0;
profile.comment = [s('period type jobs/milliseconds: made by custom.js')];
fs.writeFileSync(path.join(out, 'custom_other_period.pb.gz'), zlib.gzipSync(profile.encode()));
