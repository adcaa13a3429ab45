// The demo's PTX, for sm_75, sm_80 and sm_90 at every -O level: no heap call,
// no indirect call, and ptxas 13.0 assembles it.
// RUN: %clang-device --cuda-gpu-arch=sm_75 -O2 -S %coroptx-src/examples/demo_async.cu -o %t.75.O2.ptx
// RUN: FileCheck %s --input-file=%t.75.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_75 %t.75.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_75 -O3 -S %coroptx-src/examples/demo_async.cu -o %t.75.O3.ptx
// RUN: FileCheck %s --input-file=%t.75.O3.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_75 %t.75.O3.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_80 -O2 -S %coroptx-src/examples/demo_async.cu -o %t.80.O2.ptx
// RUN: FileCheck %s --input-file=%t.80.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_80 %t.80.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_80 -O3 -S %coroptx-src/examples/demo_async.cu -o %t.80.O3.ptx
// RUN: FileCheck %s --input-file=%t.80.O3.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_80 %t.80.O3.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O0 -S %coroptx-src/examples/demo_async.cu -o %t.90.O0.ptx
// RUN: FileCheck %s --input-file=%t.90.O0.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.90.O0.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O1 -S %coroptx-src/examples/demo_async.cu -o %t.90.O1.ptx
// RUN: FileCheck %s --input-file=%t.90.O1.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.90.O1.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O2 -S %coroptx-src/examples/demo_async.cu -o %t.90.O2.ptx
// RUN: FileCheck %s --input-file=%t.90.O2.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.90.O2.ptx -o /dev/null %}
// RUN: %clang-device --cuda-gpu-arch=sm_90 -O3 -S %coroptx-src/examples/demo_async.cu -o %t.90.O3.ptx
// RUN: FileCheck %s --input-file=%t.90.O3.ptx
// RUN: %if ptxas %{ %ptxas -arch=sm_90 %t.90.O3.ptx -o /dev/null %}

// CHECK-NOT: malloc
// CHECK-NOT: _Znwm
// CHECK-NOT: _ZdlPv
// CHECK-NOT: free
// CHECK-NOT: prototype
// CHECK: .entry _Z10demo_asyncP10DemoResultii
// CHECK-NOT: malloc
// CHECK-NOT: _Znwm
// CHECK-NOT: _ZdlPv
// CHECK-NOT: {{call(\.uni)? +%}}
// CHECK-NOT: prototype
// CHECK-NOT: free
