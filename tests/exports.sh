#!/bin/sh
# The shared library exports the public API and nothing else: every
# function declared in the public headers (include/ntkexact/*.h), and no
# other symbol.  TAP.
B=${TOP_BUILDDIR:-.}
S=${SRCDIR:-.}
so=$(ls "$B"/.libs/libntkexact.so.*.*.* 2>/dev/null | head -1)
if [ -z "$so" ] || ! command -v nm >/dev/null 2>&1; then
    echo "1..0 # SKIP no shared library or no nm"
    exit 0
fi
tmp=${TMPDIR:-/tmp}/ntk-exports.$$
nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort -u >"$tmp.sym"
# the linker's own markers are not ours
others=$(grep -vE '^(ntk_|_init$|_fini$|_edata$|_end$|__bss_start$)' "$tmp.sym" | tr '\n' ' ')
[ -z "$others" ] && echo "ok 1 - only ntk_ symbols are exported ($(wc -l <"$tmp.sym") in all)" \
    || echo "not ok 1 - internal symbols are exported: $others"
cat "$S"/include/ntkexact/*.h | grep -E '^[a-z]' | grep -oE 'ntk_[a-z0-9_]+\(' | tr -d '(' | sort -u >"$tmp.api"
missing=$(comm -23 "$tmp.api" "$tmp.sym" | tr '\n' ' ')
extra=$(grep '^ntk_' "$tmp.sym" | comm -13 "$tmp.api" - | tr '\n' ' ')
[ -z "$missing" ] && echo "ok 2 - every one of the $(wc -l <"$tmp.api") public functions is exported" \
    || echo "not ok 2 - declared but not exported: $missing"
[ -z "$extra" ] && echo "ok 3 - every exported ntk_ symbol is declared in include/ntkexact/*.h" \
    || echo "not ok 3 - exported but not declared: $extra"
rm -f "$tmp.sym" "$tmp.api"
echo "1..3"
