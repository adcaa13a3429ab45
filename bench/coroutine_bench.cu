// Coroutines on the GPU, four ways, side by side in one process:
//   (a) hand-written    the state machine a CUDA expert writes
//   (b) clang+malloc    clang 22 alone: frames from device malloc
//   (c) clang+arena     clang 22 alone: frames from a per-thread bump arena
//   (d) coroptx         the same coroutines with -fplugin=CoroPTX.so
// For each workload every variant must first compute what the hand-written
// one computes on the base grid; then the table gives time (median), ratio
// to hand-written,
// registers, local memory (stack frame) and spill bytes (from ptxas -v, when
// the build's logs are given) and occupancy. It is a benchmark: it prints
// figures and never judges them.
//
// A kernel that finishes in a few microseconds on the base grid would time
// its launch, not its work: such a variant runs on a grid up to
// kMaxGridScale times larger, until one launch takes kMinKernelMs, and its
// time is divided by that scale (time per base grid, the "grid" column).
//
// --blocks N sets the base grid (default 4 blocks of 256 per SM) and keeps
// every grid at that size: with few blocks, every thread's local memory
// fits in L2, which tells a kernel bound by its frames' memory traffic from
// one bound by its instructions. --workload TEXT runs only the workloads
// whose name contains TEXT.
//
//   bench_coroutines [--reps N] [--ptxas-logs DIR] [--markdown FILE]
//                    [--csv FILE] [--blocks N] [--workload TEXT]
#include "../examples/cuda_check.h"
#include "workload_ids.h"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {


struct variant {
  const char *name;
  const char *ptxas_log; // file name under --ptxas-logs
  const char *kernel_namespace;
  bench::kernel_table kernels;
  bool uses_arena;
  int max_grid_scale; // the arena variant's memory grows with the grid
};

/// A launch this long is far above the launch floor (about 6 us).
constexpr float kMinKernelMs = 1.0f;
constexpr int kMaxGridScale = 256;

/// ptxas -v figures of one kernel.
struct ptxas_usage {
  int stack_bytes = -1, spill_store_bytes = -1, spill_load_bytes = -1;
};

/// Reads "Compiling entry function '<name>'" ... "N bytes stack frame, N
/// bytes spill stores, N bytes spill loads" pairs from a ptxas -v log.
std::map<std::string, ptxas_usage> read_ptxas_log(const std::string &path) {
  std::map<std::string, ptxas_usage> usage;
  std::ifstream in(path);
  std::string line, current;
  while (std::getline(in, line)) {
    auto quote = line.find("Compiling entry function '");
    if (quote != std::string::npos) {
      auto begin = quote + std::strlen("Compiling entry function '");
      current = line.substr(begin, line.find('\'', begin) - begin);
      continue;
    }
    auto stack = line.find(" bytes stack frame");
    if (!current.empty() && stack != std::string::npos) {
      ptxas_usage u;
      std::sscanf(line.c_str() + line.rfind(':', stack) + 1,
                  "%d bytes stack frame, %d bytes spill stores, %d bytes "
                  "spill loads",
                  &u.stack_bytes, &u.spill_store_bytes, &u.spill_load_bytes);
      usage[current] = u;
      current.clear();
    }
  }
  return usage;
}

/// The kernel of \p workload in a log whose names are mangled: it lives in
/// namespace \p ns and carries the workload's function name.
ptxas_usage find_usage(const std::map<std::string, ptxas_usage> &log,
                       const char *ns, bench::workload_id workload) {
  static const char *const functions[bench::workload_count] = {
      "13block_on_loop", "11round_robinILi1E", "11round_robinILi4E",
      "11round_robinILi16E", "13generator_sum", "8nested_5",
      "16mostly_suspended"};
  for (const auto &[mangled, usage] : log)
    if (mangled.find(ns) != std::string::npos &&
        mangled.find(functions[workload]) != std::string::npos)
      return usage;
  return {};
}

struct measurement {
  float median_ms = 0; // per base grid
  int runs = 0;
  int grid_scale = 1;
  std::vector<unsigned> results; // on the base grid
  bool same = false;
  cudaFuncAttributes attributes{};
  int blocks_per_sm = 0;
  ptxas_usage usage;
};

using kernel_fn = void (*)(unsigned *, unsigned);

__global__ void empty_kernel(unsigned *, unsigned) {}

