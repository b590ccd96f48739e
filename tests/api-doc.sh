#!/bin/sh
# doc/api.md is generated from include/ntkexact.h and its module headers
# include/ntkexact/*.h and must be up to date.  TAP.
S=${SRCDIR:-.}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=${TMPDIR:-/tmp}/ntk-api.$$
"$PY" "$S/doc/tools/api_doc.py" "$S/include/ntkexact.h" >"$tmp"
if cmp -s "$tmp" "$S/doc/api.md"; then
    echo "ok 1 - doc/api.md mirrors include/ntkexact.h and include/ntkexact/*.h"
else
    echo "not ok 1 - doc/api.md is stale: run python3 doc/tools/api_doc.py include/ntkexact.h > doc/api.md"
fi
n=$(cat "$S"/include/ntkexact/*.h | grep -c '^[a-z].*ntk_[a-z_]*(')
d=$(grep -c '^[a-z].*ntk_[a-z_]*(' "$S/doc/api.md")
[ "$n" -eq "$d" ] && echo "ok 2 - every one of the $n public functions is in doc/api.md" \
    || echo "not ok 2 - $d of $n public functions in doc/api.md"
rm -f "$tmp"
echo "1..2"
