// `trace --output`: run the eBPF backend in event mode and write every call to a capture file.
import { traceWithEbpf, type EbpfBackendOptions } from '../core/backends/ebpf/backend.js';
import type { EventChunk, StreamStart } from '../core/wire/event-types.js';
import { DEFAULT_RINGBUF_MB } from '../core/backends/ebpf/request.js';
import { AtomicFile } from '../core/capture/atomic-file.js';
import { FdTable } from '../core/capture/fd-table.js';
import { readProcFds } from '../core/capture/proc-fds.js';
import { metaOfStart } from '../core/capture/meta.js';
import { SpbWriter } from '../core/capture/spb-writer.js';
import { createCaptureWriter } from '../core/capture/writer.js';
import type { CaptureWriter } from '../core/capture/writer-types.js';
import type { LoadLevel } from '../core/model/load.js';
import { listenBetween, readListenCounters } from '../core/system/netstat.js';
import type { Profile } from '../core/model/profile.js';
import { keepHeapSmall } from './heap.js';
import type { CapturePlan, TracePlan } from './trace-options.js';

// What a capture run produced.
export interface CaptureResult {
  readonly profile: Profile;
  readonly path: string;
  readonly format: CapturePlan['format'];
  readonly rows: number;
  // io_uring requests recorded (event mode), besides the rows
  readonly ioUringRequests: number;
  readonly bytes: number;
  readonly lostEvents: number;
  // the ring buffer size in force, MiB
  readonly ringbufMb: number;
}

// Traces with events on and writes them to plan.capture; the file appears only
// when the trace completed (a failure removes the temporary file and rethrows).
// `load`, when given, is asked once the trace ended: the machine's load to keep in the trailer (sweep).
export async function captureTrace(plan: TracePlan, capture: CapturePlan, backendOptions: EbpfBackendOptions = {}, load?: () => LoadLevel | null): Promise<CaptureResult> {
  // a capture can run for hours: the same heap policy as the agent's
  keepHeapSmall();
  // created now: a bad path fails before tracing starts
  const file = new AtomicFile(capture.path);
  const fds = new FdTable();
  const { target } = plan.request;
  if (target.kind === 'pids') for (const pid of target.pids) fds.seed(pid, readProcFds(pid));

  // spb copies the loader's bytes through (its metadata is the Header frame);
  // csv and jsonl need the header's facts first, so their writer starts with it
  const spb = capture.format === 'spb' ? new SpbWriter(file) : null;
  let writer: CaptureWriter | null = spb;
  let start: StreamStart | null = null;
  let requests = 0;
  const options: EbpfBackendOptions = {
    ...backendOptions,
    onStart: (s) => {
      start = s;
      writer ??= createCaptureWriter(file, capture.format, metaOfStart(s));
    },
    onEvents: (chunk: EventChunk) => {
      requests += chunk.batch.ioUring?.length ?? 0;
      if (spb !== null) {
        spb.countRows(chunk.batch.length);
        return;
      }
      fds.annotate(chunk);
      writer!.write(chunk.batch);
    },
    ...(spb === null ? {} : { onRawChunk: (chunk: Buffer) => spb.writeRaw(chunk) }),
  };

  // the accept queues' overflows while it ran (this network namespace): the listen-overflow rule
  const listenBefore = readListenCounters();
  let profile: Profile;
  try {
    profile = await traceWithEbpf(plan.request, undefined, options);
  } catch (err) {
    if (writer !== null) (writer as CaptureWriter).abort();
    else file.abort();
    throw err;
  }
  const done = writer as CaptureWriter | null;
  if (done === null) {
    // the backend returns only after a header: cannot happen, but never leave a temp file
    file.abort();
    throw new Error('the trace ended without a stream header');
  }
  const lostEvents = profile.health.lostEvents;
  const bytes = done.commit({
    durationNs: profile.durationNs,
    lostEvents,
    cpuNs: profile.cpuNs ?? null,
    threadNs: profile.threadNs ?? null,
    threadCount: profile.threadCount ?? null,
    runqNs: profile.runqNs ?? null,
    load: load === undefined ? null : load(),
    listen: listenBetween(listenBefore, readListenCounters()),
    stackHealth: profile.stacks?.health ?? null,
  });
  const ringbufBytes = (start as StreamStart | null)?.ringbufBytes ?? 0;
  return {
    profile,
    path: capture.path,
    format: capture.format,
    rows: done.rows,
    ioUringRequests: requests,
    bytes,
    lostEvents,
    ringbufMb: ringbufBytes > 0 ? ringbufBytes / (1024 * 1024) : (plan.request.ringbufMb ?? DEFAULT_RINGBUF_MB),
  };
}
