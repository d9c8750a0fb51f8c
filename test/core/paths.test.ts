// Where the CLI finds its files: the source tree, a packaged install, an override.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPackageRoot, loaderFix, loaderPath, packagedLoaderPath, packageVersion } from '../../src/core/paths.js';

describe('paths', () => {
  it('a packaged install keeps the loader in libexec/syscall-prof/ beside bin/', () => {
    expect(packagedLoaderPath('/opt/sp/bin/syscall-prof')).toBe('/opt/sp/libexec/syscall-prof/syscall-prof-loader');
  });

  it('follows a symlink to the executable to the real install', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-paths-'));
    mkdirSync(join(dir, 'opt/bin'), { recursive: true });
    mkdirSync(join(dir, 'usr/bin'), { recursive: true });
    writeFileSync(join(dir, 'opt/bin/syscall-prof'), '');
    symlinkSync(join(dir, 'opt/bin/syscall-prof'), join(dir, 'usr/bin/syscall-prof'));
    expect(packagedLoaderPath(join(dir, 'usr/bin/syscall-prof'))).toBe(join(dir, 'opt/libexec/syscall-prof/syscall-prof-loader'));
  });

  it('from the source tree: the loader make build writes, unless SYSCALL_PROF_LOADER says otherwise', () => {
    expect(loaderPath({})).toBe(join(findPackageRoot(), '.output/loader/syscall-prof-loader'));
    expect(loaderPath({ SYSCALL_PROF_LOADER: '/x/loader' })).toBe('/x/loader');
    expect(loaderPath({ SYSCALL_PROF_LOADER: '' })).toBe(join(findPackageRoot(), '.output/loader/syscall-prof-loader'));
    expect(loaderFix()).toBe('run `make build`');
  });

  it('the version is package.json\'s', () => {
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
