#!/usr/bin/env bash
# Seeds the test registry with the images of the pull-detail tests and the pull benchmark.
# setup.sh runs it once the registry answers; it can also be run on its own (as root).
#
#  - library/multi:latest  an OCI image index: linux/amd64 (the 3.20.3 minirootfs layer),
#                          linux/arm64/v8 and linux/arm/v7 (the 3.19.4 layer, each with its
#                          own config naming its architecture and variant)
#  - library/big:latest    the 3.20.3 layer plus a 60 MiB layer of pseudo-random bytes
#                          (AES-256-CTR of zeros under a fixed key: same bytes on every host)
#  - library/tags:{t1,t2,t3} three tags of one repository (t1 = t3 = 3.20.3, t2 = 3.19.4)
#
# Every blob is built deterministically, so the digests are the same on every machine. The
# 60 MiB layer is kept in $REG_DIR/seed-cache so that a second run does not rebuild it.
set -euo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TESTDATA=$REPO_ROOT/test/testdata
REG_DIR=${REG_DIR:-${POD_TEST_REGISTRY_DIR:-/var/tmp/pod-test-registry}}
REG_ADDR=${REG_ADDR:-${POD_TEST_REGISTRY_ADDR:-127.0.0.1:5000}}
CREATED=2024-09-06T12:00:00Z

log() { printf 'setup-multiarch: %s\n' "$*" >&2; }
die() { printf 'setup-multiarch: error: %s\n' "$*" >&2; exit 1; }

for b in skopeo openssl gzip tar sha256sum; do
	command -v "$b" >/dev/null || die "$b not found"
done
curl -fsS -m 3 -o /dev/null "http://$REG_ADDR/v2/" || die "registry $REG_ADDR does not answer: run test/setup.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# new_layout DIR: an empty OCI image layout.
new_layout() {
	mkdir -p "$1/blobs/sha256"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$1/oci-layout"
}

# put_file DIR FILE: stores FILE as a blob of DIR; prints "sha256:HEX SIZE".
put_file() {
	local d
	d=$(sha256sum "$2" | cut -d' ' -f1)
	cp "$2" "$1/blobs/sha256/$d"
	printf 'sha256:%s %d\n' "$d" "$(stat -c %s "$2")"
}

# put_json DIR JSON: stores JSON (no trailing newline) as a blob of DIR; prints "sha256:HEX SIZE".
put_json() {
	local d
	d=$(printf '%s' "$2" | sha256sum | cut -d' ' -f1)
	printf '%s' "$2" >"$1/blobs/sha256/$d"
	printf 'sha256:%s %d\n' "$d" "$(printf '%s' "$2" | wc -c)"
}

# diff_id TARBALL: the digest of the uncompressed layer.
diff_id() { printf 'sha256:%s' "$(gzip -dc "$1" | sha256sum | cut -d' ' -f1)"; }

# image DIR ARCH VARIANT TARBALL...: stores a config and a manifest with the given layers;
# prints the manifest's "sha256:HEX SIZE".
image() {
	local dir=$1 arch=$2 variant=$3
	shift 3
	local layers="" diffs="" history="" t dg sz
	for t in "$@"; do
		read -r dg sz < <(put_file "$dir" "$t")
		[ -n "$layers" ] && { layers+=","; diffs+=","; history+=","; }
		layers+=$(printf '{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}' "$dg" "$sz")
		diffs+="\"$(diff_id "$t")\""
		history+=$(printf '{"created":"%s","created_by":"ADD %s in /"}' "$CREATED" "$(basename "$t")")
	done
	local v=""
	[ -n "$variant" ] && v=$(printf ',"variant":"%s"' "$variant")
	local config cd cs
	config=$(printf '{"created":"%s","architecture":"%s"%s,"os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[%s]}' \
		"$CREATED" "$arch" "$v" "$diffs" "$history")
	read -r cd cs < <(put_json "$dir" "$config")
	put_json "$dir" "$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},"layers":[%s]}' \
		"$cd" "$cs" "$layers")"
}

