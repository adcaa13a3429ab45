// A static_executor running three jobs that wait for a flag, then sleep
// between steps, compiles to
// a kernel with no call of any kind at every -O level: job frames live in the
// executor's own storage (the job promise's operator new), wait_until's task
// frame sits inside the job's, resumes and destroys are direct and inlined,
// and the idle wait is __nanosleep. Optimized, the executor and the frames
// in it become SSA values: no local memory is left (FLAT).
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S %s -o %t.O0.ptx
// RUN: FileCheck %s --input-file=%t.O0.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.O0.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %s -o %t.O2.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,FLAT --input-file=%t.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_75 -O3 -S %s -o %t.75.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,FLAT --input-file=%t.75.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_75 %t.75.ptx -o /dev/null %}
#include <coroptx/executor.h>

using executor = coroptx::static_executor<3, 256>;

__device__ coroptx::job<> counter(executor &ex, unsigned long long *count,
                                unsigned period, const volatile int *go) {
  co_await ex.wait_until([go] { return *go != 0; });
  for (;;) {
    atomicAdd(count, 1ull);
    co_await ex.sleep_for(period);
  }
}

// CHECK-LABEL: .entry _Z11run_foreverPyPVKiS1_
// FLAT-NOT: __local_depot
// CHECK-NOT: call
// CHECK: nanosleep
// CHECK-NOT: call
// CHECK: ret;
__global__ void run_forever(unsigned long long *counts, const volatile int *stop,
                            const volatile int *go) {
  executor ex;
  ex.spawn(counter(ex, &counts[0], 1000, go));
  ex.spawn(counter(ex, &counts[1], 2000, go));
  ex.spawn(counter(ex, &counts[2], 4000, go));
  ex.run(stop);
}
