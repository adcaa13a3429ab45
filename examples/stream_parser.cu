// stream_parser: thousands of independent protocol parsers on one GPU, one
// per connection, each fed its bytes chunk by chunk as a simulated network
// delivers them. A parser is straight-line code that awaits its next byte;
// the executor runs it whenever its connection has data, and a per-thread
// warp_executor keeps the 32 threads of a warp resuming their parsers
// together. The host runs the very same coroutines on the CPU and checks
// that every connection's summary agrees.
//
// The wire format: frames of
//   0xA5 | op | length | payload (length bytes) | checksum
// where op is 'S' (set), 'A' (add) or 'X' (xor) the accumulator with the
// 4-byte little-endian payload, or 'N' (no operation, any payload), and the
// checksum is the sum of op, length and payload bytes, xor 0x5A. Streams
// carry noise between frames and corrupted frames; the parser skips the
// noise, drops frames whose checksum or length is wrong, and resyncs on the
// next 0xA5.
//
// How the bytes arrive (chunk sizes and delays) changes when each parser
// runs, never what it computes, so the GPU and the CPU must agree exactly.
// On the CPU, time is simulated: the executor's clock moves only when the
// executor waits.
//
//   clang++-22 -x cuda --cuda-gpu-arch=sm_90 -std=c++20 -O2 \
//       -fplugin=<build>/lib/CoroPTX.so stream_parser.cu -lcudart
//   stream_parser [threads]      (4 connections per thread; default 8192)
#include <coroptx/executor.h>

#include "cuda_check.h"

#include <cuda_runtime.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

constexpr int connections_per_thread = 4;
constexpr unsigned char frame_start = 0xA5;
constexpr int max_payload = 16;

/// What a parser reports for its connection.
struct summary {
  unsigned frames;      // applied
  unsigned bad_frames;  // dropped: checksum, length or payload size
  unsigned noise_bytes; // skipped while looking for a frame start
  std::int32_t accumulator;
  bool operator==(const summary &) const = default;
};

/// One connection's receive side: the bytes that have arrived so far.
struct connection {
  const unsigned char *bytes;
  unsigned length;  // what the peer will send in all
  unsigned arrived; // what has arrived so far
  unsigned read;    // what the parser has consumed
  bool closed;      // the peer is done: nothing more will arrive
};

/// A small deterministic generator (splitmix64), the same on both sides.
struct random_bits {
  std::uint64_t state;
  __host__ __device__ std::uint32_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<std::uint32_t>((z ^ (z >> 31)) >> 16);
  }
  __host__ __device__ unsigned below(unsigned n) { return next() % n; }
};

constexpr int end_of_stream = -1;

/// The next byte of \p c, or end_of_stream once the peer closed and every
/// byte is read. Waits (letting other jobs run) while nothing has arrived.
template <class Executor>
__host__ __device__ coroptx::task<int> next_byte(Executor &ex, connection &c) {
  if (c.read == c.arrived)
    co_await ex.wait_until([&c] { return c.read < c.arrived || c.closed; });
  if (c.read == c.arrived)
    co_return end_of_stream;
  co_return c.bytes[c.read++];
}

/// Reads one frame after its start byte and applies it to \p s. Returns
/// false at the end of the stream.
template <class Executor>
__host__ __device__ coroptx::task<bool> read_frame(Executor &ex, connection &c,
                                                   summary &s) {
  const int op = co_await next_byte(ex, c);
  const int length =
      op == end_of_stream ? end_of_stream : co_await next_byte(ex, c);
  if (length == end_of_stream)
    co_return false;
  if (length > max_payload) { // cannot be a frame: resync from here
    ++s.bad_frames;
    co_return true;
  }
  unsigned char payload[max_payload];
  unsigned sum = op + length;
  for (int k = 0; k < length; ++k) {
    const int b = co_await next_byte(ex, c);
    if (b == end_of_stream)
      co_return false;
    payload[k] = static_cast<unsigned char>(b);
    sum += b;
  }
  const int checksum = co_await next_byte(ex, c);
  if (checksum == end_of_stream)
    co_return false;
  const bool has_value = length == 4;
  const std::int32_t value =
      has_value ? static_cast<std::int32_t>(
                      payload[0] | payload[1] << 8 | payload[2] << 16 |
                      static_cast<std::uint32_t>(payload[3]) << 24)
                : 0;
  if (static_cast<unsigned char>(sum ^ 0x5A) != checksum ||
      (op != 'N' && !has_value)) {
    ++s.bad_frames;
    co_return true;
  }
  switch (op) {
  case 'S':
    s.accumulator = value;
    break;
  case 'A': // wrapping, as the peer computes it
    s.accumulator = static_cast<std::int32_t>(
        static_cast<std::uint32_t>(s.accumulator) + value);
    break;
  case 'X':
    s.accumulator ^= value;
    break;
  case 'N':
    break;
  default:
    ++s.bad_frames;
    co_return true;
  }
  ++s.frames;
  co_return true;
}

