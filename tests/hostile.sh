#!/bin/sh
# The attack corpus (tests/hostile.txt): hostile and careless command lines,
# each with the exit status it must end with.  A failure must say one line
# on stderr ("ntkexact: ...") and print nothing on stdout (STATUS~TEXT: a line
# that contains TEXT, the option at fault); a failed write is exit 1, memory
# exhaustion exit 3; the valid edge cases ("ok:") print no nan or inf.
# Modes: full: stdout is /dev/full, closed: stdout is closed, fsize: a 1 KiB
# file-size limit, memN: a virtual memory limit of N KiB, nonan: a report
# that fails (exit 1) and prints no nan or inf, or a refusal (exit 2, one
# line on stderr).  TAP.
S=${SRCDIR:-.}
NTK=${NTKEXACT:-./ntkexact}
# the program itself, not libtool's wrapper script (a shell per run)
dir=$(dirname "$NTK")
if [ -x "$dir/.libs/ntkexact" ]; then
    LD_LIBRARY_PATH="$dir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
    NTK="$dir/.libs/ntkexact"
fi
tmp=${TMPDIR:-/tmp}/ntk-hostile.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
tab=$(printf '\t')
while IFS="$tab" read -r want line; do
    case "$want" in ''|\#*) continue;; esac
    n=$((n + 1))
    needle=
    case "$want" in *~*) needle=${want#*~}; want=${want%%~*};; esac
    mode=
    case "$line" in
        full:*|closed:*|fsize:*|ok:*|nonan:*|mem*:*) mode=${line%%:*}; line=${line#*:};;
    esac
    # a sanitizer's shadow memory does not fit under a memory limit
    case "$mode" in
        mem*) if [ -n "$NTK_SANITIZE" ]; then echo "ok $n - $mode: $line # SKIP under a sanitizer"; continue; fi;;
    esac
    : >"$tmp/out"
    case "$mode" in
        full) eval "\"\$NTK\" $line" >/dev/full 2>"$tmp/err";;
        closed) eval "\"\$NTK\" $line" >&- 2>"$tmp/err";;
        fsize) (ulimit -f 1; eval "\"\$NTK\" $line" >"$tmp/big" 2>"$tmp/err");;
        mem*) (ulimit -v "${mode#mem}"; eval "\"\$NTK\" $line" >"$tmp/out" 2>"$tmp/err");;
        *) eval "\"\$NTK\" $line" >"$tmp/out" 2>"$tmp/err";;
    esac
    st=$?
    rm -f "$tmp/big"
    why=
    if [ "$mode" = ok ]; then
        [ $st -eq 0 ] || why="exit $st"
        [ -s "$tmp/out" ] || why="$why, no output"
        [ ! -s "$tmp/err" ] || why="$why, stderr: $(head -c 100 "$tmp/err")"
        grep -qiwE 'nan|-?inf|-nan' "$tmp/out" && why="$why, prints nan or inf"
    elif [ "$mode" = nonan ] && [ $st -eq "$want" ]; then
        [ -s "$tmp/out" ] || why="no output"
        grep -qiwE 'nan|-?inf|-nan' "$tmp/out" && why="$why, prints nan or inf"
    elif [ "$mode" = nonan ] && [ $st -eq 2 ]; then
        [ ! -s "$tmp/out" ] || why="stdout not empty"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^ntkexact: ' "$tmp/err" \
            || why="$why, stderr is not one 'ntkexact:' line"
    else
        [ $st -eq "$want" ] || why="exit $st, want $want"
        [ ! -s "$tmp/out" ] || why="$why, stdout not empty"
        [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^ntkexact: ' "$tmp/err" \
            || why="$why, stderr is not one 'ntkexact:' line"
        [ -z "$needle" ] || grep -qF -- "$needle" "$tmp/err" || why="$why, the message does not name $needle"
    fi
    if [ -z "$why" ]; then
        echo "ok $n - ${mode:+$mode: }$line (exit $st)"
    else
        echo "not ok $n - ${mode:+$mode: }$line: ${why#, }"
        sed 's/^/# /' "$tmp/err" | head -3
        fails=$((fails + 1))
    fi
done <"$S/tests/hostile.txt"
echo "1..$n"
[ $fails -eq 0 ]
