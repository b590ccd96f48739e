#!/bin/sh
# make check-long: the limits of order 3 and 4 against larger exact
# profiles (tests/t-limit-moments with NTK_LIMIT_SLOW).  TAP.
B=${TOP_BUILDDIR:-.}
NTK_LIMIT_SLOW=1 exec "$B/tests/t-limit-moments"
