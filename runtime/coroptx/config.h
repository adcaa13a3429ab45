// <coroptx/config.h> -*- C++ -*-
//
// Portability macros of the coroptx runtime. The same headers compile as
// CUDA (host and device) and as plain C++ for the host-side unit tests.
#ifndef COROPTX_CONFIG_H
#define COROPTX_CONFIG_H

#if defined(__CUDACC__)
#define COROPTX_HOST_DEVICE __host__ __device__
#else
#define COROPTX_HOST_DEVICE
#endif

// A coroutine type that is a temporary awaited in place: with
// coro_await_elidable, clang marks `co_await f()` as safe to give f's frame
// storage inside the awaiting coroutine's own frame.
#if defined(__clang__)
#define COROPTX_AWAIT_ELIDABLE [[clang::coro_await_elidable]]
#else
#define COROPTX_AWAIT_ELIDABLE
#endif

// `COROPTX_UNROLL(n)` before a loop: unroll it n times, where the compiler
// takes the pragma (clang) and optimizes. Fully unrolled over an array, each
// access is at a constant index, which on the GPU keeps the array in
// registers. At -O0 nothing unrolls, and clang would warn about the pragma.
#if defined(__clang__) && defined(__OPTIMIZE__)
#define COROPTX_PRAGMA(text) _Pragma(#text)
#define COROPTX_UNROLL(n) COROPTX_PRAGMA(unroll n)
#else
#define COROPTX_UNROLL(n)
#endif

#if defined(__CUDA_ARCH__)
#define COROPTX_TRAP() __trap()
#else
#include <cstdlib>
#define COROPTX_TRAP() std::abort()
#endif

#endif // COROPTX_CONFIG_H
