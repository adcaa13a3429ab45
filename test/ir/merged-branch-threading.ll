; Purpose: coroptx-merged-branch-threading sends each predecessor of a block
; that only merges values and branches on one of them (the end of an inlined
; resume part: the frame's fields and a flag "the resume is over") straight
; to the successor its constant flag picks. Each successor then sees the
; values of the paths that reach it alone: the path that goes on keeps its
; own field, and a use past the block gets a phi of the two ways in. A
; branch into a loop's header from outside the loop, or a flag that is not
; a constant, stays (from inside the loop it is one more back edge). A
; loop's header can itself be the merge block (a transfer loop whose second
; trip always leaves): its back edge is sent out of the loop, and the loop
; is gone; an entry into the loop's body stays while the loop does.
; RUN: %opt-coroptx -S %s -passes='function(coroptx-merged-branch-threading)' \
; RUN:   | FileCheck %s

target triple = "nvptx64-nvidia-cuda"

; CHECK-LABEL: define ptx_kernel void @part_end(
; CHECK:       entry:
; CHECK-NEXT:    br i1 %a, label %over, label %await
; CHECK:       await:
; CHECK-NEXT:    br i1 %b, label %over, label %goes.on
; CHECK:       goes.on:
; CHECK-NEXT:    br label %next.trip
; CHECK:       next.trip:
; CHECK-NEXT:    %[[FIELD:.*]] = phi i32 [ %seed, %goes.on ], [ %field, %end ]
; CHECK-NEXT:    %x = mul i32 %[[FIELD]], 3
; CHECK:       over:
; CHECK-NEXT:    %end.field = phi i32 [ %field, %end ], [ 7, %await ], [ 5, %entry ]
define ptx_kernel void @part_end(ptr %out, i1 %a, i1 %b, i32 %seed) {
entry:
  br i1 %a, label %end, label %await
await:
  br i1 %b, label %end, label %goes.on
goes.on:
  br label %end
end:
  %field = phi i32 [ 5, %entry ], [ 7, %await ], [ %seed, %goes.on ]
  %is.over = phi i1 [ true, %entry ], [ true, %await ], [ false, %goes.on ]
  br i1 %is.over, label %over, label %next.trip
next.trip:
  %x = mul i32 %field, 3
  store i32 %x, ptr %out
  ret void
over:
  %end.field = phi i32 [ %field, %end ]
  store i32 %end.field, ptr %out
  ret void
}

; A use past both successors: SSAUpdater merges the two ways in.
; CHECK-LABEL: define ptx_kernel void @use_past_both(
; CHECK:       entry:
; CHECK-NEXT:    br i1 %a, label %stay, label %other
; CHECK:       stay:
; CHECK-NEXT:    %[[THREADED:.*]] = phi i32 [ %seed, %entry ], [ %field, %end ]
; CHECK:       join:
; CHECK-NEXT:    %[[MERGED:.*]] = phi i32 [ %field, %leave ], [ %[[THREADED]], %stay ]
; CHECK-NEXT:    store i32 %[[MERGED]], ptr %out
define ptx_kernel void @use_past_both(ptr %out, i1 %a, i1 %c, i32 %seed) {
entry:
  br i1 %a, label %end, label %other
other:
  br label %end
end:
  %field = phi i32 [ %seed, %entry ], [ 1, %other ]
  %flag = phi i1 [ false, %entry ], [ %c, %other ]
  br i1 %flag, label %leave, label %stay
stay:
  br label %join
leave:
  br label %join
join:
  store i32 %field, ptr %out
  ret void
}

; A flag that leads back to a loop's header from inside the loop: the edge
; goes straight to the header, one more back edge (the five nested levels'
; kernel, where the merge sat between a flattened transfer loop and the
; loop around it); the one that leaves goes straight to the exit.
; CHECK-LABEL: define ptx_kernel void @into_header(
; CHECK:       continue:
; CHECK-NEXT:    br label %loop
; CHECK:       stop:
; CHECK-NEXT:    br label %exit
; CHECK:       latch:
; CHECK-SAME:    No predecessors!
define ptx_kernel void @into_header(ptr %out, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %latch ]
  %inc = add i32 %i, 1
  %small = icmp ult i32 %inc, %n
  br i1 %small, label %continue, label %stop
continue:
  br label %latch
stop:
  br label %latch
latch:
  %i.next = phi i32 [ %inc, %continue ], [ %i, %stop ]
  %again = phi i1 [ true, %continue ], [ false, %stop ]
  br i1 %again, label %loop, label %exit
exit:
  store i32 %i.next, ptr %out
  ret void
}

; A flag that leads into a loop's header from outside the loop: threading
; there would give the loop a second entry, so that edge still goes through
; the merge; the one that leaves is threaded.
; CHECK-LABEL: define ptx_kernel void @into_header_from_outside(
; CHECK:       enter:
; CHECK-NEXT:    br label %preheader
; CHECK:       skip:
; CHECK-NEXT:    br label %exit
; CHECK:       preheader:
; CHECK-NEXT:    %go = phi i1 [ true, %enter ]
; CHECK-NEXT:    br i1 %go, label %loop, label %exit
define ptx_kernel void @into_header_from_outside(ptr %out, i1 %c, i32 %n) {
entry:
  br i1 %c, label %enter, label %skip
enter:
  br label %preheader
skip:
  br label %preheader
preheader:
  %go = phi i1 [ true, %enter ], [ false, %skip ]
  br i1 %go, label %loop, label %exit
loop:
  %i = phi i32 [ 0, %preheader ], [ %inc, %loop ]
  %inc = add i32 %i, 1
  %more = icmp ult i32 %inc, %n
  br i1 %more, label %loop, label %exit
exit:
  %last = phi i32 [ 0, %preheader ], [ %inc, %loop ]
  store i32 %last, ptr %out
  ret void
}

; The merge block is a loop's header, and the trip around the loop always
; leaves: the back edge goes straight to the exit, with the header's values
; of that trip, including one the loop only carries round (%kept). The loop
; is gone, and in the next round the entry goes straight to %step as well.
; CHECK-LABEL: define ptx_kernel void @header_merge_leaves(
; CHECK:       entry:
; CHECK-NEXT:    br label %step
; CHECK:       step:
; CHECK:         %next = mul i32
; CHECK-NEXT:    br label %exit
; CHECK:       exit:
; CHECK-DAG:     phi i32 [ %next, %step ], [ %field, %dispatch ]
; CHECK-DAG:     phi i32 [ %[[KEPT:.*]], %step ], [ %kept, %dispatch ]
define ptx_kernel void @header_merge_leaves(ptr %out, i32 %seed, i32 %arg) {
entry:
  br label %dispatch
dispatch:
  %field = phi i32 [ %seed, %entry ], [ %next, %step ]
  %kept = phi i32 [ %arg, %entry ], [ %kept, %step ]
  %over = phi i1 [ false, %entry ], [ true, %step ]
  br i1 %over, label %exit, label %step
step:
  %next = mul i32 %field, %kept
  br label %dispatch
exit:
  %sum = add i32 %field, %kept
  store i32 %sum, ptr %out
  ret void
}

; While the flag of the back edge is not a constant, the loop stays, and so
; does its entry: sent past the header into %step, it would make %step a
; second header.
; CHECK-LABEL: define ptx_kernel void @header_merge_stays_loop(
; CHECK:       entry:
; CHECK-NEXT:    br label %dispatch
; CHECK:       step:
; CHECK:         br label %dispatch
define ptx_kernel void @header_merge_stays_loop(ptr %out, i32 %n) {
entry:
  br label %dispatch
dispatch:
  %i = phi i32 [ 0, %entry ], [ %inc, %step ]
  %over = phi i1 [ false, %entry ], [ %done, %step ]
  br i1 %over, label %exit, label %step
step:
  %inc = add i32 %i, 1
  %done = icmp eq i32 %inc, %n
  br label %dispatch
exit:
  store i32 %i, ptr %out
  ret void
}
