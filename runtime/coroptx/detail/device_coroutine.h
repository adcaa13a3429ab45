// <coroptx/detail/device_coroutine.h> -*- C++ -*-
//
// The prelude the coroptx plugin includes before every CUDA translation unit.
// It makes <coroutine> usable in device code:
//  - clang 22 declares the members of coroutine_handle, suspend_always and
//    suspend_never host-only; force_cuda_host_device makes them
//    __host__ __device__.
//  - std::noop_coroutine() returns a handle to a static frame that libstdc++
//    declares as a plain (host) static data member. On the device side only,
//    `static` is redefined for the span of the header so that this member
//    (and the few static member functions beside it) are __device__. The
//    host side never registers that variable, which is what lets the coroptx
//    passes treat it as a device-only constant.
#ifndef COROPTX_DETAIL_DEVICE_COROUTINE_H
#define COROPTX_DETAIL_DEVICE_COROUTINE_H
#pragma clang system_header

// Everything <coroutine> includes, first and unchanged, so that the `static`
// redefinition below reaches <coroutine>'s own text and nothing else.
#include <bits/stl_function.h>
#include <compare>
#include <type_traits>

#pragma clang force_cuda_host_device begin
#if defined(__CUDA_ARCH__)
#pragma push_macro("static")
#define static static __attribute__((device))
#endif
#include <coroutine>
#if defined(__CUDA_ARCH__)
#pragma pop_macro("static")
#endif
#pragma clang force_cuda_host_device end

#endif // COROPTX_DETAIL_DEVICE_COROUTINE_H
