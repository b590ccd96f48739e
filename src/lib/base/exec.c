/* Execution policy: threads, floating-point precision, progress. */

#include "error.h"

void
ntk_exec_init(ntk_exec_t e)
{
    if (e == NULL)
        return;
    e->threads = 1;
    e->precision = 0;
    e->progress = NULL;
    e->progress_data = NULL;
}

void
ntk_exec_clear(ntk_exec_t e)
{
    (void) e;
}

ntk_status_t
ntk_exec_validate(const ntk_exec_t e, ntk_error_t * err)
{
    if (e == NULL)
        return _ntk_error_set(err, NTK_ERR_RANGE, "exec", "exec: NULL execution policy");
    if (e->precision != 0 && (e->precision < 2 || e->precision > NTK_PRECISION_MAX))
        return _ntk_error_set(err, NTK_ERR_RANGE, "precision", "precision: must be 2..%ld bits",
                              (long) NTK_PRECISION_MAX);
    if (e->threads < 1 || e->threads > NTK_THREADS_MAX)
        return _ntk_error_set(err, NTK_ERR_RANGE, "threads", "threads: must be 1..%d",
                              NTK_THREADS_MAX);
    return NTK_OK;
}
