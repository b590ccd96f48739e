#!/bin/sh
# The build line of doc/guide.md, section 4, after `make install` into a
# scratch directory (DESTDIR): pkg-config finds the library, and the program
# loads it with LD_LIBRARY_PATH or with an rpath, as the guide says (without
# either, or ldconfig for a system prefix, the loader does not find it);
# the installed Python package imports.  TAP.
B=${TOP_BUILDDIR:-.}
S=${SRCDIR:-.}
MK=${MAKE:-make}
tmp=${TMPDIR:-/tmp}/ntk-install.$$
dest=$tmp/dest
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0; fails=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
if ! command -v pkg-config >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
    echo "1..0 # SKIP pkg-config or cc is missing"
    exit 0
fi
# the sanitizer build (make check-sanitize) has no shared library, and its
# objects need the sanitizers' runtime: the guide's line is not for it
if [ -n "$NTK_SANITIZE" ] || ! ls "$B"/.libs/libntkexact.so* >/dev/null 2>&1; then
    echo "1..0 # SKIP no shared library in this build (configure --disable-shared or a sanitizer build)"
    exit 0
fi
"$MK" -C "$B" install DESTDIR="$dest" >"$tmp/log" 2>&1
st=$?
[ $st -eq 0 ] || tail -5 "$tmp/log" | sed 's/^/# /'
ok $st "make install DESTDIR=<scratch>"
libdir=$(sed -n 's/^libdir=//p' "$B/ntkexact.pc")
prefix=$(sed -n 's/^prefix=//p' "$B/ntkexact.pc")
exec_prefix=$(sed -n 's/^exec_prefix=//p' "$B/ntkexact.pc" | sed "s,\${prefix},$prefix,")
libdir=$(echo "$libdir" | sed -e "s,\${exec_prefix},$exec_prefix," -e "s,\${prefix},$prefix,")
# pkg-config of the scratch tree: the .pc file's paths under DESTDIR
PKG_CONFIG_PATH="$dest$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest"
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
flags=$(pkg-config --cflags --libs ntkexact)
ok $? "pkg-config --cflags --libs ntkexact: $flags"
cp "$S/doc/examples/moments.c" "$tmp/moments.c"
(cd "$tmp" && cc moments.c $flags -o moments) 2>"$tmp/cc.err"
ok $? "the guide's line: cc moments.c \$(pkg-config --cflags --libs ntkexact) -o moments $(head -c 200 "$tmp/cc.err")"
if ! /sbin/ldconfig -p 2>/dev/null | grep -q libntkexact; then
    env -u LD_LIBRARY_PATH "$tmp/moments" 3,2,1 1 >/dev/null 2>"$tmp/run.err"
    [ $? -ne 0 ] && grep -q 'error while loading shared libraries: libntkexact' "$tmp/run.err"
    ok $? "without LD_LIBRARY_PATH, an rpath or ldconfig the loader does not find it (as the guide warns)"
fi
LD_LIBRARY_PATH="$dest$libdir" "$tmp/moments" 3,2,1 1 | grep -q '^E_K     2.16666666666667$'
ok $? "LD_LIBRARY_PATH=<libdir> ./moments 3,2,1 1 loads the installed library: E_K = 13/6"
rpath=$(pkg-config --variable=libdir ntkexact)
(cd "$tmp" && cc moments.c $flags -Wl,-rpath,"$rpath" -o moments-rpath) 2>"$tmp/cc.err" &&
env -u LD_LIBRARY_PATH "$tmp/moments-rpath" 3,2,1 1 | grep -q '^E_dK    -1.11111111111111$' &&
env -u LD_LIBRARY_PATH ldd "$tmp/moments-rpath" | grep -q "$dest$libdir/libntkexact"
ok $? "with -Wl,-rpath,\$(pkg-config --variable=libdir ntkexact) it runs without LD_LIBRARY_PATH"
# the installed Python package (when built): it links the installed library
pydir=$(find "$dest" -type d -name ntkexact -path '*-packages/*' | head -1)
if [ -n "$pydir" ]; then
    PY=$(sed -n 's/^PYTHON = //p' "$B/Makefile")
    PYTHONPATH=$(dirname "$pydir") LD_LIBRARY_PATH="$dest$libdir" PYTHONDONTWRITEBYTECODE=1 \
        "$PY" -c 'import ntkexact; assert str(ntkexact.moments("3,2,1")["E_K"]) == "13/6"' 2>"$tmp/py.err"
    ok $? "the installed Python package imports ($pydir) $(head -c 200 "$tmp/py.err")"
else
    echo "ok $((n + 1)) # SKIP the Python package is not built"
    n=$((n + 1))
fi
echo "1..$n"
[ $fails -eq 0 ]
