// Variant (d): the same coroutines, compiled with -fplugin=CoroPTX.so.
#define BENCH_VARIANT coroptx
#include "workloads.h"
