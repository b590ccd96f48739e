/* The two-input kernel in the extension module (py_kernel.c): _kernel and
   _kernel_gram, for ntkexact.kernel and ntkexact.kernel_gram. */

#ifndef NTK_PY_KERNEL_H
#define NTK_PY_KERNEL_H

#include "bridge.h"

/* _kernel(widths, x2, y2, xy, conv, what, digits) -> (header, infinite,
   sums, at_widths, per_layer): see py_kernel.c. */
PyObject * py_kernel(PyObject * self, PyObject * args);

/* _kernel_gram(widths, gram, m, conv, digits, threads) -> (theta, sigma). */
PyObject * py_kernel_gram(PyObject * self, PyObject * args);

#endif