# tag_layout DIR MEDIATYPE DIGEST SIZE TAG...: writes index.json naming one blob under every TAG.
tag_layout() {
	local dir=$1 mt=$2 dg=$3 sz=$4 entries="" tag
	shift 4
	for tag in "$@"; do
		[ -n "$entries" ] && entries+=","
		entries+=$(printf '{"mediaType":"%s","digest":"%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"%s"}}' "$mt" "$dg" "$sz" "$tag")
	done
	printf '{"schemaVersion":2,"manifests":[%s]}' "$entries" >"$dir/index.json"
}

# push DIR REPO TAG [--all]
push() {
	skopeo copy -q ${4:+"$4"} --dest-tls-verify=false "oci:$1:$3" "docker://$REG_ADDR/$2:$3" </dev/null
}

L320=$TESTDATA/alpine-minirootfs-3.20.3-x86_64.tar.gz
L319=$TESTDATA/alpine-minirootfs-3.19.4-x86_64.tar.gz
[ -f "$L320" ] && [ -f "$L319" ] || die "missing minirootfs tarballs in $TESTDATA"
OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json

# ---------------------------------------------------------------- multi-arch index
dir=$work/multi
new_layout "$dir"
read -r amd_d amd_s < <(image "$dir" amd64 "" "$L320")
read -r arm64_d arm64_s < <(image "$dir" arm64 v8 "$L319")
read -r arm_d arm_s < <(image "$dir" arm v7 "$L319")
index=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s,%s]}' \
	"$(printf '{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}}' "$OCI_MANIFEST" "$amd_d" "$amd_s")" \
	"$(printf '{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}' "$OCI_MANIFEST" "$arm64_d" "$arm64_s")" \
	"$(printf '{"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"arm","os":"linux","variant":"v7"}}' "$OCI_MANIFEST" "$arm_d" "$arm_s")")
read -r idx_d idx_s < <(put_json "$dir" "$index")
tag_layout "$dir" application/vnd.oci.image.index.v1+json "$idx_d" "$idx_s" latest
push "$dir" library/multi latest --all
log "seeded $REG_ADDR/library/multi:latest ($idx_d: amd64 $amd_d, arm64/v8 $arm64_d, arm/v7 $arm_d)"

# ---------------------------------------------------------------- several tags
dir=$work/tags
new_layout "$dir"
read -r d1 s1 < <(image "$dir" amd64 "" "$L320")
read -r d2 s2 < <(image "$dir" amd64 "" "$L319")
tag_layout "$dir" "$OCI_MANIFEST" "$d1" "$s1" t1 t3
push "$dir" library/tags t1
push "$dir" library/tags t3
tag_layout "$dir" "$OCI_MANIFEST" "$d2" "$s2" t2
push "$dir" library/tags t2
log "seeded $REG_ADDR/library/tags:t1,t3 ($d1) and :t2 ($d2)"

# ---------------------------------------------------------------- big image
cache=$REG_DIR/seed-cache
big=$cache/big-60M-v1.tar.gz
if [ ! -s "$big" ]; then
	mkdir -p "$cache" "$work/bigroot"
	log "building the 60 MiB layer ($big)"
	# openssl dies of SIGPIPE once head has its bytes.
	{ openssl enc -aes-256-ctr -md sha256 -pass pass:pod -nosalt </dev/zero 2>/dev/null || true; } |
		head -c 60M >"$work/bigroot/big.bin"
	tar --sort=name --owner=0 --group=0 --numeric-owner --mode=0644 \
		--mtime="$CREATED" --format=gnu -C "$work/bigroot" -cf - big.bin | gzip -n -1 >"$big.tmp"
	mv "$big.tmp" "$big"
fi
dir=$work/big
new_layout "$dir"
read -r bd bs < <(image "$dir" amd64 "" "$L320" "$big")
tag_layout "$dir" "$OCI_MANIFEST" "$bd" "$bs" latest
push "$dir" library/big latest
log "seeded $REG_ADDR/library/big:latest ($bd)"
