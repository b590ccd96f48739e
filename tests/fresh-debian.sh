#!/bin/sh
# Runs the README's two quick-start commands in a fresh, minimal Debian 12
# (bookworm) made by debootstrap: the check that CI on a developer's machine,
# where packages installed by hand linger, cannot make.  Needs root and the
# network to Debian's mirror; not part of make check.  Takes about 3 minutes.
# Usage: sh tests/fresh-debian.sh [workdir]
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/tmp/ntkexact-fresh-debian}
command -v debootstrap >/dev/null || apt-get install -y debootstrap
[ -x "$root/bin/bash" ] || debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
rm -rf "$root/root/ntkexact"
git clone -q "$top" "$root/root/ntkexact"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# the first command of the quick start, verbatim from README.md
grep -m1 '^    apt-get update' "$top/README.md" | sed 's/^    //' >"$root/root/quickstart.sh"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
trap 'umount "$root/proc" "$root/dev"' EXIT
chroot "$root" /bin/sh -c 'cd /root/ntkexact && export DEBIAN_FRONTEND=noninteractive &&
    sh /root/quickstart.sh && make check' 2>&1 | tail -5
