/* Internal: the one parallel-work helper of the library. */

#ifndef NTK_PARALLEL_H
#define NTK_PARALLEL_H

#include "ntkexact.h"

/* The work of one item of a parallel loop, done by worker `worker`
   (0 .. workers-1, worker 0 being the calling thread); a non-zero return
   stops the loop (the items already started are finished). */
typedef int (* _ntk_work_fn)(void * args, slong item, int worker);

/* The number of workers that _ntk_parallel_do uses for n items on `threads`
   threads: min(threads, n, NTK_THREADS_MAX), at least 1.  Callers size their
   per-worker scratch space with it. */
int _ntk_parallel_workers(slong n, int threads);

/* Runs fn on the items 0 .. n-1, handed out in increasing order to the
   workers as they become free.  Every thread creation is checked: when one
   fails, no new item is started, the started ones are finished and joined,
   and the result is NTK_ERR_RESOURCE.  Spawned threads release FLINT's
   per-thread caches before they end. */
ntk_status_t _ntk_parallel_do(_ntk_work_fn fn, void * args, slong n, int threads,
                              ntk_error_t * err);

#endif
