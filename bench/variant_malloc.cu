// Variant (b): clang 22 alone. Frames come from device malloc; resumes are
// indirect calls. Compiled without the coroptx plugin.
#define BENCH_MALLOC
#define BENCH_VARIANT clang_malloc
#include "workloads.h"
