// -fplugin=CoroPTX.so alone puts the coroptx passes into the device pipeline
// at -O0 and at -O2 (no -fpass-plugin), and leaves the host side of the same
// CUDA compile exactly as clang makes it.
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S -o /dev/null -Xclang -fdebug-pass-manager %s 2>&1 | FileCheck %s --check-prefixes=DEVICE,DEVICE-O0
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -fdebug-pass-manager %s 2>&1 | FileCheck %s --check-prefixes=DEVICE,DEVICE-O2
// RUN: %clang-cuda --cuda-host-only -O2 -S -o /dev/null -Xclang -fdebug-pass-manager %s 2>&1 | FileCheck %s --check-prefix=HOST
#include <coroptx/block_on.h>

__host__ __device__ coroptx::task<int> twice(int x) { co_return 2 * x; }

__global__ void kernel(int *out) { out[threadIdx.x] = coroptx::block_on(twice(threadIdx.x)); }

int host_side(int x) { return coroptx::block_on(twice(x)); }

// DEVICE: Running pass: coroptx::ClosedWorldPass
// DEVICE-O0: Running pass: {{.*}}OptimizeCoroutineModuleAtO0
// DEVICE-O0: Running pass: CoroSplitPass
// DEVICE-O0: Running pass: {{.*}}DevirtualizeAndInline
// DEVICE-O2: Running pass: CoroSplitPass
// DEVICE-O2: Running pass: {{.*}}DevirtualizeAndInline
// DEVICE: Running pass: GlobalDCEPass
// DEVICE: Running pass: coroptx::LoweringVerifierPass

// HOST-NOT: coroptx::
// HOST: Running pass: CoroSplitPass
// HOST-NOT: coroptx::
