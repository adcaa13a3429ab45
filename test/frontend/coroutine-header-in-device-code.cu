// With the plugin, <coroutine> is usable in device code as it is: every
// coroutine_handle member, suspend_always, suspend_never and noop_coroutine().
// Without it, clang 22 rejects the same code.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
// RUN: not %clang-plain-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null %s 2>&1 | FileCheck %s --check-prefix=CLANG-ALONE
// expected-no-diagnostics
// CLANG-ALONE-DAG: reference to __host__ function 'noop_coroutine' in __global__ function
// CLANG-ALONE-DAG: reference to __host__ function 'from_promise' in __global__ function
#include <coroutine>

struct promise {};

__global__ void every_member(void **addresses, bool *flags) {
  std::suspend_always always;
  std::suspend_never never;
  flags[0] = always.await_ready() || never.await_ready();

  std::coroutine_handle<> noop = std::noop_coroutine();
  noop.resume();
  noop.destroy();
  flags[1] = noop.done();
  addresses[0] = noop.address();
  addresses[1] = &std::noop_coroutine().promise();

  auto from_address = std::coroutine_handle<promise>::from_address(addresses[2]);
  addresses[3] = from_address.address();
  addresses[4] = &std::coroutine_handle<promise>::from_promise(
                     *static_cast<promise *>(addresses[5])).promise();
  flags[2] = static_cast<bool>(std::coroutine_handle<>());
}
