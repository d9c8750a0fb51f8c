// `syscall-prof live`: a live top view of syscalls (ink on a terminal; plain
// text with --batch or when piped; NDJSON with --json), fed by the eBPF
// backend's snapshots; --output copies the loader's stream to an .spb file.
import { traceWithEbpf, type EbpfBackendOptions } from '../core/backends/ebpf/backend.js';
import type { EventChunk } from '../core/wire/event-types.js';
import { AtomicFile } from '../core/capture/atomic-file.js';
import { FdTable } from '../core/capture/fd-table.js';
import { CgroupCache, cgroupInfoOfDir, type CgroupInfo } from '../core/system/cgroup.js';
import { startExporters, type Exporters } from '../presentation/export/exporters.js';
import { streamLogger } from '../presentation/export/log.js';
import { wantsExport } from '../presentation/export/settings.js';
import { readProcFds } from '../core/capture/proc-fds.js';
import type { Profile } from '../core/model/profile.js';
import { colorWanted } from '../presentation/render/color.js';
import { formatBytes } from '../presentation/render/units.js';
import { batchJson } from '../presentation/tui/batch-json.js';
import { batchText } from '../presentation/tui/batch-text.js';
import { LiveFeed } from '../presentation/tui/live-feed.js';
import type { runTui, TuiSession } from '../presentation/tui/run-tui.js';
import { keepHeapSmall } from './heap.js';
import type { Io } from './io.js';
import { planLive, type LiveFlags, type LivePlan } from './live-options.js';
import { LoaderLog } from './live-log.js';
import { onStopSignals } from './stop-signals.js';
import { OUTPUT_EXIT, writeFailure } from './write-failure.js';

export { parseInterval, LIVE_BACKENDS_TEXT } from './live-options.js';

// Whether an output stream can tell about its errors (process.stdout can; a test's string sink cannot).
function isEmitter<T>(out: T): out is T & NodeJS.EventEmitter {
  return typeof (out as { on?: unknown }).on === 'function' && typeof (out as { off?: unknown }).off === 'function';
}

// Said once on stderr in event mode.
const EVENTS_COST_NOTE =
  'note: --events copies every call to user space (about 1 µs of CPU per call here, in node and the loader); ' +
  'records that find the ring buffer full are counted as lost, never silent';

// Runs the live subcommand; returns the exit code.
export async function liveCommand(flags: LiveFlags, operands: readonly string[], io: Io): Promise<number> {
  const plan = planLive(flags, operands, io.stdout.isTTY === true);
  for (const w of plan.warnings) io.stderr.write(`syscall-prof: ${w}\n`);
  if (plan.events) io.stderr.write(`syscall-prof: ${EVENTS_COST_NOTE}\n`);
  keepHeapSmall();
  // ink and react only for the screen: other modes (and every other command) start without them.
  // React's production build: its development build (the default without NODE_ENV) checks
  // every render and records a performance measure per component, 5x the work of the agent
  if (plan.mode === 'tui') process.env['NODE_ENV'] ??= 'production';
  const tui = plan.mode === 'tui' ? (await import('../presentation/tui/run-tui.js')).runTui : null;
  const session = new LiveSession(plan, io, tui);
  // a port in use or a bad address fails here, before anything is attached
  const exporters = wantsExport(flags) ? await startExporters(flags, io.stderr, { logger: streamLogger(session.log) }) : null;
  session.exporters = exporters;
  try {
    return await session.run();
  } finally {
    await exporters?.close();
  }
}

