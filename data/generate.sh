#!/bin/sh
# Regenerates the reference tables of data/ with the ntkexact tool (make data).
# Usage: data/generate.sh path/to/ntkexact output-directory
set -e
NTK=${1:-./ntkexact}
OUT=${2:-data}
GRID="--depths 2,3,4,6,8,12,16,24,32,48,64 --hidden-widths 1,2,3,4,6,8,12,16,32,64,128,256,1024 --n0 1"
# non-uniform profiles: funnels, bottlenecks, dead-layer-prone narrow layers, wide-then-narrow
PROFILES="--profile 10,100,50,25,12,6,1 --profile 5,1,5,1 --profile 3,2,4,8,16,32,1
 --profile 10,1000x3,10x3,1 --profile 2,1x10,1 --profile 784,256,128,64,1 --profile 3,100x10,1
 --profile 1,2,3,4,5,6,7,8,1 --profile 20,1,20,1,20,1 --profile 10,64x8,8x8,1"
COMMON="--a 0,1/2,1,2 --mu4 3,9/5 --digits 20 --quiet"
# shellcheck disable=SC2086
"$NTK" table $GRID $PROFILES $COMMON --format csv >"$OUT/moments.csv.tmp"
# shellcheck disable=SC2086
"$NTK" table $GRID $PROFILES $COMMON --format jsonl | xz -9 -T1 >"$OUT/moments.jsonl.xz.tmp"
mv "$OUT/moments.csv.tmp" "$OUT/moments.csv"
mv "$OUT/moments.jsonl.xz.tmp" "$OUT/moments.jsonl.xz"
# the same grid for linear and leaky ReLU networks (slope 1/2 and 1/10), at
# their critical hidden variance 1/A_2
for act in linear leaky:1/2 leaky:1/10; do
    name=$(echo "$act" | sed 's|:|-|; s|/|_|')
    # shellcheck disable=SC2086
    "$NTK" table $GRID $PROFILES $COMMON --activation "$act" --format csv >"$OUT/moments-$name.csv.tmp"
    mv "$OUT/moments-$name.csv.tmp" "$OUT/moments-$name.csv"
done
