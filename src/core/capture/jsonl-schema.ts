// The JSON lines capture layout (see README "Capture files").
//
//   {"syscall_prof":1,"meta":{"backend":"ebpf","arch":"x86_64","target":"...",
//     "start_real_ns":"1735787045000000000",
//     "filters":{"syscalls":null,"min_duration_ns":0,"failed_only":false}}}
//   {"timestamp_ns":"1735787045000012345","pid":42,"tid":42,"comm":"db",
//     "syscall":"read","duration_ns":1234,"ret":4096,"errno":null,
//     "args":["0x3","0x7ffc1000","0x1000","0x0","0x0","0x0"],"pos":8192,
//     "off_cpu_ns":800,"runq_ns":0,"path":"/data/x"}
//   {"kind":"io_uring","timestamp_ns":"1735787045000013000","pid":42,"tid":42,"comm":"db",
//     "op":"read","fd":3,"fixed_file":false,"path":"/data/x","offset":8192,"length":4096,
//     "result":4096,"errno":null,"duration_ns":15000,"punted":false,"ring":3735928559}
//   ...
//   {"syscall_prof_end":{"rows":1,"io_uring_rows":1,"duration_ns":2000000000,"lost_events":0,"cpu_ns":1500000,
//     "thread_ns":4000000000,"threads":2}}
//
// io_uring records (uring-record.ts) follow the calls of the batch they completed in;
// io_uring_rows counts them (absent when there were none).
// A row whose call had its stack taken (trace --stacks) has "stack": folded
// frames outermost first ("main;ledger_run;ledger_durable_commit;fsync");
// rows without one have no "stack"; the end line then has "stack_health" (what
// happened to the slow calls: StackHealth of core/model/stacks.ts).
// cpu_ns, thread_ns, threads and runq_ns are there when known (older captures lack the last three).
// timestamp_ns and start_real_ns are strings: they do not fit a double exactly.

// Version of the layout, in the first line.
export const JSONL_VERSION = 1;
