/* ntkexact: exact moments of the neural tangent kernel of deep ReLU networks
   at initialization.  Public API; doc/api.md is its reference (generated from
   this file) and doc/derivation.md the mathematics.

   The contract of every function:
   - an object is used between its *_init and its *_clear; *_clear leaves it
     as *_init did (without memory), so clearing twice is harmless, and
     *_init(NULL), *_clear(NULL) do nothing;
   - pointer arguments must not be NULL unless the comment says so; the
     functions that return an ntk_status_t check them and every enum and
     integer argument, and return NTK_ERR_RANGE for one out of range; err may
     always be NULL; the others, which cannot report, do nothing with a NULL
     pointer (or return 0, NULL or -1 as their comment says);
   - an object that no computation has filled yet (initialised only, or
     cleared) is refused by every function that reads a result from it;
   - results are FLINT fmpq/fmpq_poly or MPFR values owned by the caller; an
     output may not alias an input unless the comment says so;
   - distinct objects may be used from different threads at once, and one
     object may be read (not written) by several.
   Only names beginning with ntk_ or NTK_ are part of the API. */

#ifndef NTKEXACT_H
#define NTKEXACT_H

#define NTK_VERSION_STRING "0.1.0"

/* One header per module (as FLINT has), in the order of doc/api.md. */
#include "ntkexact/base.h"
#include "ntkexact/moments.h"
#include "ntkexact/sample.h"
#include "ntkexact/check.h"
#include "ntkexact/expand.h"
#include "ntkexact/paper.h"
#include "ntkexact/limit.h"
#include "ntkexact/kernel.h"
#include "ntkexact/sample_pair.h"

#endif
