// The tables of bench/services.sh, in Markdown, from its records (one run a line):
//   service tracer pair kind wall_us service_cpu_us tracer_cpu_us bpf_ns bpf_runs NAME value [NAME value]
//   failed tracer reason...
// Usage: node bench/services-report.mjs RECORDS PG_SCALE
import { readFileSync } from 'node:fs';

const [file, scale] = process.argv.slice(2);
const runs = [];
const failed = new Map();
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const f = line.trim().split(/\s+/);
  if (f[0] === 'failed') failed.set(f[1], f.slice(2).join(' '));
  else if (f.length >= 11) {
    const figures = {};
    for (let i = 9; i + 1 < f.length; i += 2) figures[f[i]] = Number(f[i + 1]);
    runs.push({ svc: f[0], tracer: f[1], pair: Number(f[2]), kind: f[3], wallUs: +f[4], svcUs: +f[5], tracerUs: +f[6], bpfNs: +f[7], bpfRuns: +f[8], figures });
  }
}

const LOADS = [
  { svc: 'postgres', fig: 'TPS', label: `PostgreSQL, pgbench -s ${scale} -c 4 -j 2, TPS` },
  { svc: 'redis', fig: 'SET', label: 'Redis, redis-benchmark SET (-c 50, no pipelining), req/s' },
  { svc: 'redis', fig: 'GET', label: 'Redis, redis-benchmark GET (-c 50, no pipelining), req/s' },
];
// the floor first: the empty programs, what any raw_syscalls tracer pays at least
const TRACERS = [
  ['floor', 'floor (`--empty`)'],
  ['agent', '`agent --prometheus`'],
  ['agent-s16', '`agent --sample 16`'],
  ['live', '`live --batch`'],
  ['syscount', '`syscount -L`'],
  ['bpftrace', 'bpftrace hist'],
].filter(([t]) => runs.some((r) => r.tracer === t) || failed.has(t));
const hasFloor = TRACERS.some(([t]) => t === 'floor');
const SERVERS = [...new Set(runs.map((r) => r.svc))];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const row = (cells) => `| ${cells.join(' | ')} |`;
const header = (first) => [row([first, ...TRACERS.map(([, l]) => l)]), row(['---', ...TRACERS.map(() => '---:')])];

// traced/baseline per pair for one load and tracer
function ratios(load, tracer) {
  const mine = runs.filter((r) => r.svc === load.svc && r.tracer === tracer && r.figures[load.fig] > 0);
  const out = [];
  for (const t of mine.filter((r) => r.kind === 'traced')) {
    const b = mine.find((r) => r.kind === 'baseline' && r.pair === t.pair);
    if (b) out.push(t.figures[load.fig] / b.figures[load.fig]);
  }
  return out;
}

const out = [];
out.push('Throughput traced / baseline: the median over the pairs (range), pairs:', '');
if (hasFloor) {
  out.push(
    "The floor is no tracer: the loader's empty programs (`syscall-prof-loader --empty`) on the same raw_syscalls tracepoints, " +
      'which every tracer built on them pays at least; its ratio is the best the others can reach.',
    '',
  );
}
out.push(...header('load'));
for (const load of LOADS.filter((l) => SERVERS.includes(l.svc))) {
  const base = median(runs.filter((r) => r.svc === load.svc && r.kind === 'baseline').map((r) => r.figures[load.fig]));
  const cells = TRACERS.map(([t]) => {
    if (failed.has(t) && ratios(load, t).length === 0) return 'failed';
    const rs = ratios(load, t);
    return rs.length === 0 ? '-' : `${median(rs).toFixed(3)} (${Math.min(...rs).toFixed(3)}-${Math.max(...rs).toFixed(3)}), ${rs.length}`;
  });
  out.push(row([`${load.label} (baseline median ${Math.round(base).toLocaleString('en')})`, ...cells]));
}

out.push(
  '',
  "The profiler's CPU as a share of the server's own CPU (its cgroup's cpu.stat): processes + BPF programs = total. " +
    "Processes: the tracer's cgroup (the floor's loader; node and the loader; syscount; bpftrace), median over the traced runs; " +
    'BPF programs: their run_time_ns over one traced run with kernel.bpf_stats_enabled=1 (they run on every syscall of the machine, ' +
    'filtered to the cgroup inside, so a busy machine raises this share), and their average ns per program run.',
  '',
);
if (hasFloor) {
  out.push(
    "The floor's BPF time is mostly the statistics' own clock reads (its programs do nothing); what being on the tracepoints " +
      "costs beyond that (the syscalls' slow path, the dispatch to the programs) lands in the server's own CPU and shows in the ratios.",
    '',
  );
}
out.push(...header('server (its CPU, cores)'));
for (const svc of SERVERS) {
  const cores = median(runs.filter((r) => r.svc === svc && r.kind === 'baseline').map((r) => r.svcUs / r.wallUs));
  const cells = TRACERS.map(([t]) => {
    const traced = runs.filter((r) => r.svc === svc && r.tracer === t && r.kind === 'traced');
    const cost = runs.find((r) => r.svc === svc && r.tracer === t && r.kind === 'cost');
    if (traced.length === 0) return failed.has(t) ? 'failed' : '-';
    const proc = median(traced.map((r) => r.tracerUs / r.svcUs));
    const bpf = cost ? cost.bpfNs / 1000 / cost.svcUs : NaN;
    if (!Number.isFinite(bpf)) return `${pct(proc)} + -`;
    const perRun = cost.bpfRuns > 0 ? `; ${Math.round(cost.bpfNs / cost.bpfRuns)} ns/run` : '';
    return `${pct(proc)} + ${pct(bpf)} = **${pct(proc + bpf)}**${perRun}`;
  });
  out.push(row([`${svc === 'postgres' ? 'PostgreSQL' : 'Redis'} (${cores.toFixed(2)})`, ...cells]));
}
for (const [t, why] of failed) out.push('', `${t}: ${why}`);
console.log(out.join('\n'));
