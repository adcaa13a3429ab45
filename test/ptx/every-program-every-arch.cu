// Every GPU program of the project, for sm_75, sm_80 and sm_90 at -O0, -O1,
// -O2 and -O3: no heap call and no indirect call anywhere in the PTX, and
// ptxas 13.0 assembles each module (ptx_facts.py fails otherwise).
// REQUIRES: ptxas
// RUN: %ptx-facts %coroptx-src/examples/demo_async.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/test/gpu/runtime_on_gpu.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/test/gpu/semantics_on_gpu.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/test/gpu/symmetric_transfer.cu | FileCheck %s
// RUN: %ptx-facts %coroptx-src/test/gpu/round_robin_on_gpu.cu | FileCheck %s
// CHECK: ptx facts: no heap call and no indirect call in any PTX module
