// pprof export of the slow calls' stacks (the format `go tool pprof`, Grafana
// Pyroscope and speedscope read), encoded with the pprof-format package: one
// sample per (process, syscall, stack) with two values, the slow calls and
// their time in ns; its locations are the stack's frames (innermost first,
// under a leaf naming the syscall), with their functions and mappings (the
// frames' modules). Labels: syscall, pid. Gzipped, as pprof files are.
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Location, Mapping, Profile, Sample, StringTable, ValueType, type LabelInput } from 'pprof-format';
import { syscallLeaf } from '../../core/analysis/stacks.js';
import { frameName } from '../../core/model/folded-stack.js';
import type { StackFrame, StackProfile } from '../../core/model/stacks.js';

// What the profile covers (for its time fields): the wall clock at its start,
// ns since the Unix epoch in decimal, and how long; null when unknown.
export interface PprofSpan {
  readonly startRealNs: string | null;
  readonly durationNs: number | null;
}

// The gzipped pprof profile of the stacks.
export function stacksPprof(stacks: StackProfile, span: PprofSpan = { startRealNs: null, durationNs: null }): Uint8Array {
  return gzipSync(stacksProfile(stacks, span).encode());
}

// The pprof profile of the stacks (not yet encoded).
export function stacksProfile(stacks: StackProfile, span: PprofSpan = { startRealNs: null, durationNs: null }): Profile {
  const strings = new StringTable();
  const mappings = new Map<string, Mapping>();
  const functions = new Map<string, PprofFunction>();
  const locations = new Map<string, Location>();

  const mappingOf = (module: string): number => {
    if (module === '') return 0;
    let m = mappings.get(module);
    if (m === undefined) {
      m = new Mapping({ id: mappings.size + 1, filename: strings.dedup(module), hasFunctions: true });
      mappings.set(module, m);
    }
    return Number(m.id);
  };
  const functionOf = (name: string, module: string): number => {
    const key = `${name}\u0000${module}`;
    let f = functions.get(key);
    if (f === undefined) {
      const id = strings.dedup(name);
      f = new PprofFunction({ id: functions.size + 1, name: id, systemName: id, filename: strings.dedup(module) });
      functions.set(key, f);
    }
    return Number(f.id);
  };
  const locationOf = (frame: StackFrame): number => {
    const name = frameName(frame);
    // an address is the location where there is one; a frame read back by name is its name
    const key = frame.address > 0 ? `${frame.module}\u0000${frame.address}` : `\u0000${name}`;
    let l = locations.get(key);
    if (l === undefined) {
      l = new Location({ id: locations.size + 1, mappingId: mappingOf(frame.module), address: frame.address, line: [{ functionId: functionOf(name, frame.module) }] });
      locations.set(key, l);
    }
    return Number(l.id);
  };
  const leafOf = (syscall: string): number => locationOf({ address: 0, symbol: syscallLeaf(syscall), symbolOffset: 0, module: '', moduleOffset: 0, unresolved: '', kernel: false });

  const syscallKey = strings.dedup('syscall');
  const pidKey = strings.dedup('pid');
  const samples: Sample[] = [];
  for (const st of stacks.stats) {
    if (st.count === 0) continue;
    const frames = stacks.defs.get(st.stackId)?.frames ?? [];
    const label: LabelInput[] = [
      { key: syscallKey, str: strings.dedup(st.syscall) },
      { key: pidKey, num: st.tgid },
    ];
    samples.push(new Sample({ locationId: [leafOf(st.syscall), ...frames.map(locationOf)], value: [st.count, st.totalNs], label }));
  }
  return new Profile({
    sampleType: [new ValueType({ type: strings.dedup('slow_calls'), unit: strings.dedup('count') }), new ValueType({ type: strings.dedup('slow_time'), unit: strings.dedup('nanoseconds') })],
    sample: samples,
    mapping: [...mappings.values()],
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: strings,
    timeNanos: span.startRealNs !== null && /^\d{1,19}$/.test(span.startRealNs) ? BigInt(span.startRealNs) : 0,
    durationNanos: span.durationNs === null ? 0 : Math.round(span.durationNs),
    defaultSampleType: strings.dedup('slow_time'),
  });
}
