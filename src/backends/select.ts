// Choosing a tracing backend by name.
import { UsageError } from '../errors.js';
import { ebpfBackend } from './ebpf/backend.js';
import type { Backend } from './types.js';

// Names --backend accepts.
export const BACKEND_NAMES = ['auto', 'ebpf'] as const;

// A name --backend accepts.
export type BackendName = (typeof BACKEND_NAMES)[number];

// The backend for a name; "auto" is eBPF, the only backend so far.
export function selectBackend(name: BackendName | string): Backend {
  if (name === 'auto' || name === 'ebpf') return ebpfBackend();
  throw new UsageError(`unknown backend "${name}" (choose from ${BACKEND_NAMES.join(', ')})`);
}
