/* The extension's two-input sampler (py_sample_pair.c). */

#ifndef NTK_PY_SAMPLE_PAIR_H
#define NTK_PY_SAMPLE_PAIR_H

#include "bridge.h"

/* _sample_pair(widths, x2, y2, xy, conv, law, method, samples, seed, threads)
   -> (samples, names, means, stderrs, method that ran): the estimates of
   ntk_sample_pair_run, by the keys of ntk_sample_pair_name. */
PyObject * py_sample_pair(PyObject * self, PyObject * args);

#endif