/// Times single kernel launches between two events.
class launch_timer {
public:
  launch_timer() {
    CHECK_CUDA(cudaEventCreate(&start_));
    CHECK_CUDA(cudaEventCreate(&stop_));
  }
  launch_timer(const launch_timer &) = delete;
  ~launch_timer() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }

  /// Milliseconds of one launch of \p kernel on \p blocks x \p threads.
  float time(kernel_fn kernel, int blocks, int threads, unsigned *out) {
    CHECK_CUDA(cudaEventRecord(start_));
    kernel<<<blocks, threads>>>(out, 12345u);
    CHECK_CUDA(cudaEventRecord(stop_));
    CHECK_CUDA(cudaGetLastError());
    CHECK_CUDA(cudaEventSynchronize(stop_));
    float ms = 0;
    CHECK_CUDA(cudaEventElapsedTime(&ms, start_, stop_));
    return ms;
  }

private:
  cudaEvent_t start_, stop_;
};

float median(std::vector<float> times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// Median time of an empty kernel on \p blocks x \p threads.
float launch_floor_ms(int blocks, int threads, int reps) {
  launch_timer timer;
  timer.time(empty_kernel, blocks, threads, nullptr); // warm-up
  std::vector<float> times;
  for (int r = 0; r < reps; ++r)
    times.push_back(timer.time(empty_kernel, blocks, threads, nullptr));
  return median(std::move(times));
}

/// The power of two, at most \p max_scale, by which a grid whose kernel
/// took \p base_ms must grow for one launch to take kMinKernelMs.
int grid_scale(float base_ms, int max_scale) {
  int scale = 1;
  while (scale < max_scale && base_ms * scale < kMinKernelMs)
    scale *= 2;
  return scale;
}

measurement measure(const variant &v, bench::workload_id workload,
                    unsigned *out, int blocks, int threads, int reps,
                    int max_grid_scale,
                    const std::vector<unsigned> *expected) {
  measurement m;
  auto kernel = reinterpret_cast<kernel_fn>(const_cast<void *>(
      v.kernels.kernels[workload]));
  CHECK_CUDA(cudaFuncGetAttributes(&m.attributes, kernel));
  CHECK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&m.blocks_per_sm,
                                                           kernel, threads, 0));
  launch_timer timer;
  auto launch = [&](int scale) {
    const unsigned n = blocks * scale * threads;
    if (v.uses_arena)
      bench::prepare_arena(n);
    CHECK_CUDA(cudaMemset(out, 0xff, n * sizeof(unsigned)));
    return timer.time(kernel, blocks * scale, threads, out);
  };
  // The first run, on the base grid, is the warm-up, gives the results to
  // compare and tells how far the grid must grow.
  const float base_ms = launch(1);
  m.results.resize(blocks * threads);
  CHECK_CUDA(cudaMemcpy(m.results.data(), out,
                        m.results.size() * sizeof(unsigned),
                        cudaMemcpyDeviceToHost));
  m.same = !expected || m.results == *expected;
  m.grid_scale =
      grid_scale(base_ms, std::min(v.max_grid_scale, max_grid_scale));
  std::vector<float> times;
  for (int r = 0; r < reps; ++r) {
    times.push_back(launch(m.grid_scale) / m.grid_scale);
    // The slow variants (seconds per run) are timed once.
    if (times.back() > 500)
      break;
  }
  m.runs = static_cast<int>(times.size());
  m.median_ms = median(std::move(times));
  return m;
}

} // namespace