// One live session: the trace, the feed, the display and the output file.
class LiveSession {
  private readonly feed: LiveFeed;
  private readonly file: AtomicFile | null;
  private readonly fds: FdTable | null;
  // the cgroups of the processes in the JSON snapshots
  private readonly cgroups = new FrameCgroups();
  // loader/command/exporter lines; held while the screen is up
  readonly log: LoaderLog;
  exporters: Exporters | null = null;
  private tui: TuiSession | null = null;
  private printed = 0;
  private tracing = false;
  private stopSent = false;
  // aborted to stop the trace
  private readonly stopTrace = new AbortController();
  // stdout or stderr failed (a closed pipe, a vanished terminal): nothing more is written there
  private stdoutGone = false;
  // why stdout failed, when it was not a reader going away or the terminal closing
  private stdoutFailure: string | null = null;
  private stderrGone = false;

  constructor(
    private readonly plan: LivePlan,
    private readonly io: Io,
    private readonly startTui: typeof runTui | null,
  ) {
    const { target } = plan.request;
    this.feed = new LiveFeed(plan.events, target.kind === 'cgroup' ? cgroupInfoOfDir(target.path) : null, plan.anomalies);
    // created now: a bad path fails before tracing starts
    this.file = plan.output === null ? null : new AtomicFile(plan.output);
    this.fds = plan.events ? new FdTable() : null;
    if (this.fds !== null && target.kind === 'pids') for (const pid of target.pids) this.fds.seed(pid, readProcFds(pid));
    this.log = new LoaderLog(io.stderr);
  }

  async run(): Promise<number> {
    // SIGINT, SIGTERM, or the terminal went away (SIGHUP: ssh dropped, tmux
    // killed): quit the screen, which stops the trace, or stop it directly
    const quit = (): void => (this.tui !== null ? this.tui.quit() : this.stop());
    // stdout closed (`live --batch | head`) or the terminal is gone (EIO):
    // stop tracing quietly; --output still gets everything
    // (a full device, `> /dev/full`, is no reader going away: said, exit 74, once --output is safe)
    const onStdoutError = (err?: NodeJS.ErrnoException): void => {
      if (this.stdoutGone) return;
      this.stdoutGone = true;
      const failure = writeFailure(err);
      if (failure !== null && failure !== 'closed' && err?.code !== 'EIO') this.stdoutFailure = failure;
      quit();
    };
    const onStderrError = (): void => {
      this.stderrGone = true;
    };
    const listeners: Array<[NodeJS.EventEmitter, (err?: NodeJS.ErrnoException) => void]> = [];
    if (isEmitter(this.io.stdout)) listeners.push([this.io.stdout, onStdoutError]);
    if (isEmitter(this.io.stderr)) listeners.push([this.io.stderr, onStderrError]);
    for (const [stream, l] of listeners) stream.on('error', l);
    const unlisten = onStopSignals(quit, ['SIGINT', 'SIGTERM', 'SIGHUP']);
    this.tracing = true;
    try {
      const profile = this.trace();
      let final: Profile;
      try {
        final = await profile;
      } finally {
        this.tracing = false;
        this.feed.end();
        if (this.tui !== null) {
          // a limited session ends by itself; otherwise the last frame stays until q
          if (this.plan.iterations !== null || this.plan.request.durationSec !== null || this.stopSent) this.tui.quit();
          await this.tui.done;
        }
        this.log.flush();
      }
      if (this.file !== null) {
        const bytes = this.file.commit();
        if (!this.stderrGone) this.io.stderr.write(`syscall-prof: wrote ${this.file.path} (spb, ${formatBytes(bytes)}); ${final.health.lostEvents} records lost\n`);
      }
      if (this.stdoutFailure !== null) {
        if (!this.stderrGone) this.io.stderr.write(`syscall-prof: cannot write the output: ${this.stdoutFailure}\n`);
        return OUTPUT_EXIT;
      }
      return 0;
    } catch (err) {
      this.file?.abort();
      throw err;
    } finally {
      unlisten();
      // late writes (ink's cursor, the alternate screen) to a failed stream may fail again: keep listening there
      for (const [stream, l] of listeners) if (!this.stdoutGone && !this.stderrGone) stream.off('error', l);
    }
  }

