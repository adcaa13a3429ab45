; Purpose: -pass-remarks=coroptx reports each device coroutine's frame bytes, suspend points and placement, also in the usual case where its ramp was inlined into the kernel.

; RUN: %opt-coroptx -passes='default<O2>' -pass-remarks=coroptx -disable-output %S/e2e-lazy-coroutine.ll 2>&1 | FileCheck %s
; RUN: %opt-coroptx -passes='default<O2>' -pass-remarks=coroptx -disable-output %S/e2e-task-symmetric-transfer.ll 2>&1 | FileCheck %s --check-prefix=TASK

; CHECK: remark: {{.*}}device coroutine 'twice(int)': frame folded away into its callers (no resume function left), 2 suspend points (initial and final included), no heap

; TASK-DAG: remark: {{.*}}device coroutine 'dbl(int)': 40-byte frame placed in a local of 'k(int*, int, int)', the frame of 'add_dbl(int, int)', 2 suspend points (initial and final included), no heap
; TASK-DAG: remark: {{.*}}device coroutine 'add_dbl(int, int)': 96-byte frame placed in a local of 'k(int*, int, int)', 3 suspend points (initial and final included), no heap
