/* Internal: progress shared by the workers of one computation. */

#ifndef NTK_PROGRESS_H
#define NTK_PROGRESS_H

#include <pthread.h>
#include "ntkexact.h"

typedef struct
{
    pthread_mutex_t lock;
    slong done, total;
    ntk_progress_fn fn;
    void * data;
    int stop;
}
_ntk_progress_t;

/* Starts counting `total` units for the callback of exec (which may be NULL). */
void _ntk_progress_init(_ntk_progress_t * progress, const ntk_exec_struct * exec, slong total);

void _ntk_progress_clear(_ntk_progress_t * progress);

/* Records `units` more work done and calls the callback; returns non-zero
   when the computation should stop.  progress may be NULL. */
int _ntk_progress_add(_ntk_progress_t * progress, slong units);

/* Non-zero once the callback has asked to stop. */
int _ntk_progress_stopped(_ntk_progress_t * progress);

#endif