int main(int argc, char **argv) {
  int reps = 11, fixed_blocks = 0;
  std::string ptxas_logs, markdown_path, csv_path, only_workload;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--reps")
      reps = std::atoi(argv[i + 1]);
    else if (flag == "--ptxas-logs")
      ptxas_logs = argv[i + 1];
    else if (flag == "--markdown")
      markdown_path = argv[i + 1];
    else if (flag == "--csv")
      csv_path = argv[i + 1];
    else if (flag == "--blocks")
      fixed_blocks = std::atoi(argv[i + 1]);
    else if (flag == "--workload")
      only_workload = argv[i + 1];
  }
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("bench_coroutines: no CUDA device found\n");
    return 77;
  }
  cudaDeviceProp props;
  CHECK_CUDA(cudaGetDeviceProperties(&props, 0));
  // clang alone allocates every frame with device malloc, and each symmetric
  // transfer is a real call: 64 awaits nest 128 calls deep, past the default
  // 1 KiB stack.
  CHECK_CUDA(cudaDeviceSetLimit(cudaLimitMallocHeapSize, size_t(2) << 30));
  CHECK_CUDA(cudaDeviceSetLimit(cudaLimitStackSize, 32 * 1024));

  const variant variants[] = {
      {"hand-written", nullptr, "12hand_written", bench::kernels_hand_written(), false, kMaxGridScale},
      {"clang+malloc", "clang_malloc.ptxas.txt", "12clang_malloc", bench::kernels_clang_malloc(), false, kMaxGridScale},
      {"clang+arena", "clang_arena.ptxas.txt", "11clang_arena", bench::kernels_clang_arena(), true, 16},
      {"coroptx", "coroptx.ptxas.txt", "7coroptx", bench::kernels_coroptx(), false, kMaxGridScale},
  };
  std::map<std::string, ptxas_usage> logs[4];
  if (!ptxas_logs.empty()) {
    logs[0] = read_ptxas_log(ptxas_logs + "/hand_written.ptxas.txt");
    for (int v = 1; v < 4; ++v)
      logs[v] = read_ptxas_log(ptxas_logs + "/" + variants[v].ptxas_log);
  }

  const int threads = 256;
  const int blocks = fixed_blocks > 0
                         ? fixed_blocks
                         : props.multiProcessorCount * 4; // 1024 threads per SM
  const int max_grid_scale = fixed_blocks > 0 ? 1 : kMaxGridScale;
  const unsigned n = blocks * threads;
  unsigned *out = nullptr;
  CHECK_CUDA(cudaMalloc(&out, std::size_t(n) * kMaxGridScale * sizeof(unsigned)));

  // The floor under every time below: an empty kernel on the same grid.
  // Kernels near it measure the launch more than the work.
  const float floor_ms = launch_floor_ms(blocks, threads, reps);

  std::ostringstream table, csv;
  table << "| workload | variant | time (ms) | grid | vs hand-written | "
           "registers | stack bytes | spill bytes (st/ld) | occupancy |\n"
           "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  csv << "workload,variant,ms,grid_scale,ratio,registers,stack_bytes,"
         "spill_store,spill_load,occupancy\n";
  bool all_same = true;
  for (int w = 0; w < bench::workload_count; ++w) {
    auto workload = static_cast<bench::workload_id>(w);
    if (!std::strstr(bench::workload_names[w], only_workload.c_str()))
      continue;
    measurement results[4];
    for (int v = 0; v < 4; ++v) {
      std::fprintf(stderr, "bench_coroutines: %s, %s\n",
                   bench::workload_names[w], variants[v].name);
      results[v] = measure(variants[v], workload, out, blocks, threads, reps,
                           max_grid_scale,
                           v == 0 ? nullptr : &results[0].results);
      results[v].usage = find_usage(logs[v], variants[v].kernel_namespace, workload);
    }
    for (int v = 0; v < 4; ++v) {
      const measurement &m = results[v];
      all_same &= m.same;
      const double ratio = m.median_ms / results[0].median_ms;
      const double occupancy =
          100.0 * m.blocks_per_sm * threads / props.maxThreadsPerMultiProcessor;
      char row[512];
      std::snprintf(row, sizeof row,
                    "| %s | %s | %.4f%s | x%d | %.2fx | %d | %zu | %s | %.0f%% |%s\n",
                    bench::workload_names[w], variants[v].name, m.median_ms,
                    m.runs == 1 ? " (1 run)" : "", m.grid_scale, ratio,
                    m.attributes.numRegs,
                    m.attributes.localSizeBytes,
                    m.usage.spill_store_bytes < 0
                        ? "n/a"
                        : (std::to_string(m.usage.spill_store_bytes) + "/" +
                           std::to_string(m.usage.spill_load_bytes))
                              .c_str(),
                    occupancy, m.same ? "" : " RESULTS DIFFER");
      table << row;
      csv << '"' << bench::workload_names[w] << "\"," << variants[v].name << ','
          << m.median_ms << ',' << m.grid_scale << ',' << ratio << ','
          << m.attributes.numRegs << ','
          << m.attributes.localSizeBytes << ',' << m.usage.spill_store_bytes
          << ',' << m.usage.spill_load_bytes << ',' << occupancy << '\n';
    }
    std::fflush(stdout);
  }
  table << "\nLaunch floor (an empty kernel on the base grid, median): "
        << floor_ms << " ms. Time is per base grid; \"grid\" is the factor "
           "by which the grid grew so that one launch takes at least "
        << kMinKernelMs << " ms.\n";
  std::printf("bench_coroutines on %s: base grid %u threads (%d blocks of "
              "%d), %d runs per variant (median after a warm-up run)\n\n%s\n"
              "bench_coroutines: "
              "results %s\n",
              props.name, n, blocks, threads, reps, table.str().c_str(),
              all_same ? "identical in every variant" : "DIFFER");
  if (!markdown_path.empty())
    std::ofstream(markdown_path) << table.str();
  if (!csv_path.empty())
    std::ofstream(csv_path) << csv.str();
  CHECK_CUDA(cudaFree(out));
  return all_same ? 0 : 1;
}