  private trace(): Promise<Profile> {
    const options: EbpfBackendOptions = {
      stderr: this.log,
      onStart: () => this.started(),
      ...(this.plan.events ? { onEvents: (chunk: EventChunk) => this.events(chunk) } : {}),
      ...(this.file === null ? {} : { onRawChunk: (chunk: Buffer) => this.file!.write(chunk) }),
      signal: this.stopTrace.signal,
    };
    return traceWithEbpf(this.plan.request, (p) => this.publishSnapshot(p), options);
  }

  // The stream started: mount the screen now (errors before this print plainly).
  private started(): void {
    if (this.plan.mode !== 'tui' || this.startTui === null) return;
    this.log.hold();
    this.tui = this.startTui(this.feed, {
      intervalMs: this.plan.intervalMs,
      color: colorWanted(this.io.stdout.isTTY, this.io.env),
      initial: { view: this.plan.view, sort: this.plan.sort, filter: this.plan.filter, includeWaits: this.plan.includeWaits },
      note: this.plan.events ? 'event mode' : null,
      stdout: this.io.stdout as NodeJS.WriteStream,
    });
    // the user quit: stop tracing (the final snapshot still reaches --output)
    void this.tui.done.then(
      () => this.stop(),
      () => this.stop(),
    );
  }

  private events(chunk: EventChunk): void {
    this.fds!.annotate(chunk);
    this.feed.pushEvents(chunk.batch);
  }

  // Every snapshot passes here once, in order: the one place to hand snapshots
  // to other consumers (the --prometheus/--otlp exporters).
  private publishSnapshot(profile: Profile): void {
    this.exporters?.update(profile);
    const frame = this.feed.pushSnapshot(profile);
    if (frame.anomalies !== undefined) this.exporters?.recordAnomalies(frame.anomalies.active);
    if (this.plan.mode === 'tui' || this.stdoutGone) return;
    // after --iterations, later snapshots (the final one) are not printed
    if (this.plan.iterations !== null && this.printed >= this.plan.iterations) return;
    const { plan } = this;
    if (plan.mode === 'json') this.cgroups.update(profile);
    this.io.stdout.write(
      plan.mode === 'json'
        ? batchJson(frame, plan.top, this.cgroups.lookup, plan.includeWaits)
        : batchText(frame, null, {
            view: plan.view,
            sort: plan.sort,
            filter: plan.filter,
            top: plan.top,
            width: (this.io.stdout as { columns?: number }).columns ?? 100,
            intervalMs: plan.intervalMs,
            includeWaits: plan.includeWaits,
          }),
    );
    this.printed += 1;
    if (plan.iterations !== null && this.printed >= plan.iterations) this.stop();
  }

  // Stops the trace: the backend stops the loader, which sends a final
  // snapshot, and ends a command it started with it.
  private stop(): void {
    if (!this.tracing || this.stopSent) return;
    this.stopSent = true;
    this.stopTrace.abort();
  }
}

// Cgroups of processes, read from /proc once per process (again after an exec)
// while it stays in the snapshots; forgotten when it leaves them, so memory is
// bounded by what the snapshots hold.
class FrameCgroups {
  private readonly cache = new CgroupCache();
  private comms = new Map<number, string>();
  private readonly cached = new Set<number>();

  // The cgroup of a process (null when it is gone or has no v2 path).
  readonly lookup = (tgid: number): CgroupInfo | null => {
    this.cached.add(tgid);
    return this.cache.lookup(tgid, this.comms.get(tgid) ?? '');
  };

  // A new snapshot: the names of its processes; forgets the processes it no longer holds.
  update(profile: Profile): void {
    this.comms = new Map(profile.processes.map((p) => [p.tgid, p.comm]));
    for (const tgid of this.cached) {
      if (this.comms.has(tgid)) continue;
      this.cache.forget(tgid);
      this.cached.delete(tgid);
    }
  }
}
