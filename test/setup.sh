#!/usr/bin/env bash
# Prepares this machine for pod's end-to-end tests. Run as root; safe to run again.
#
#  - installs the host packages the engine and the tests use (apt-get, non-interactive)
#  - checks that Go is available (/usr/local/go/bin is put on PATH)
#  - creates the unprivileged test user (podtest) with subordinate id ranges, and a
#    second user (podtest2) deliberately WITHOUT ranges for the "missing subuid" test
#  - gives podtest read/write ACLs on /dev/net/tun and /dev/fuse
#  - starts Debian's docker-registry on 127.0.0.1:5000 (or reuses a running one)
#  - starts a second one on 127.0.0.1:5001 with TLS and htpasswd auth (setup-tls-registry.sh)
#  - seeds it with library/alpine:{3.20.3,latest,3.19.4} built from test/testdata, and
#    alpine:3.20.3-stopsignal (3.20.3 with STOPSIGNAL SIGUSR1)
#    and alpine:3.20.3-labelled (label org.pod.test=labelled, created 2024-10-01)
#
# Environment knobs:
#   POD_TEST_USER            test user name                  (default podtest)
#   POD_TEST_USER2           user without subuid ranges      (default podtest2)
#   POD_TEST_REGISTRY_DIR    registry config/storage/log dir (default /var/tmp/pod-test-registry)
#   POD_TEST_REGISTRY_ADDR   registry listen address         (default 127.0.0.1:5000)
#   POD_TEST_SKIP_APT=1      skip the apt-get step entirely
#
# `test/setup.sh stop-registry` stops a registry this script started.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTDATA=$REPO_ROOT/test/testdata
TEST_USER=${POD_TEST_USER:-podtest}
TEST_USER2=${POD_TEST_USER2:-podtest2}
REG_DIR=${POD_TEST_REGISTRY_DIR:-/var/tmp/pod-test-registry}
REG_ADDR=${POD_TEST_REGISTRY_ADDR:-127.0.0.1:5000}

# shellcheck source=test/lib.sh
. "$REPO_ROOT/test/lib.sh"
log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (try: sudo bash test/setup.sh)"

registry_up() {
	curl -fsS -m 3 -o /dev/null "http://$REG_ADDR/v2/" 2>/dev/null
}

stop_registry() { stop_registry_in "$REG_DIR" registry; }

if [ "${1:-}" = "stop-registry" ]; then
	stop_registry
	bash "$REPO_ROOT/test/setup-tls-registry.sh" stop
	exit 0
fi

# ---------------------------------------------------------------- packages
PACKAGES=(
	ca-certificates curl gcc make git libc6-dev pkg-config
	crun runc uidmap slirp4netns passt fuse-overlayfs fuse3
	docker-registry skopeo acl bsdutils util-linux passwd procps
	iproute2 jq catatonit tzdata openssl apache2-utils
	netavark aardvark-dns iptables
)
if [ "${POD_TEST_SKIP_APT:-0}" != 1 ]; then
	missing=()
	for p in "${PACKAGES[@]}"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$p")
		fi
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing: ${missing[*]}"
		apt-get update -q
		apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" </dev/null
	else
		log "all packages already installed"
	fi
fi

for b in crun runc newuidmap newgidmap slirp4netns pasta fuse-overlayfs docker-registry skopeo setfacl runuser script curl; do
	command -v "$b" >/dev/null || die "$b not found after installing packages"
done

# ---------------------------------------------------------------- Go
command -v go >/dev/null ||
	die "Go not found: expected /usr/local/go/bin/go (install Go >= 1.26 there, or put go on PATH)"
log "$(go version)"

# ---------------------------------------------------------------- users
# next_subid FILE prints the first id above every range already listed in FILE.
next_subid() {
	awk -F: 'BEGIN { m = 100000 } NF >= 3 { e = $2 + $3; if (e > m) m = e } END { print m }' "$1"
}

touch /etc/subuid /etc/subgid
if ! id "$TEST_USER" >/dev/null 2>&1; then
	log "creating user $TEST_USER"
	useradd -m -s /bin/bash "$TEST_USER"
fi
if ! grep -q "^$TEST_USER:" /etc/subuid && ! grep -q "^$(id -u "$TEST_USER"):" /etc/subuid; then
	start=$(next_subid /etc/subuid)
	log "adding subuids $start-$((start + 65535)) for $TEST_USER"
	usermod --add-subuids "$start-$((start + 65535))" "$TEST_USER"
fi
if ! grep -q "^$TEST_USER:" /etc/subgid && ! grep -q "^$(id -u "$TEST_USER"):" /etc/subgid; then
	start=$(next_subid /etc/subgid)
	log "adding subgids $start-$((start + 65535)) for $TEST_USER"
	usermod --add-subgids "$start-$((start + 65535))" "$TEST_USER"
fi

if ! id "$TEST_USER2" >/dev/null 2>&1; then
	log "creating user $TEST_USER2 (no subordinate ids)"
	useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$TEST_USER2"
fi
# This user must have no ranges: remove any that useradd or an admin added.
uid2=$(id -u "$TEST_USER2")
for f in /etc/subuid /etc/subgid; do
	if grep -qE "^($TEST_USER2|$uid2):" "$f"; then
		log "removing $TEST_USER2 ranges from $f"
		sed -i -E "/^($TEST_USER2|$uid2):/d" "$f"
	fi
done

# ---------------------------------------------------------------- devices
for dev in /dev/net/tun /dev/fuse; do
	if [ -e "$dev" ]; then
		setfacl -m "u:$TEST_USER:rw" "$dev"
	else
		log "warning: $dev does not exist"
	fi
done

