// CHECK_CUDA for the host code of the examples and benchmarks: a failed CUDA
// call ends the program (exit status 1) with the call, its place and CUDA's
// message.
#ifndef COROPTX_EXAMPLES_CUDA_CHECK_H
#define COROPTX_EXAMPLES_CUDA_CHECK_H

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#define CHECK_CUDA(call)                                                       \
  do {                                                                         \
    cudaError_t err_ = (call);                                                 \
    if (err_ != cudaSuccess) {                                                 \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,       \
                   cudaGetErrorString(err_));                                  \
      std::exit(1);                                                            \
    }                                                                          \
  } while (0)

#endif // COROPTX_EXAMPLES_CUDA_CHECK_H
