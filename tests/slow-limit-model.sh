#!/bin/sh
# make check-long: the limits of order 4 against the unreduced model of
# doc/tools (tests/limit-family-model.sh with NTK_LIMIT_SLOW).  TAP.
NTK_LIMIT_SLOW=1 exec sh "${SRCDIR:-.}/tests/limit-family-model.sh"
