// executors_on_gpu with every warp vote taken by ballots, the path of
// sm_70/75 (which have no redux.sync), so that a newer GPU runs it too.
#define COROPTX_WARP_VOTE_BY_BALLOTS
#include "executors_on_gpu.cu"
