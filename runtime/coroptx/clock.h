// <coroptx/clock.h> -*- C++ -*-
//
// device_clock: the time source and the idle wait of the executors. On the
// GPU, nanoseconds from %globaltimer and __nanosleep (sm_70+, which sleeps
// between 0 and 2t ns); on the host, steady_clock and a thread sleep.
#ifndef COROPTX_CLOCK_H
#define COROPTX_CLOCK_H

#include <coroptx/config.h>

#include <cstdint>
#if !defined(__CUDA_ARCH__)
#include <chrono>
#include <thread>
#endif

namespace coroptx {

struct device_clock {
  COROPTX_HOST_DEVICE static std::uint64_t now_ns() noexcept {
#if defined(__CUDA_ARCH__)
    std::uint64_t t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
#else
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now().time_since_epoch())
            .count());
#endif
  }

  COROPTX_HOST_DEVICE static void sleep_ns(std::uint32_t ns) noexcept {
#if defined(__CUDA_ARCH__)
    __nanosleep(ns);
#else
    std::this_thread::sleep_for(std::chrono::nanoseconds(ns));
#endif
  }
};

} // namespace coroptx

#endif // COROPTX_CLOCK_H
