/* The parallel-work helper: a shared counter of items and checked threads.
   FLINT's flint_parallel_do would serve, but its thread pool does not check
   pthread_create (a refused thread hangs the caller), so the library has this
   one small helper and uses it for every parallel loop. */

#include <pthread.h>
#include "error.h"
#include "parallel.h"

typedef struct
{
    _ntk_work_fn fn;
    void * args;
    slong n, next;
    int stop;
    pthread_mutex_t lock;
}
pool_t;

typedef struct
{
    pool_t * pool;
    int worker;
}
worker_t;

int
_ntk_parallel_workers(slong n, int threads)
{
    slong w = FLINT_MIN((slong) threads, n);
    return (int) FLINT_MAX(1, FLINT_MIN(w, NTK_THREADS_MAX));
}

/* Takes items until none is left or the loop is stopped. */
static void
pool_work(pool_t * pool, int worker)
{
    for (;;)
    {
        slong item;
        pthread_mutex_lock(&pool->lock);
        item = (pool->stop || pool->next >= pool->n) ? -1 : pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (item < 0)
            return;
        if (pool->fn(pool->args, item, worker))
        {
            pthread_mutex_lock(&pool->lock);
            pool->stop = 1;
            pthread_mutex_unlock(&pool->lock);
        }
    }
}

static void *
worker_main(void * arg)
{
    worker_t * w = arg;
    pool_work(w->pool, w->worker);
    flint_cleanup();    /* FLINT keeps a cache of mpz's per thread */
    return NULL;
}

ntk_status_t
_ntk_parallel_do(_ntk_work_fn fn, void * args, slong n, int threads, ntk_error_t * err)
{
    pthread_t thread[NTK_THREADS_MAX];
    worker_t worker[NTK_THREADS_MAX];
    pool_t pool;
    int workers = _ntk_parallel_workers(n, threads), started = 1, failed = 0, t;
    pool.fn = fn;
    pool.args = args;
    pool.n = n;
    pool.next = 0;
    pool.stop = 0;
    pthread_mutex_init(&pool.lock, NULL);
    for (t = 1; t < workers; t++)
    {
        worker[t].pool = &pool;
        worker[t].worker = t;
        if (pthread_create(thread + t, NULL, worker_main, worker + t) != 0)
        {
            pthread_mutex_lock(&pool.lock);
            pool.stop = 1;
            pthread_mutex_unlock(&pool.lock);
            failed = t;
            break;
        }
        started++;
    }
    if (!failed)
        pool_work(&pool, 0);
    for (t = 1; t < started; t++)
        pthread_join(thread[t], NULL);
    pthread_mutex_destroy(&pool.lock);
    if (failed)
        return _ntk_error_set(err, NTK_ERR_RESOURCE, "threads",
            "threads: the system refused to start worker thread %d of %d (too little memory? use fewer threads)",
            failed + 1, workers);
    return NTK_OK;
}