/// One connection's parser: a loop over frames, as it would be written for
/// a blocking socket.
template <class Executor>
__host__ __device__ coroptx::job<summary> parse(Executor &ex, connection *c) {
  summary s{};
  for (;;) {
    const int b = co_await next_byte(ex, *c);
    if (b == end_of_stream)
      break;
    if (b != frame_start) {
      ++s.noise_bytes;
      continue;
    }
    if (!co_await read_frame(ex, *c, s))
      break;
  }
  co_return s;
}

/// The simulated network: the peer's bytes arrive in chunks of 1 to 48
/// bytes, 100 ns to 3 us apart; then the peer closes.
template <class Executor>
__host__ __device__ coroptx::job<> deliver(Executor &ex, connection *c,
                                           std::uint64_t seed) {
  random_bits random{seed};
  while (c->arrived < c->length) {
    co_await ex.sleep_for(100 + random.below(2900));
    const unsigned chunk = 1 + random.below(48);
    c->arrived =
        c->length - c->arrived < chunk ? c->length : c->arrived + chunk;
  }
  c->closed = true;
}

/// Where every connection's bytes are: connection i is
/// bytes[offsets[i], offsets[i + 1]).
struct stream_set {
  const unsigned char *bytes;
  const unsigned *offsets;
};

/// One thread serves its connections_per_thread connections, GPU and CPU.
template <class Executor>
__host__ __device__ void serve(int thread, stream_set streams, summary *out) {
  Executor ex;
  connection connections[connections_per_thread];
  coroptx::join_handle<summary, Executor> parsed[connections_per_thread];
  for (int k = 0; k < connections_per_thread; ++k) {
    const int id = thread * connections_per_thread + k;
    connection &c = connections[k];
    c = {streams.bytes + streams.offsets[id],
         streams.offsets[id + 1] - streams.offsets[id], 0, 0, false};
    parsed[k] = ex.spawn(parse(ex, &c));
    ex.spawn(deliver(ex, &c, 0xC0FFEEull * (id + 1)));
  }
  ex.run();
  for (int k = 0; k < connections_per_thread; ++k)
    out[thread * connections_per_thread + k] =
        parsed[k].ready() ? parsed[k].get() : summary{~0u, ~0u, ~0u, -1};
}

/// Time on the CPU: it moves only when the executor waits, so the CPU run
/// takes no real sleeps.
struct simulated_clock {
  static inline thread_local std::uint64_t now = 0;
  static std::uint64_t now_ns() { return now; }
  static void sleep_ns(std::uint32_t ns) { now += ns; }
};

// Each thread: a parser and a delivery job per connection. On the GPU the
// parser's frame holds the frames of the tasks it awaits, which takes it
// past 768 bytes (256 are enough on the CPU); the executor header warns at
// compile time when a job cannot fit its slots.
using gpu_executor = coroptx::warp_executor<2 * connections_per_thread, 1024>;
using cpu_executor =
    coroptx::warp_executor<2 * connections_per_thread, 1024, simulated_clock>;

__global__ void parse_streams(stream_set streams, summary *out, int threads) {
  const int thread = blockIdx.x * blockDim.x + threadIdx.x;
  if (thread < threads)
    serve<gpu_executor>(thread, streams, out);
}

/// The peer's side: a stream of frames, noise and corrupted frames.
static void append_stream(std::vector<unsigned char> &bytes,
                          std::uint64_t seed) {
  random_bits random{seed};
  const int frames = 8 + random.below(40);
  for (int f = 0; f < frames; ++f) {
    for (unsigned noise = random.below(4) == 0 ? random.below(6) : 0; noise;
         --noise)
      bytes.push_back(static_cast<unsigned char>(random.next()));
    const char ops[] = {'S', 'A', 'A', 'X', 'N'};
    const unsigned char op = ops[random.below(5)];
    const unsigned char length = op == 'N' ? random.below(max_payload + 1) : 4;
    const std::uint32_t value = random.next() | random.next() << 16;
    const std::size_t start = bytes.size();
    bytes.insert(bytes.end(), {frame_start, op, length});
    unsigned sum = op + length;
    for (int k = 0; k < length; ++k) {
      const unsigned char b = static_cast<unsigned char>(
          length == 4 ? value >> (8 * k) : random.next());
      bytes.push_back(b);
      sum += b;
    }
    bytes.push_back(static_cast<unsigned char>(sum ^ 0x5A));
    if (random.below(10) == 0) // corrupt one byte of the frame
      bytes[start + 1 + random.below(bytes.size() - start - 1)] ^=
          static_cast<unsigned char>(1 + random.below(255));
  }
}

