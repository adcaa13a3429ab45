// With -fgpu-rdc other device modules may call in, so the module is no closed
// world: the ramp stays visible with its heap frame and resumes stay indirect,
// and coroptx rejects both at the user's lines rather than emit malloc or an
// indirect call.
// RUN: %clang-device -fgpu-rdc --cuda-gpu-arch=sm_90 -O2 -S -o /dev/null -Xclang -verify %s
#include <coroptx/block_on.h>

// expected-error-re@+2 {{coroptx: an indirect call remains in device function 'twice(int) (.resume)'{{.*}}-fgpu-rdc{{.*}}}}
// expected-error-re@+1 {{coroptx: the frame of device coroutine 'twice(int)' would be allocated on the heap{{.*}}}}
__device__ coroptx::task<int> twice(int x) {
  co_return 2 * x;
}

// expected-error-re@+1 {{coroptx: an indirect call remains in device function 'kernel(int*)'{{.*}}}}
__global__ void kernel(int *out) { out[threadIdx.x] = coroptx::block_on(twice(threadIdx.x)); }
