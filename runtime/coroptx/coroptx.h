// <coroptx/coroptx.h> -*- C++ -*-
//
// The whole coroptx runtime in one include.
#ifndef COROPTX_COROPTX_H
#define COROPTX_COROPTX_H

#include <coroptx/awaitable.h>
#include <coroptx/block_on.h>
#include <coroptx/combinators.h>
#include <coroptx/task.h>

#endif // COROPTX_COROPTX_H
