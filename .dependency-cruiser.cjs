// The one-way flow of src/, checked by `make lint-deps` (part of `make test`).
// Layers, bottom to top:
//   core/model, core/system, core/errors.ts, core/paths.ts
//   -> core/wire -> core/capture -> core/backends
//   core/analysis (model only)
//   -> presentation: render -> (tui | export) -> cli
// A module may import from its own layer and the layers below, never above.
// Keep every rule an error: `depcruise` exits non-zero on any violation.

const UI_LIBS = '(^|/)node_modules/(ink|ink-testing-library|react|commander)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: a cycle makes two modules one, and no layer order holds.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-presentation-or-cli',
      severity: 'error',
      comment: 'The core (model, system, wire, capture, backends, analysis) returns data; words, screens and options live above it.',
      from: { path: '^src/core/' },
      to: { path: '^src/(presentation|cli)/' },
    },
    {
      name: 'core-no-ui-libraries',
      severity: 'error',
      comment: 'The core runs without ink, react or commander (as gemini-cli keeps packages/core free of them).',
      from: { path: '^src/core/' },
      to: { path: UI_LIBS },
    },
    {
      name: 'presentation-not-cli',
      severity: 'error',
      comment: 'Presentation is called by the CLI, never the other way round.',
      from: { path: '^src/presentation/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-cli-parses-options',
      severity: 'error',
      comment: 'commander belongs to src/cli/, which owns every option parser.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '(^|/)node_modules/commander/' },
    },
    {
      name: 'model-imports-nothing',
      severity: 'error',
      comment: 'The normalized model is the bottom: it imports no other src module.',
      from: { path: '^src/core/model/' },
      to: { path: '^src/', pathNot: '^src/core/model/' },
    },
    {
      name: 'system-imports-nothing',
      severity: 'error',
      comment: 'The /proc readers (core/system) sit beside the model: no other src module.',
      from: { path: '^src/core/system/' },
      to: { path: '^src/', pathNot: '^src/core/system/' },
    },
    {
      name: 'core-root-imports-nothing',
      severity: 'error',
      comment: 'core/errors.ts and core/paths.ts are used everywhere, so they import no src module.',
      from: { path: '^src/core/[^/]+$' },
      to: { path: '^src/', pathNot: '^src/core/[^/]+$' },
    },
    {
      name: 'presentation-root-imports-core-only',
      severity: 'error',
      comment: 'presentation/*.ts (the Output sink) is shared by render, tui and export, so it imports none of them.',
      from: { path: '^src/presentation/[^/]+$' },
      to: { path: '^src/presentation/[^/]+/' },
    },
    {
      name: 'render-below-tui-and-export',
      severity: 'error',
      comment: 'Renderers turn data into text; the live view and the exporters use them, not the reverse.',
      from: { path: '^src/presentation/render/' },
      to: { path: '^src/presentation/(tui|export)/' },
    },
    {
      name: 'tui-and-export-apart',
      severity: 'error',
      comment: 'The live view and the exporters are siblings: what both need lives below them (render, core).',
      from: { path: '^src/presentation/(tui|export)/' },
      to: { path: '^src/presentation/(tui|export)/', pathNot: '^src/presentation/$1/' },
    },
    {
      name: 'wire-below-capture',
      severity: 'error',
      comment: 'The frame stream decodes into the model; capture files, backends and analysis build on it.',
      from: { path: '^src/core/wire/' },
      to: { path: '^src/core/(capture|backends|analysis|system)/' },
    },
    {
      name: 'capture-below-backends',
      severity: 'error',
      comment: 'Capture formats read and write events; the backends (and their log readers) use them, not the reverse.',
      from: { path: '^src/core/capture/' },
      to: { path: '^src/core/(backends|analysis)/' },
    },
    {
      name: 'backends-not-analysis',
      severity: 'error',
      comment: 'Backends output only the normalized model; analysis reads it afterwards.',
      from: { path: '^src/core/backends/' },
      to: { path: '^src/core/analysis/' },
    },
    {
      name: 'analysis-needs-only-the-model',
      severity: 'error',
      comment: 'Analysis is pure functions over the model: it never knows which backend, wire format or capture format produced it.',
      from: { path: '^src/core/analysis/' },
      to: { path: '^src/core/(wire|capture|backends|system)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
