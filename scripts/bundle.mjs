#!/usr/bin/env node
// Bundles the compiled CLI (.output/dist/cli/sea.js) and its npm dependencies
// into one CommonJS file for a single executable application (node 20's SEA
// runs one CommonJS script: no ES modules, no top-level await, require() of
// built-ins only).
//
//   node scripts/bundle.mjs --entry .output/dist/cli/sea.js --out FILE
//
// Two dependencies use top-level await, which CommonJS cannot express:
// - yoga-layout (ink's layout engine) awaits its WebAssembly instance. Here it
//   is replaced by a module that instantiates the same wasm synchronously,
//   through the Emscripten loader's instantiateWasm hook, so that nothing
//   changes for ink and --version does not pay for wasm (ink loads only for
//   the live view).
// - ink's reconciler awaits react-devtools and its own package.json only when
//   DEV=true; both are dropped (devtools is not a dependency).
// Each patch checks that the text it replaces is there, so that a dependency
// update that changes it fails the build here rather than at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { entry: { type: 'string' }, out: { type: 'string' } } });
if (values.entry === undefined || values.out === undefined) {
  console.error('usage: bundle.mjs --entry FILE --out FILE');
  process.exit(2);
}
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(join(root, 'package.json'));

// yoga-layout/dist: the Emscripten loader (wasm as a base64 data URI) and its wrapper
const yogaDir = join(dirname(require.resolve('yoga-layout/load')), '..');
const yogaLoader = join(yogaDir, 'binaries', 'yoga-wasm-base64-esm.js');

// replaces each `from` in `text` exactly once, or fails naming the file
function patch(file, text, replacements) {
  let out = text;
  for (const [from, to] of replacements) {
    const at = out.indexOf(from);
    if (at < 0 || out.indexOf(from, at + 1) >= 0) throw new Error(`bundle.mjs: ${file} changed: expected exactly one ${JSON.stringify(from.slice(0, 60))}`);
    out = out.slice(0, at) + to + out.slice(at + from.length);
  }
  return out;
}

const syncYoga = {
  name: 'sync-yoga',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout-sync', namespace: 'sync-yoga' }));
    b.onLoad({ filter: /.*/, namespace: 'sync-yoga' }, () => {
      const match = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(readFileSync(yogaLoader, 'utf8'));
      if (match === null) throw new Error(`bundle.mjs: no base64 wasm in ${yogaLoader}`);
      return {
        resolveDir: yogaDir,
        loader: 'js',
        contents: `
import loadYoga from './binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './src/wrapAssembly.js';
export * from './src/generated/YGEnums.js';
const wasm = Buffer.from(${JSON.stringify(match[1])}, 'base64');
// the Emscripten module object: instantiated here, synchronously
const module = {
  instantiateWasm(imports, receive) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), imports);
    receive(instance);
    return instance.exports;
  },
};
loadYoga(module).catch(() => undefined);
if (!module.calledRun) throw new Error('yoga-layout did not start synchronously');
export default wrapAssembly(module);
`,
      };
    });
  },
};

const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => ({
      loader: 'js',
      contents: patch(args.path, readFileSync(args.path, 'utf8'), [
        ["await import('./devtools.js');", "throw Object.assign(new Error('react-devtools is not in the single executable'), { code: 'ERR_MODULE_NOT_FOUND' });"],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
      ]),
    }));
  },
};

await build({
  entryPoints: [values.entry],
  outfile: values.out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // the only import.meta left is paths.ts's source-tree lookup, unused when bundled
  logOverride: { 'empty-import-meta': 'silent' },
  define: { SYSCALL_PROF_BUNDLE: JSON.stringify({ version: pkg.version }), 'process.env.NODE_ENV': '"production"' },
  plugins: [syncYoga, inkWithoutDevtools],
});
