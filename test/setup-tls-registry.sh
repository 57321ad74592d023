#!/usr/bin/env bash
# Starts a second docker-registry for the push/login tests: HTTPS with a self-signed CA and
# htpasswd (bcrypt) authentication. Run as root; safe to run again. test/setup.sh calls it.
#
#   bash test/setup-tls-registry.sh          start it (or reuse a running one)
#   bash test/setup-tls-registry.sh stop     stop the registry this script started
#
# Everything lives in $POD_TEST_TLS_REGISTRY_DIR (default /var/tmp/pod-test-registry-tls):
#   ca.crt             the CA the tests trust (world-readable). The directory holds no other
#                      *.crt, *.cert or *.key file, so it can be given as --cert-dir as is.
#   private/           (root only) ca.key, server.crt and server.key (the registry's
#                      certificate, for IP 127.0.0.1 and DNS localhost), htpasswd (users
#                      podtest/podpass and podtest2/podpass2)
#   config.yml, storage/, registry.log, registry.pid
#
# Environment knobs:
#   POD_TEST_TLS_REGISTRY_DIR    directory (default /var/tmp/pod-test-registry-tls)
#   POD_TEST_TLS_REGISTRY_ADDR   listen address (default 127.0.0.1:5001)
set -euo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}

DIR=${POD_TEST_TLS_REGISTRY_DIR:-/var/tmp/pod-test-registry-tls}
ADDR=${POD_TEST_TLS_REGISTRY_ADDR:-127.0.0.1:5001}
USERS=("podtest:podpass" "podtest2:podpass2")

# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
log() { printf 'setup-tls-registry: %s\n' "$*" >&2; }
die() { printf 'setup-tls-registry: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"

# registry_up: the registry answers /v2/ over TLS with our CA, asking for credentials.
registry_up() {
	local code
	code=$(curl -sS -m 3 -o /dev/null -w '%{http_code}' --cacert "$DIR/ca.crt" "https://$ADDR/v2/" 2>/dev/null) || return 1
	[ "$code" = 401 ]
}

stop_registry() { stop_registry_in "$DIR" "TLS registry"; }

if [ "${1:-}" = stop ]; then
	stop_registry
	exit 0
fi

for b in openssl htpasswd docker-registry curl; do
	command -v "$b" >/dev/null || die "$b not found (apt packages openssl, apache2-utils, docker-registry, curl)"
done

PRIV=$DIR/private
mkdir -p "$DIR/storage" "$PRIV"
chmod 0755 "$DIR"
chmod 0700 "$PRIV"

# ---------------------------------------------------------------- certificates
# A CA valid for 10 years and a server certificate it signs; made once, kept across runs so
# that trust set up from ca.crt stays valid.
if [ ! -s "$DIR/ca.crt" ] || [ ! -s "$PRIV/server.crt" ] ||
	! openssl verify -CAfile "$DIR/ca.crt" "$PRIV/server.crt" >/dev/null 2>&1; then
	log "creating CA and server certificate in $DIR"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
		-keyout "$PRIV/ca.key" -out "$DIR/ca.crt" \
		-subj "/CN=pod test registry CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -sha256 \
		-keyout "$PRIV/server.key" -out "$PRIV/server.csr" \
		-subj "/CN=localhost" 2>/dev/null
	printf '%s\n' \
		"basicConstraints=CA:FALSE" \
		"keyUsage=critical,digitalSignature,keyEncipherment" \
		"extendedKeyUsage=serverAuth" \
		"subjectAltName=IP:127.0.0.1,DNS:localhost" >"$PRIV/server.ext"
	openssl x509 -req -in "$PRIV/server.csr" -CA "$DIR/ca.crt" -CAkey "$PRIV/ca.key" \
		-CAcreateserial -CAserial "$PRIV/ca.srl" -days 3650 -sha256 -extfile "$PRIV/server.ext" -out "$PRIV/server.crt" 2>/dev/null
	rm -f "$PRIV/server.csr" "$PRIV/server.ext" "$PRIV/ca.srl"
	stop_registry # a running registry still serves the old certificate
fi
chmod 0600 "$PRIV/ca.key" "$PRIV/server.key"
chmod 0644 "$DIR/ca.crt" "$PRIV/server.crt"

# ---------------------------------------------------------------- users
htp=$PRIV/htpasswd.new
: >"$htp"
for u in "${USERS[@]}"; do
	htpasswd -B -b "$htp" "${u%%:*}" "${u#*:}" 2>/dev/null
done
if ! cmp -s "$htp" "$PRIV/htpasswd" 2>/dev/null; then
	# bcrypt salts differ on every run: only replace the file when a user is missing or wrong.
	keep=1
	for u in "${USERS[@]}"; do
		htpasswd -v -b "$PRIV/htpasswd" "${u%%:*}" "${u#*:}" >/dev/null 2>&1 || keep=0
	done
	if [ "$keep" = 0 ]; then
		mv "$htp" "$PRIV/htpasswd"
		stop_registry
	fi
fi
rm -f "$htp"
chmod 0600 "$PRIV/htpasswd"

# ---------------------------------------------------------------- registry
if registry_up; then
	log "TLS registry already answering on $ADDR"
	exit 0
fi
stop_registry
cat >"$DIR/config.yml" <<EOF
version: 0.1
log:
  level: info
  fields:
    service: registry-tls
storage:
  filesystem:
    rootdirectory: $DIR/storage
  delete:
    enabled: true
auth:
  htpasswd:
    realm: pod-test
    path: $PRIV/htpasswd
http:
  addr: $ADDR
  tls:
    certificate: $PRIV/server.crt
    key: $PRIV/server.key
  headers:
    X-Content-Type-Options: [nosniff]
EOF
start_registry_in "$DIR" "$ADDR" "TLS docker-registry" registry_up
