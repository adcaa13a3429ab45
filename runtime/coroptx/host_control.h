// <coroptx/host_control.h> -*- C++ -*-
//
// control_block<N>: what a long-running kernel and its host share while the
// kernel runs: a stop flag the host sets and an executor's run() reads, and
// N counters the GPU publishes for the host to watch. It is plain data, so
// it can live in pinned host memory mapped into the GPU: the GPU's stores
// reach the host without a copy, and the host's store to the stop flag
// reaches the GPU's next read. host_mapped<T> (CUDA compiles only) owns such
// memory.
//
//   coroptx::host_mapped<coroptx::control_block<3>> control;   // host
//   if (control.error() != cudaSuccess) ...
//   kernel<<<1, 1>>>(control.device());
//   ... control->read(0) ...                 // while the kernel runs
//   control->request_stop();
//
//   __global__ void kernel(coroptx::control_block<3> *control) {
//     ... control->add(0, 1) ...             // one GPU thread per counter
//     ex.run(control->stop_flag());
//   }
#ifndef COROPTX_HOST_CONTROL_H
#define COROPTX_HOST_CONTROL_H

#include <coroptx/config.h>

#include <atomic>
#include <cstddef>
#if defined(__CUDACC__)
#include <cuda_runtime.h>
#include <new>
#endif

namespace coroptx {

/// A stop flag and Counters counters shared by a kernel and its host. Each
/// counter has one writer, a single GPU thread: a counter step is a store
/// followed by a system-wide fence, not an atomic (atomics on host memory
/// are not atomic across PCIe).
template <std::size_t Counters> struct control_block {
  static constexpr std::size_t counter_count = Counters;

  volatile int stop;
  volatile unsigned long long counters[Counters];

  /// What an executor's run() polls.
  COROPTX_HOST_DEVICE const volatile int *stop_flag() const noexcept {
    return &stop;
  }
  COROPTX_HOST_DEVICE bool stop_requested() const noexcept { return stop != 0; }
  COROPTX_HOST_DEVICE void request_stop() noexcept {
    stop = 1;
    publish_writes();
  }

  COROPTX_HOST_DEVICE unsigned long long read(std::size_t i) const noexcept {
    return counters[i];
  }
  /// Sets counter \p i and makes it, and every write before it, visible to
  /// the host.
  COROPTX_HOST_DEVICE void publish(std::size_t i,
                                   unsigned long long value) noexcept {
    counters[i] = value;
    publish_writes();
  }
  COROPTX_HOST_DEVICE void add(std::size_t i, unsigned long long n) noexcept {
    publish(i, counters[i] + n);
  }

private:
  COROPTX_HOST_DEVICE static void publish_writes() noexcept {
#if defined(__CUDA_ARCH__)
    __threadfence_system();
#else
    std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
  }
};

#if defined(__CUDACC__)
/// A value-initialized T in pinned host memory mapped into the GPU's address
/// space: host() for the host, device() for kernels. Host code only.
template <class T> class host_mapped {
public:
  host_mapped() {
    void *memory = nullptr;
    error_ = cudaHostAlloc(&memory, sizeof(T), cudaHostAllocMapped);
    if (error_ != cudaSuccess)
      return;
    host_ = ::new (memory) T{};
    error_ = cudaHostGetDevicePointer(reinterpret_cast<void **>(&device_),
                                      memory, 0);
  }
  host_mapped(const host_mapped &) = delete;
  host_mapped &operator=(const host_mapped &) = delete;
  ~host_mapped() {
    if (host_) {
      host_->~T();
      cudaFreeHost(host_);
    }
  }

  /// cudaSuccess, or why the memory could not be allocated or mapped.
  cudaError_t error() const noexcept { return error_; }
  T *host() const noexcept { return host_; }
  T *device() const noexcept { return device_; }
  T *operator->() const noexcept { return host_; }
  T &operator*() const noexcept { return *host_; }

private:
  T *host_ = nullptr;
  T *device_ = nullptr;
  cudaError_t error_ = cudaSuccess;
};
#endif

} // namespace coroptx

#endif // COROPTX_HOST_CONTROL_H
