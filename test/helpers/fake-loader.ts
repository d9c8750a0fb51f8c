// Where the fake loader lives, and an environment that selects it.
import { fileURLToPath } from 'node:url';

// Path of test/helpers/fake-loader.mjs.
export const FAKE_LOADER = fileURLToPath(new URL('./fake-loader.mjs', import.meta.url));

// Environment variables that make the CLI use the fake loader with a scenario.
export function fakeLoaderEnv(scenario: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SYSCALL_PROF_LOADER: FAKE_LOADER, FAKE_SCENARIO: scenario, ...extra };
}
