// Locations inside the installed package: the source tree (found from this
// module's own path) or the single executable of `make dist` (bin/syscall-prof,
// with its loader in ../libexec/syscall-prof/).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Replaced by the bundler of the single executable (scripts/bundle.mjs) with
// the package's metadata; undeclared when the CLI runs from the source tree.
declare const SYSCALL_PROF_BUNDLE: { readonly version: string } | undefined;

// The metadata the bundler embedded, or undefined when running from the source tree.
function bundled(): { readonly version: string } | undefined {
  return typeof SYSCALL_PROF_BUNDLE === 'undefined' ? undefined : SYSCALL_PROF_BUNDLE;
}

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

// The version in package.json (embedded in the single executable).
export function packageVersion(): string {
  const meta = bundled();
  if (meta !== undefined) return meta.version;
  return (JSON.parse(readFileSync(join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

// The loader of a packaged install: libexec/syscall-prof/ beside the bin/
// directory of the executable (symlinks to it resolved).
export function packagedLoaderPath(execPath: string): string {
  let real = execPath;
  try {
    real = realpathSync(execPath);
  } catch {
    // a vanished executable: the path as given still says where to look
  }
  return join(dirname(real), '..', 'libexec', 'syscall-prof', 'syscall-prof-loader');
}

// The loader binary: $SYSCALL_PROF_LOADER, else the packaged one beside the
// single executable, else the one `make build` writes.
export function loaderPath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['SYSCALL_PROF_LOADER'];
  if (override !== undefined && override !== '') return override;
  if (bundled() !== undefined) return packagedLoaderPath(process.execPath);
  return join(findPackageRoot(), '.output', 'loader', 'syscall-prof-loader');
}

// What to do when the loader is missing: build it, or restore the package.
export function loaderFix(): string {
  if (bundled() === undefined) return 'run `make build`';
  return 'reinstall syscall-prof: the loader belongs in libexec/syscall-prof/ beside its bin/ directory (or set SYSCALL_PROF_LOADER)';
}
