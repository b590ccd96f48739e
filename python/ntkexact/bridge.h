/* The Python extension's bridge to libntkexact: Python objects to and from
   FLINT values, the library's errors as Python exceptions, and the progress
   callback that lets a signal (Ctrl-C) stop a long computation.  Every
   function that returns int returns 0 on success and -1 with a Python
   exception set. */

#ifndef NTK_PY_BRIDGE_H
#define NTK_PY_BRIDGE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include "ntkexact.h"

/* res <- the Python int obj (any size). */
int bridge_fmpz_from_py(fmpz_t res, PyObject * obj);

/* A new Python int equal to x; NULL with an exception on failure. */
PyObject * bridge_fmpz_to_py(const fmpz_t x);

/* res <- obj, which is a str in the library's grammar ("9/5", "2.27") or a
   tuple (numerator, denominator) of Python ints; param names the value in
   error messages (the Python keyword, e.g. "mu4"). */
int bridge_fmpq_from_py(fmpq_t res, PyObject * obj, const char * param);

/* A new tuple (numerator, denominator) of Python ints, in lowest terms with
   a positive denominator, as FLINT keeps every fmpq. */
PyObject * bridge_fmpq_to_py(const fmpq_t x);

/* Sets the Python exception for a failed library call and returns NULL:
   ValueError for bad input (the library's message, with `hint` appended when
   the computation is too large), KeyboardInterrupt or the exception a signal
   handler raised for an interrupted one, RuntimeError when the system refused
   a resource. */
PyObject * bridge_raise(const ntk_error_t * err, const char * hint);

/* bridge_raise for a fallible call inside a function returning int. */
int bridge_fail(const ntk_error_t * err, const char * hint);

/* The state of the signal check during one computation. */
typedef struct
{
    pthread_t caller;     /* the Python thread that called the library */
    double last;          /* when the signals were last checked */
    int stop;             /* a signal handler raised: stop every worker */
}
bridge_interrupt_t;

/* Makes exec call the signal check.  The library runs with the GIL
   released; the check takes it back at most every 20 ms, and only in the
   calling thread (the one where Python runs signal handlers). */
void bridge_interrupt_init(bridge_interrupt_t * it, ntk_exec_t exec);

/* The exec settings of a Python call: threads, precision (0: exact) and the
   signal check; validated by the library. */
int bridge_exec_set(ntk_exec_t exec, bridge_interrupt_t * it, int threads, slong precision);

/* conv <- the tuple (mu4, cw_hidden, cw_output, param, bias, activation
   [, mu6, mu8]), where the rationals are as for bridge_fmpq_from_py (mu6,
   mu8 may be None: the defaults), param, bias are ints and activation a
   str; validated by the library (the moments of the order are checked by
   the computation). */
int bridge_conv_set(ntk_conv_t conv, PyObject * tuple);

/* The input norm: obj as for bridge_fmpq_from_py, which must be >= 0. */
int bridge_x2_set(fmpq_t x2, PyObject * obj);

/* A two-input call's profile (the library's text) and the Gram entries of
   its inputs (objects as for bridge_fmpq_from_py); -1 with the exception
   set.  The entries are checked against each other by the library. */
int bridge_pair_set(ntk_profile_t prof, fmpq_t x2, fmpq_t y2, fmpq_t xy, const char * widths,
                    PyObject * x2_obj, PyObject * y2_obj, PyObject * xy_obj);

/* The functions of ntkexact.testing (check.c), for the module table:
   _check_variances(widths, x2, conv, gaussian, order, sizes, threads) -> for
   each size a list of the variances of the order-2 estimates ((num, den) or
   None); _check_compare(exact, estimate, variance or None, stderr,
   threshold) -> (verdict, z); _check_threshold(alpha, quantities) -> float;
   _check_median_plan(alpha, samples, chunk) -> (blocks, min_block, t,
   bound, threshold, catches). */
PyObject * bridge_check_variances(PyObject * self, PyObject * args);
PyObject * bridge_check_compare(PyObject * self, PyObject * args);
PyObject * bridge_check_threshold(PyObject * self, PyObject * args);
PyObject * bridge_check_median_plan(PyObject * self, PyObject * args);

#endif
