// The Profile of a perf trace or bpftrace capture (shared builder in ../events-profile.ts).
import type { EventBatch } from '../../model/events.js';
import type { Profile, StopReason, Target, TargetExit } from '../../model/profile.js';
import { ProfileBuilder } from '../events-profile.js';

// What the events alone cannot tell.
export interface ProfileContext {
  readonly backend: string;
  readonly target: Target;
  readonly startedAt: Date;
  readonly durationNs: number;
  readonly lostEvents: number;
  // calls whose entry was not seen (started before tracing)
  readonly missedStarts: number;
  readonly exit: TargetExit | null;
  readonly stopReason: StopReason;
}

// The final Profile of a capture's events (batches consumed once).
export async function eventsToProfile(batches: AsyncIterable<EventBatch> | Iterable<EventBatch>, ctx: ProfileContext): Promise<Profile> {
  const builder = new ProfileBuilder();
  for await (const batch of batches) builder.add(batch);
  return builder.build({
    backend: ctx.backend,
    target: ctx.target,
    startedAt: ctx.startedAt,
    durationNs: ctx.durationNs,
    final: true,
    health: { lostEvents: ctx.lostEvents, missedStarts: ctx.missedStarts },
    exit: ctx.exit,
    stopReason: ctx.stopReason,
  });
}
