// Two test projects: unit tests run in parallel; integration tests (the real
// loader, strace, perf trace and bpftrace on real workloads, as root) run one
// file at a time, so no tool's timing or lost events depend on the others.
// Both build the CLI first.
import { defineConfig } from 'vitest/config';

// test files outside test/integration/ that run real tracing tools
const REAL_TOOLS = ['test/core/backends/perf/run.test.ts', 'test/core/backends/bpftrace/parse.test.ts', 'test/core/backends/strace/run.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/corpus/**', 'node_modules/**', ...REAL_TOOLS],
          globalSetup: ['test/helpers/build.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', ...REAL_TOOLS],
          globalSetup: ['test/helpers/build.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // real programs from Debian packages (servers in their own cgroups on
        // loopback), traced and reported as a user would: one file at a time
        test: {
          name: 'corpus',
          include: ['test/corpus/**/*.test.ts'],
          globalSetup: ['test/helpers/build.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
