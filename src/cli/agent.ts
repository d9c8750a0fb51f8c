// `syscall-prof agent`: trace headless, serve/push metrics, log one-line records,
// stop cleanly on SIGTERM/SIGINT (the loader detaches; the final snapshot is exported).
import { traceWithEbpf, type EbpfBackendOptions } from '../core/backends/ebpf/backend.js';
import { assertCanTraceWithEbpf } from '../core/backends/ebpf/privileges.js';
import { BackendError } from '../core/errors.js';
import { formatAddress } from '../presentation/export/address.js';
import { startExporters, type Exporters } from '../presentation/export/exporters.js';
import { lineLogger, streamLogger } from '../presentation/export/log.js';
import type { Profile } from '../core/model/profile.js';
import { AgentAnomalies, anomalyLogger } from './agent-anomalies.js';
import { planAgent, type AgentFlags } from './agent-plan.js';
import { keepHeapSmall } from './heap.js';
import type { Io } from './io.js';
import { onStopSignals } from './stop-signals.js';

// The agent's options, for program.ts.
export { addAgentOptions } from './agent-options.js';

// Longest wait before restarting a loader that failed at run time.
const MAX_RESTART_DELAY_MS = 60_000;

// Runs the agent until a stop signal, --duration, or the traced pids exit; returns the exit code.
export async function agentCommand(flags: AgentFlags, io: Io, backend: EbpfBackendOptions = {}): Promise<number> {
  const plan = planAgent(flags);
  keepHeapSmall();
  const log = streamLogger(io.stderr);
  const records = plan.anomalies === null ? null : anomalyLogger(plan.anomalyLog, log);
  assertCanTraceWithEbpf();
  const exporters = await startExporters(plan.exports, io.stderr, { logger: log });
  const anomalies = plan.anomalies === null ? null : new AgentAnomalies(plan.anomalies, plan.capture, records!, log, exporters);
  const onRawChunk = anomalies?.onRawChunk;
  // a stop signal ends the trace (the loader detaches and sends its final snapshot) and the restarts
  const stop = new AbortController();
  const unlisten = onStopSignals((signal) => {
    if (!stop.signal.aborted) log.log('info', 'stopping', { signal });
    stop.abort();
  });
  const stopping = (): boolean => stop.signal.aborted;
  try {
    let failures = 0;
    for (;;) {
      const started = Date.now();
      let snapshots = 0;
      anomalies?.newRun();
      try {
        const last = await traceWithEbpf(
          plan.request,
          (p) => {
            if (snapshots++ === 0) log.log('info', 'tracing', describe(p, exporters));
            exporters.update(p);
            anomalies?.update(p);
          },
          { stderr: lineLogger(log, 'warn', 'loader'), ...(onRawChunk === undefined ? {} : { onRawChunk }), ...backend, signal: stop.signal },
        );
        log.log('info', 'stopped', { reason: last.stopReason ?? 'unknown', snapshots });
        return 0;
      } catch (err) {
        // bad arguments, privileges or a loader that never got going: give up
        if (stopping() || !(err instanceof BackendError) || snapshots === 0) throw err;
        failures = Date.now() - started > MAX_RESTART_DELAY_MS ? 1 : failures + 1;
        const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (failures - 1));
        log.log('error', 'tracing failed; restarting', { error: err.message, retry_in_ms: delay });
        await sleepUnless(delay, stopping);
        if (stopping()) return 0;
      }
    }
  } finally {
    unlisten();
    await exporters.close();
  }
}

function describe(p: Profile, exporters: Exporters): Record<string, string | number> {
  const target = p.target.kind === 'pids' ? `pids ${p.target.pids.join(',')}` : p.target.kind === 'cgroup' ? `cgroup ${p.target.path}` : p.target.kind;
  return {
    target,
    ...(exporters.prometheus === null ? {} : { metrics: `http://${formatAddress(exporters.prometheus)}/metrics` }),
  };
}

// Waits ms, or less once stop() says so.
async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stop() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(200, until - Date.now())));
}
