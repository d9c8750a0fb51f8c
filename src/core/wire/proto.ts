// The code generated from proto/syscall_prof.proto (src/core/wire/generated/,
// made by `make ts-gen`), ready for numbers: import syscallprof from here.
import protobuf from 'protobufjs/minimal.js';
import { syscallprof } from './generated/syscall_prof.js';

// The generated classes keep each field's default on their prototype, and while
// protobufjs has Long (it does: nothing switches it off) a 64-bit default is a
// Long zero. Made 0 here, so that a 64-bit field the sender left out reads as the
// number 0 like the ones number-reader.ts decodes. Every message is a direct
// member of the namespace (nested types are enums only).
function zeroLongDefaults(namespace: object): void {
  const Long = protobuf.util.Long;
  if (Long === undefined) return;
  for (const type of Object.values(namespace)) {
    if (typeof type !== 'function') continue;
    const proto = (type as { prototype: Record<string, unknown> }).prototype;
    for (const key of Object.keys(proto)) if (proto[key] instanceof Long) proto[key] = 0;
  }
}

zeroLongDefaults(syscallprof);

export { syscallprof };
