// Warp and block executors running jobs that sleep, wait for a flag, yield,
// and join each other's values (co_await on a handle, when_any, when_all)
// compile to kernels with no indirect call and no heap call at every -O
// level: the frames live in the executor's storage, and every resume and
// destroy is direct. The awaits of when_all's children keep the transfer
// loop and the destroy dispatcher as direct calls; the rest is inlined.
// Each decision is one redux.sync on sm_90 (a few ballots on sm_75, which
// has no redux, or with COROPTX_WARP_VOTE_BY_BALLOTS) and, for a block, one
// barrier. The slots are 384 bytes: first_then_all's frame holds when_any's
// and when_all's, and with 256 it never fit, so the job was never spawned
// and its code folded away (the executor now warns of that at compile time).
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -DEXECUTOR=warp_executor -S %s -o %t.warp.O0.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,WARP90 --input-file=%t.warp.O0.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.warp.O0.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -DEXECUTOR=warp_executor -S %s -o %t.warp.O2.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,WARP90 --input-file=%t.warp.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.warp.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_75 -O3 -DEXECUTOR=warp_executor -S %s -o %t.warp.75.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,WARP75 --implicit-check-not=redux --input-file=%t.warp.75.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_75 %t.warp.75.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -DEXECUTOR=warp_executor -DCOROPTX_WARP_VOTE_BY_BALLOTS -S %s -o %t.warp.ballots.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,WARP75 --implicit-check-not=redux --input-file=%t.warp.ballots.ptx
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -DEXECUTOR=block_executor -S %s -o %t.block.O0.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BLOCK --input-file=%t.block.O0.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.block.O0.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -DEXECUTOR=block_executor -S %s -o %t.block.O2.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BLOCK --input-file=%t.block.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.block.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_75 -O3 -DEXECUTOR=block_executor -S %s -o %t.block.75.ptx
// RUN: FileCheck %s --check-prefixes=CHECK,BLOCK --input-file=%t.block.75.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_75 %t.block.75.ptx -o /dev/null %}
#include <coroptx/combinators.h>
#include <coroptx/executor.h>

using executor = coroptx::EXECUTOR<6, 384>;
using handle = coroptx::join_handle<int, executor>;

__device__ coroptx::job<int> step_and_sleep(executor &ex, int value,
                                            unsigned period,
                                            const volatile int *go) {
  co_await ex.wait_until([go] { return *go != 0; });
  for (int i = 0; i < value % 4; ++i) {
    co_await ex.sleep_for(period);
    co_await ex.yield_now();
  }
  co_return value * 3;
}

__device__ coroptx::job<int> first_then_all(executor &ex, handle *a, handle *b,
                                            handle c, handle d) {
  auto [which, first] = co_await coroptx::when_any(*a, *b);
  int other = co_await *(which == 0 ? b : a);
  auto [x, y] = co_await coroptx::when_all(std::move(c), std::move(d));
  co_return first * 1000 + other * 100 + x * 10 + y + int(which);
}

// CHECK-NOT: prototype
// CHECK-NOT: malloc
// In whatever order the blocks are laid out:
// CHECK-LABEL: .entry _Z13run_executorsPiPVKiS1_
// WARP90-DAG: redux.sync.or.b32
// WARP75-DAG: vote.sync.ballot
// BLOCK-DAG: bar.sync
// CHECK-DAG: nanosleep
// CHECK-DAG: call.uni coroptx_$_destroy_$_dispatch
// CHECK: ret;
// CHECK-NOT: prototype
// CHECK-NOT: malloc
__global__ void run_executors(int *out, const volatile int *stop,
                              const volatile int *go) {
  const int t = threadIdx.x;
  executor ex;
  handle a = ex.spawn(step_and_sleep(ex, t, 1000, go));
  handle b = ex.spawn(step_and_sleep(ex, t + 1, 3000, go));
  auto total = ex.spawn(first_then_all(ex, &a, &b,
                                       ex.spawn(step_and_sleep(ex, t + 2, 500, go)),
                                       ex.spawn(step_and_sleep(ex, t + 3, 200, go))));
  if (ex.run(stop) == coroptx::run_status::all_done)
    out[t] = total.get();
}
