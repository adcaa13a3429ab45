// Every GPU program built on the executors, for sm_75, sm_80 and sm_90 at
// -O0, -O1, -O2 and -O3: no heap call and no indirect call anywhere in the
// PTX, and ptxas 13.0 assembles each module (ptx_facts.py fails otherwise).
// sm_75 has no redux.sync, so it also covers the warp votes by ballots.
// REQUIRES: ptxas
// RUN: %ptx-facts %coroptx-src/test/gpu/executors_on_gpu.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/examples/stream_parser.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/examples/run_forever.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/bench/executor_switch.cu | FileCheck %s
// CHECK: ptx facts: no heap call and no indirect call in any PTX module