int main(int argc, char **argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 8192;
  const int connections = threads * connections_per_thread;
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("stream_parser: no CUDA device found; skipped the GPU run\n");
    return 77;
  }

  // A parser destroyed early (not here, but the code is there) destroys the
  // tasks it awaits through the shared destroy dispatcher, which makes the
  // call graph recursive: ptxas cannot size the stack, and coroptx warns
  // that the kernel's 8.5 KiB of executor storage exceeds the 1 KiB default.
  CHECK_CUDA(cudaDeviceSetLimit(cudaLimitStackSize, 16 * 1024));

  std::vector<unsigned char> bytes;
  std::vector<unsigned> offsets{0};
  for (int id = 0; id < connections; ++id) {
    append_stream(bytes, 0x5EED0000ull + id);
    offsets.push_back(static_cast<unsigned>(bytes.size()));
  }

  unsigned char *device_bytes = nullptr;
  unsigned *device_offsets = nullptr;
  summary *device_out = nullptr;
  CHECK_CUDA(cudaMalloc(&device_bytes, bytes.size()));
  CHECK_CUDA(cudaMalloc(&device_offsets, offsets.size() * sizeof(unsigned)));
  CHECK_CUDA(cudaMalloc(&device_out, connections * sizeof(summary)));
  CHECK_CUDA(cudaMemcpy(device_bytes, bytes.data(), bytes.size(),
                        cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(device_offsets, offsets.data(),
                        offsets.size() * sizeof(unsigned),
                        cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemset(device_out, 0xff, connections * sizeof(summary)));

  cudaEvent_t start, stop;
  CHECK_CUDA(cudaEventCreate(&start));
  CHECK_CUDA(cudaEventCreate(&stop));
  const int block = 128;
  CHECK_CUDA(cudaEventRecord(start));
  parse_streams<<<(threads + block - 1) / block, block>>>(
      {device_bytes, device_offsets}, device_out, threads);
  CHECK_CUDA(cudaEventRecord(stop));
  CHECK_CUDA(cudaGetLastError());
  CHECK_CUDA(cudaDeviceSynchronize());
  float gpu_ms = 0;
  CHECK_CUDA(cudaEventElapsedTime(&gpu_ms, start, stop));
  std::vector<summary> gpu(connections);
  CHECK_CUDA(cudaMemcpy(gpu.data(), device_out, connections * sizeof(summary),
                        cudaMemcpyDeviceToHost));
  CHECK_CUDA(cudaFree(device_bytes));
  CHECK_CUDA(cudaFree(device_offsets));
  CHECK_CUDA(cudaFree(device_out));

  std::vector<summary> cpu(connections);
  const auto cpu_start = std::chrono::steady_clock::now();
  for (int thread = 0; thread < threads; ++thread)
    serve<cpu_executor>(thread, {bytes.data(), offsets.data()}, cpu.data());
  const double cpu_ms = std::chrono::duration<double, std::milli>(
                            std::chrono::steady_clock::now() - cpu_start)
                            .count();

  int mismatches = 0, first_bad = -1;
  unsigned long long frames = 0, bad_frames = 0, noise = 0;
  for (int id = 0; id < connections; ++id) {
    if (!(gpu[id] == cpu[id]) && mismatches++ == 0)
      first_bad = id;
    frames += cpu[id].frames;
    bad_frames += cpu[id].bad_frames;
    noise += cpu[id].noise_bytes;
  }
  std::printf("stream_parser: %d connections on %d GPU threads, %zu bytes in "
              "chunks of 1-48 bytes\n",
              connections, threads, bytes.size());
  std::printf("stream_parser: %llu frames applied, %llu dropped, %llu noise "
              "bytes skipped\n",
              frames, bad_frames, noise);
  std::printf("stream_parser: GPU kernel %.2f ms, CPU (simulated time) %.2f "
              "ms\n",
              gpu_ms, cpu_ms);
  for (int id : {0, connections / 2 + 1, connections - 1})
    std::printf("  connection %6d: GPU %u frames, %u dropped, acc %d; CPU %u "
                "frames, %u dropped, acc %d\n",
                id, gpu[id].frames, gpu[id].bad_frames, gpu[id].accumulator,
                cpu[id].frames, cpu[id].bad_frames, cpu[id].accumulator);
  if (mismatches != 0)
    std::printf("stream_parser: connection %d differs first\n", first_bad);
  std::printf("stream_parser: %s (%d of %d connections match the CPU)\n",
              mismatches == 0 ? "PASS" : "FAIL", connections - mismatches,
              connections);
  return mismatches == 0 ? 0 : 1;
}