# ---------------------------------------------------------------- registry
mkdir -p "$REG_DIR/storage"
if registry_up; then
	log "registry already answering on $REG_ADDR"
else
	stop_registry
	# Debian's packaged service (default config: :5000, htpasswd auth) would hold the port.
	if (exec 3<>"/dev/tcp/${REG_ADDR%:*}/${REG_ADDR##*:}") 2>/dev/null; then
		if [ -x /etc/init.d/docker-registry ]; then
			log "port ${REG_ADDR##*:} is taken by a registry that does not answer /v2/ anonymously: stopping the docker-registry service"
			/etc/init.d/docker-registry stop </dev/null || true
			sleep 1
		fi
	fi
	cat >"$REG_DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $REG_DIR/storage
  delete:
    enabled: true
http:
  addr: $REG_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
	start_registry_in "$REG_DIR" "$REG_ADDR" docker-registry registry_up
fi

# The TLS + htpasswd registry of the push and login tests (127.0.0.1:5001).
bash "$REPO_ROOT/test/setup-tls-registry.sh"

# ---------------------------------------------------------------- seed images
# make_layout TARBALL DIR EXTRA TAG... writes a one-layer OCI image layout whose layer blob is
# the gzip file itself, tagged with every TAG. EXTRA is added to the config's "config"
# object (empty, or e.g. ',"StopSignal":"SIGUSR1"').
make_layout() {
	local tarball=$1 dir=$2 extra=$3
	shift 3
	local blobs=$dir/blobs/sha256
	mkdir -p "$blobs"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"

	local layer_digest layer_size diff_id
	layer_digest=$(sha256sum "$tarball" | cut -d' ' -f1)
	layer_size=$(stat -c %s "$tarball")
	diff_id=$(gzip -dc "$tarball" | sha256sum | cut -d' ' -f1)
	cp "$tarball" "$blobs/$layer_digest"

	local created=${SEED_CREATED:-2024-09-06T12:00:00Z}
	local config
	config=$(printf '{"created":"%s","architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"%s","created_by":"ADD %s in /"}]}' \
		"$created" "$extra" "$diff_id" "$created" "$(basename "$tarball")")
	local config_digest config_size
	config_digest=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
	config_size=$(printf '%s' "$config" | wc -c)
	printf '%s' "$config" >"$blobs/$config_digest"

	local manifest
	manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%d}]}' \
		"$config_digest" "$config_size" "$layer_digest" "$layer_size")
	local manifest_digest manifest_size
	manifest_digest=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
	manifest_size=$(printf '%s' "$manifest" | wc -c)
	printf '%s' "$manifest" >"$blobs/$manifest_digest"

	local entries="" tag
	for tag in "$@"; do
		[ -n "$entries" ] && entries+=","
		entries+=$(printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s"}}' \
			"$manifest_digest" "$manifest_size" "$tag")
	done
	printf '{"schemaVersion":2,"manifests":[%s]}' "$entries" >"$dir/index.json"
	echo "sha256:$manifest_digest"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seed() { # seed TARBALL EXTRA TAG...
	local tarball=$TESTDATA/$1 extra=$2
	shift 2
	[ -f "$tarball" ] || die "missing $tarball"
	local dir=$work/$1 digest tag
	digest=$(make_layout "$tarball" "$dir" "$extra" "$@")
	for tag in "$@"; do
		skopeo copy -q --dest-tls-verify=false "oci:$dir:$tag" "docker://$REG_ADDR/library/alpine:$tag" </dev/null
		log "seeded $REG_ADDR/library/alpine:$tag ($digest)"
	done
}
seed alpine-minirootfs-3.20.3-x86_64.tar.gz '' 3.20.3 latest
seed alpine-minirootfs-3.19.4-x86_64.tar.gz '' 3.19.4
# Same content, with an image STOPSIGNAL, for the stop tests.
seed alpine-minirootfs-3.20.3-x86_64.tar.gz ',"StopSignal":"SIGUSR1"' 3.20.3-stopsignal
# Same content, a label and a later creation time, for the images filter tests.
SEED_CREATED=2024-10-01T12:00:00Z seed alpine-minirootfs-3.20.3-x86_64.tar.gz ',"Labels":{"org.pod.test":"labelled"}' 3.20.3-labelled
# library/multi (multi-arch index), library/big (60 MiB layer), library/tags (three tags).
REG_ADDR=$REG_ADDR REG_DIR=$REG_DIR bash "$REPO_ROOT/test/setup-multiarch.sh"

# ---------------------------------------------------------------- summary
cat <<EOF
POD_TEST_USER=$TEST_USER
POD_TEST_UID=$(id -u "$TEST_USER")
POD_TEST_SUBUID=$(grep -E "^($TEST_USER|$(id -u "$TEST_USER")):" /etc/subuid | head -n1)
POD_TEST_SUBGID=$(grep -E "^($TEST_USER|$(id -u "$TEST_USER")):" /etc/subgid | head -n1)
POD_TEST_USER2=$TEST_USER2 (no subordinate ids)
POD_TEST_REGISTRY=$REG_ADDR (dir $REG_DIR, pid $(cat "$REG_DIR/registry.pid" 2>/dev/null || echo external))
POD_TEST_TLS_REGISTRY=${POD_TEST_TLS_REGISTRY_ADDR:-127.0.0.1:5001} (CA ${POD_TEST_TLS_REGISTRY_DIR:-/var/tmp/pod-test-registry-tls}/ca.crt, users podtest/podpass podtest2/podpass2)
POD_TEST_IMAGES=library/alpine:3.20.3 library/alpine:latest library/alpine:3.19.4 library/alpine:3.20.3-stopsignal library/alpine:3.20.3-labelled
GO=$(command -v go)
EOF
