// Locations inside the installed package, found from this module's own path.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The nearest ancestor of `start` that holds a package.json (works from src/ and .output/dist/).
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

// The wire schema shared with the loader.
export function protoPath(): string {
  return join(findPackageRoot(), 'proto', 'syscall_prof.proto');
}

// The loader binary: $SYSCALL_PROF_LOADER, else the one `make build` writes.
export function loaderPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['SYSCALL_PROF_LOADER'];
  if (override !== undefined && override !== '') return override;
  return join(findPackageRoot(), '.output', 'loader', 'syscall-prof-loader');
}
