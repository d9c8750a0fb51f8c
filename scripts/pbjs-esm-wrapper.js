// pbjs wrapper for the generated wire code (make ts-gen): an ES module that
// imports protobufjs/minimal.js by its default export, which works from node's
// ESM loader (pbjs' own es6 wrapper uses a namespace import, whose named
// exports node cannot see in protobufjs' CommonJS).
import $protobuf from "protobufjs/minimal.js";

$OUTPUT;

export { $root as default };
