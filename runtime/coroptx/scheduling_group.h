// <coroptx/scheduling_group.h> -*- C++ -*-
//
// The threads that run one executor's scheduler together, and the one
// collective the scheduler needs from them: the union (bitwise OR) of their
// bits, once a round.
//   thread_group  one thread: its bits are the decision.
//   warp_group    the warp's threads that enter run() together
//                 (__activemask() at entry): redux.sync.or on sm_80+, a
//                 ballot per bit that may be set before.
//   block_group   every thread of the block: a warp union, an atomicOr in
//                 shared memory, one __syncthreads per decision.
// COROPTX_WARP_VOTE_BY_BALLOTS takes the ballots on sm_80+ too, so that a
// newer GPU can test the sm_70/75 path.
//
// Each thread still owns its own jobs; taking every decision together is
// what keeps the threads resuming the same slots at the same time, so their
// jobs stay converged as far as the jobs' own code lets them. Compiled for
// the host, every group is the one calling thread, so the scheduler runs
// deterministically under the unit tests.
#ifndef COROPTX_SCHEDULING_GROUP_H
#define COROPTX_SCHEDULING_GROUP_H

#include <coroptx/config.h>

#include <cstdint>

namespace coroptx {

namespace detail {

#if defined(__CUDACC__)
/// The bitwise OR of \p bits over the lanes in \p members (each of them
/// calls this with the same \p members); no lane sets a bit outside \p used.
__device__ inline std::uint32_t
warp_any(std::uint32_t members, std::uint32_t bits, std::uint32_t used) {
#if __CUDA_ARCH__ >= 800 && !defined(COROPTX_WARP_VOTE_BY_BALLOTS)
  (void)used;
  return __reduce_or_sync(members, bits);
#else
  // A ballot per bit that a lane may set.
  std::uint32_t any = 0;
  for (std::uint32_t left = used; left != 0; left &= left - 1) {
    const std::uint32_t bit = left & -left;
    if (__ballot_sync(members, (bits & bit) != 0))
      any |= bit;
  }
  return any;
#endif
}
#endif

} // namespace detail

/// One thread schedules alone.
class thread_group {
public:
  COROPTX_HOST_DEVICE std::uint32_t any(std::uint32_t bits,
                                        std::uint32_t /*used*/) noexcept {
    return bits;
  }
};

/// The threads of a warp that call run() together. Create it where they are
/// converged (at the top of run()); every one of them must take part in each
/// any() until they all leave together.
class warp_group {
public:
  COROPTX_HOST_DEVICE warp_group() noexcept
#if defined(__CUDA_ARCH__)
      : members_(__activemask())
#endif
  {
  }

  COROPTX_HOST_DEVICE std::uint32_t any(std::uint32_t bits,
                                        std::uint32_t used) noexcept {
#if defined(__CUDA_ARCH__)
    return detail::warp_any(members_, bits, used);
#else
    (void)used;
    return bits;
#endif
  }

private:
#if defined(__CUDA_ARCH__)
  std::uint32_t members_;
#endif
};

/// Every thread of the block: all of them construct it and take part in each
/// any() (each calls __syncthreads), so every thread of the block must call
/// run(), also one with no job of its own.
class block_group {
public:
  COROPTX_HOST_DEVICE block_group() noexcept {
#if defined(__CUDA_ARCH__)
    // A run() that just ended in this block may still be reading a cell.
    __syncthreads();
    if (is_first_thread())
      for (int i = 0; i < cell_count; ++i)
        cells()[i] = 0;
    __syncthreads();
#endif
  }

  COROPTX_HOST_DEVICE std::uint32_t any(std::uint32_t bits,
                                        std::uint32_t used) noexcept {
#if defined(__CUDA_ARCH__)
    // The lanes converged here vote as one; whichever lanes run together,
    // each lane is in exactly one such set, so every vote reaches the cell.
    const std::uint32_t together = __activemask();
    const std::uint32_t warp_bits = detail::warp_any(together, bits, used);
    if (lane_id() == static_cast<unsigned>(__ffs(together) - 1) && warp_bits)
      atomicOr(&cells()[round_], warp_bits);
    __syncthreads();
    const std::uint32_t decision = cells()[round_];
    // Three cells make one barrier per decision enough: the cell cleared
    // now was read before this barrier and is written again only after the
    // next one.
    if (is_first_thread())
      cells()[(round_ + 2) % cell_count] = 0;
    round_ = (round_ + 1) % cell_count;
    return decision;
#else
    (void)used;
    return bits;
#endif
  }

private:
#if defined(__CUDA_ARCH__)
  static constexpr int cell_count = 3;

  __device__ static std::uint32_t *cells() {
    __shared__ std::uint32_t votes[cell_count];
    return votes;
  }
  __device__ static unsigned lane_id() {
    unsigned lane;
    asm("mov.u32 %0, %%laneid;" : "=r"(lane));
    return lane;
  }
  __device__ static bool is_first_thread() {
    return threadIdx.x == 0 && threadIdx.y == 0 && threadIdx.z == 0;
  }

  int round_ = 0;
#endif
};

} // namespace coroptx

#endif // COROPTX_SCHEDULING_GROUP_H
