/* Internal: filling an ntk_error_t. */

#ifndef NTK_ERROR_IMPL_H
#define NTK_ERROR_IMPL_H

#include "ntkexact.h"

/* Sets err (if non-NULL) to status, the name of the parameter at fault
   (param, "" when none) and a printf-style message, which begins with that
   name; returns status. */
ntk_status_t _ntk_error_set(ntk_error_t * err, ntk_status_t status, const char * param,
                            const char * fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
