/* Progress of a computation, shared by its workers. */

#include "progress.h"

void
_ntk_progress_init(_ntk_progress_t * progress, const ntk_exec_struct * exec, slong total)
{
    pthread_mutex_init(&progress->lock, NULL);
    progress->done = 0;
    progress->total = total;
    progress->fn = exec->progress;
    progress->data = exec->progress_data;
    progress->stop = 0;
}

void
_ntk_progress_clear(_ntk_progress_t * progress)
{
    pthread_mutex_destroy(&progress->lock);
}

int
_ntk_progress_add(_ntk_progress_t * progress, slong units)
{
    int stop;
    if (progress == NULL)
        return 0;
    pthread_mutex_lock(&progress->lock);
    progress->done += units;
    if (!progress->stop && progress->fn != NULL
        && progress->fn(progress->data, progress->done, progress->total))
        progress->stop = 1;
    stop = progress->stop;
    pthread_mutex_unlock(&progress->lock);
    return stop;
}

int
_ntk_progress_stopped(_ntk_progress_t * progress)
{
    int stop;
    pthread_mutex_lock(&progress->lock);
    stop = progress->stop;
    pthread_mutex_unlock(&progress->lock);
    return stop;
}
