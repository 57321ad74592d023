#!/usr/bin/env bash
# Demo on a fresh Debian 12 machine, as root: installs the dependencies (test/setup.sh, which
# also starts a local registry seeded from test/testdata), builds pod, installs it where the
# unprivileged user podtest can run it, and runs `pod run --rm alpine echo hello` as podtest.
# Docker Hub's docker.io is mirrored to the local registry, so this works offline.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
. "$REPO_ROOT/test/env.sh"

[ "$(id -u)" -eq 0 ] || { echo "demo.sh: run as root: sudo bash test/demo.sh" >&2; exit 1; }

TEST_USER=${POD_TEST_USER:-podtest}
REG_ADDR=${POD_TEST_REGISTRY_ADDR:-127.0.0.1:5000}
BINDIR=${POD_DEMO_BINDIR:-/usr/local/lib/pod-test/bin}

bash test/setup.sh
make build

install -d -m 0755 "$BINDIR"
install -m 0755 bin/pod bin/pod-monitor bin/pod-portfwd "$BINDIR/"

uid=$(id -u "$TEST_USER")
gid=$(id -g "$TEST_USER")
home=$(getent passwd "$TEST_USER" | cut -d: -f6)
conf=$home/.config/containers
install -d -o "$uid" -g "$gid" -m 0755 "$home/.config" "$conf"
cat >"$conf/registries.conf" <<CONF
unqualified-search-registries = ["docker.io"]

[[registry]]
prefix = "docker.io"
location = "docker.io"

[[registry.mirror]]
location = "$REG_ADDR"
insecure = true
CONF
chown "$uid:$gid" "$conf/registries.conf"

rundir=/run/user/$uid
install -d -m 0755 /run/user
install -d -o "$uid" -g "$gid" -m 0700 "$rundir"

cmd=(pod run --rm alpine echo hello)
echo "+ runuser -u $TEST_USER -- ${cmd[*]}"
runuser -u "$TEST_USER" -- env -i HOME="$home" XDG_RUNTIME_DIR="$rundir" \
	PATH="$BINDIR:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "${cmd[@]}"
