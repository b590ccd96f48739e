/* Error codes and messages. */

#include <stdarg.h>
#include <stdio.h>
#include "error.h"

ntk_status_t
_ntk_error_set(ntk_error_t * err, ntk_status_t status, const char * param,
               const char * fmt, ...)
{
    if (err != NULL)
    {
        va_list ap;
        va_start(ap, fmt);
        err->status = status;
        snprintf(err->param, sizeof(err->param), "%s", param);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *
ntk_error_string(ntk_status_t status)
{
    switch (status)
    {
        case NTK_OK: return "success";
        case NTK_ERR_SYNTAX: return "malformed input";
        case NTK_ERR_RANGE: return "value out of range";
        case NTK_ERR_TOO_LARGE: return "exact answer too large";
        case NTK_ERR_INTERRUPTED: return "interrupted";
        case NTK_ERR_RESOURCE: return "the system refused a resource";
    }
    return "unknown status";
}
