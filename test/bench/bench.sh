#!/usr/bin/env bash
# Paired benchmarks of pod against podman (docs/design.md, section "Benchmarks"). Run as root: `make bench`.
#
# Both tools run as the same unprivileged user, from a fresh HOME and XDG_RUNTIME_DIR under
# $BENCH_DIR (nothing else of that user's state is touched), against the local test registry
# (test/setup.sh) through the same registries.conf (docker.io mirror = 127.0.0.1:5000).
# Fair configuration: podman uses the overlay driver (its default here is vfs), cgroupfs, the
# file events logger and runc; pod uses runc too (pod.conf). Each tool keeps its own default
# network for the "default network" row (pod: pasta, podman 4.3: slirp4netns); the
# "--network none" row measures the engines alone.
#
# Every measurement is a whole process, wall time, taken inside the user's shell (so runuser's
# own cost is not counted), N times, pod and podman interleaved in pairs (alternating which
# goes first). The table shows medians and the pod/podman ratio next to the budget.
# A slow result is reported, never asserted: the script exits non-zero only when a command
# fails (every failure is printed with its command and stderr).
#
# Knobs:
#   BENCH_N=10          iterations per row
#   BENCH_USER=podtest  the unprivileged user (created by test/setup.sh)
#   BENCH_DIR=/tmp/podbench  scratch dir (wiped at start and, unless BENCH_KEEP=1, at the end)
#   BENCH_PS=100        containers for the "ps -a" row
#   BENCH_PS1000=1000   containers for the large "ps -a" row and the cost per container (0: skip)
#   BENCH_PAR=10        parallel runs for the timed batch row
#   BENCH_PAR_CHECK=20  parallel pod runs for the success check
#   BENCH_MON=5         running containers for the monitor memory row
#   BENCH_IMAGES=100    images for the "images" row
#   BENCH_BIG=REF       the >= 50 MB image for the big pull/push rows (seeded by test/setup.sh)
#   BENCH_BUILD=1       the build rows (0: skip)
#   BENCH_SKIP_SETUP=1  do not run test/setup.sh (the registry must already be up)
set -uo pipefail

export PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
N=${BENCH_N:-10}
U=${BENCH_USER:-podtest}
BASE=${BENCH_DIR:-/tmp/podbench}
NPS=${BENCH_PS:-100}
NPS1000=${BENCH_PS1000:-1000}
NPAR=${BENCH_PAR:-10}
NCHECK=${BENCH_PAR_CHECK:-20}
NMON=${BENCH_MON:-5}
NIMG=${BENCH_IMAGES:-100}
REG=${POD_TEST_REGISTRY_ADDR:-127.0.0.1:5000}
BIG=${BENCH_BIG:-$REG/library/big:latest}

BIN=$BASE/bin
HOMED=$BASE/home
RUND=$BASE/run
LOGD=$BASE/log
TOOLS=(pod podman)

log() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (try: sudo make bench)"
[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_N must be a positive integer (got $N)"
[ -x "$REPO_ROOT/bin/pod" ] && [ -x "$REPO_ROOT/bin/pod-monitor" ] && [ -x "$REPO_ROOT/bin/pod-portfwd" ] ||
	die "bin/pod, bin/pod-monitor or bin/pod-portfwd missing: run make build (or make bench)"
case $BASE in /tmp/* | /var/tmp/*) ;; *) die "BENCH_DIR must be below /tmp or /var/tmp (got $BASE)" ;; esac

T_START=$EPOCHREALTIME

# ---------------------------------------------------------------- machine setup
if [ "${BENCH_SKIP_SETUP:-0}" != 1 ]; then
	log "running test/setup.sh"
	bash "$REPO_ROOT/test/setup.sh" >/dev/null || die "test/setup.sh failed"
fi
if ! command -v podman >/dev/null; then
	log "installing podman"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends podman </dev/null >/dev/null ||
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends podman </dev/null >/dev/null; } ||
		die "apt-get install podman failed"
fi
for b in podman runc conmon runuser; do command -v "$b" >/dev/null || die "$b not found"; done
id "$U" >/dev/null 2>&1 || die "user $U does not exist (test/setup.sh creates it)"
UID_U=$(id -u "$U")
GID_U=$(id -g "$U")
curl -fsS -m 3 -o /dev/null "http://$REG/v2/" || die "registry on $REG is not answering (run test/setup.sh)"

# ---------------------------------------------------------------- running as the user
as_user() { # as_user CMD...: run CMD as the user in the benchmark environment
	runuser -u "$U" -- env -i HOME="$HOMED" XDG_RUNTIME_DIR="$RUND" \
		PATH="$BIN:/usr/sbin:/usr/bin:/sbin:/bin" LC_ALL=C "$@"
}

# Timers run inside the user's shell; bash's EPOCHREALTIME avoids forking date.
# They print "FAILURES START_US END_US".
TIMED='t0=$EPOCHREALTIME; "$@" >/dev/null </dev/null; rc=$?; t1=$EPOCHREALTIME; echo "$rc ${t0/./} ${t1/./}"'
PARALLEL='n=$1; shift; pids=(); t0=$EPOCHREALTIME
for ((i = 0; i < n; i++)); do "$@" >/dev/null </dev/null & pids+=($!); done
f=0; for p in "${pids[@]}"; do wait "$p" || f=$((f + 1)); done
t1=$EPOCHREALTIME; echo "$f ${t0/./} ${t1/./}"'

FAILS=0
FAILED_CMDS=()
ERRSEQ=0

fail() { # fail DESCRIPTION STDERR_FILE
	FAILS=$((FAILS + 1))
	FAILED_CMDS+=("$1")
	{
		printf 'bench: FAILED: %s\n' "$1"
		if [ -s "$2" ]; then sed 's/^/bench:   | /' "$2" | tail -n 20; else echo "bench:   (no stderr)"; fi
	} >&2
	cp "$2" "$LOGD/fail.$FAILS.stderr" 2>/dev/null || true
}

# must CMD...: an untimed step as the user; its failure is reported (and counted).
must() {
	local errf=$LOGD/err.$((ERRSEQ += 1))
	if ! as_user "$@" >/dev/null 2>"$errf" </dev/null; then
		fail "$* (untimed step)" "$errf"
		return 1
	fi
	rm -f "$errf"
}

# capture VAR CMD...: like must, stdout into VAR.
capture() {
	local __v=$1 __out __errf=$LOGD/err.$((ERRSEQ += 1))
	shift
	if ! __out=$(as_user "$@" 2>"$__errf" </dev/null); then
		fail "$*" "$__errf"
		printf -v "$__v" '%s' ""
		return 1
	fi
	rm -f "$__errf"
	printf -v "$__v" '%s' "$__out"
}

declare -A SAMPLES=()

# timed ROW TOOL ARGS...: one timed run of "TOOL ARGS..."; a success adds a sample to ROW.
timed() {
	local row=$1 tool=$2 errf=$LOGD/err.$((ERRSEQ += 1)) out rc t0 t1
	shift 2
	out=$(as_user bash -c "$TIMED" bench "$tool" "$@" 2>"$errf" </dev/null) || true
	read -r rc t0 t1 <<<"$out"
	if [ "${rc:-x}" != 0 ]; then
		fail "$tool $* (exit ${rc:-?})" "$errf"
		return 1
	fi
	rm -f "$errf"
	SAMPLES[$row:$tool]+="$(((t1 - t0)))us "
}

# timed_par ROW TOOL K ARGS...: K parallel "TOOL ARGS..."; the batch's wall time is one sample.
timed_par() {
	local row=$1 tool=$2 k=$3 errf=$LOGD/err.$((ERRSEQ += 1)) out f t0 t1
	shift 3
	out=$(as_user bash -c "$PARALLEL" bench "$k" "$tool" "$@" 2>"$errf" </dev/null) || true
	read -r f t0 t1 <<<"$out"
	if [ "${f:-x}" != 0 ]; then
		fail "$k parallel: $tool $* ($f of $k failed)" "$errf"
		return 1
	fi
	rm -f "$errf"
	SAMPLES[$row:$tool]+="$(((t1 - t0)))us "
}

# timed_sh ROW TOOL SCRIPT: one timed run of "bash -c SCRIPT bench TOOL" (SCRIPT names the
# tool as $1); a success adds a sample to ROW.
timed_sh() {
	local row=$1 tool=$2 script=$3 errf=$LOGD/err.$((ERRSEQ += 1)) out rc t0 t1
	out=$(as_user bash -c "$TIMED" bench bash -c "$script" bench "$tool" 2>"$errf" </dev/null) || true
	read -r rc t0 t1 <<<"$out"
	if [ "${rc:-x}" != 0 ]; then
		fail "$tool: $script (exit ${rc:-?})" "$errf"
		return 1
	fi
	rm -f "$errf"
	SAMPLES[$row:$tool]+="$(((t1 - t0)))us "
}

order() { # order I: the tools in the order of iteration I (alternating)
	if (($1 % 2)); then echo "podman pod"; else echo "pod podman"; fi
}

# pair ROW ARGS...: N interleaved pairs of "pod ARGS..." and "podman ARGS...".
pair() {
	local row=$1 i t
	shift
	for ((i = 0; i < N; i++)); do
		for t in $(order "$i"); do timed "$row" "$t" "$@"; done
	done
}

# ---------------------------------------------------------------- environment
pause_pids() { # the pause processes recorded in the benchmark's runtime dir
	local f
	for f in "$RUND/pod/pause.pid" "$RUND/libpod/tmp/pause.pid"; do
		[ -s "$f" ] && head -n1 "$f"
	done
}

# teardown: remove every container of both tools, then end what is left of this benchmark's
# processes: those of the user that carry this benchmark's XDG_RUNTIME_DIR (pause processes,
# monitors, network helpers). Nothing else of the user is touched.
teardown() {
	[ -d "$HOMED" ] || return 0
	local t p
	for t in "${TOOLS[@]}"; do
		[ -x "$BIN/$t" ] || [ "$t" = podman ] || continue
		timeout 120 runuser -u "$U" -- env -i HOME="$HOMED" XDG_RUNTIME_DIR="$RUND" \
			PATH="$BIN:/usr/sbin:/usr/bin:/sbin:/bin" "$t" rm -af -t 0 >/dev/null 2>&1 </dev/null || true
	done
	for p in /proc/[0-9]*; do
		[ "$(stat -c %u "$p" 2>/dev/null)" = "$UID_U" ] || continue
		tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "XDG_RUNTIME_DIR=$RUND" || continue
		kill -9 "${p#/proc/}" 2>/dev/null || true
	done
	for p in $(pause_pids); do
		[ "$(stat -c %u "/proc/$p" 2>/dev/null)" = "$UID_U" ] && kill -9 "$p" 2>/dev/null
	done
	sleep 0.2
	return 0
}

wipe() {
	teardown
	rm -rf "$BASE" 2>/dev/null || { sleep 1; rm -rf "$BASE"; } || log "warning: could not remove $BASE"
}

finish() {
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		teardown
		log "kept $BASE"
	else
		wipe
	fi
}

log "fresh environment in $BASE for user $U"
wipe
install -d -m 0755 "$BASE" "$BIN"
install -d -m 0700 "$LOGD"
install -d -m 0755 -o "$UID_U" -g "$GID_U" "$HOMED"
install -d -m 0700 -o "$UID_U" -g "$GID_U" "$RUND"
cp --remove-destination "$REPO_ROOT/bin/pod" "$REPO_ROOT/bin/pod-monitor" "$REPO_ROOT/bin/pod-portfwd" "$BIN/"
chmod 0755 "$BIN/pod" "$BIN/pod-monitor" "$BIN/pod-portfwd"
trap finish EXIT
trap 'exit 130' INT TERM

put() { # put REL CONTENT: a file below the user's HOME
	local p=$HOMED/$1
	install -d -m 0755 -o "$UID_U" -g "$GID_U" "$(dirname "$p")" "$(dirname "$(dirname "$p")")"
	printf '%s' "$2" >"$p"
	chown "$UID_U:$GID_U" "$p"
	chmod 0644 "$p"
}
put .config/containers/registries.conf "unqualified-search-registries = [\"docker.io\"]

[[registry]]
prefix = \"docker.io\"
location = \"docker.io\"

[[registry.mirror]]
location = \"$REG\"
insecure = true

[[registry]]
location = \"$REG\"
insecure = true
"
put .config/containers/storage.conf '[storage]
driver = "overlay"
'
# crun 1.8 under podman 4.3 fails on this hybrid-cgroup host; runc on both sides.
put .config/containers/containers.conf '[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
'
put .config/pod/pod.conf 'runtime = "runc"
'

# ---------------------------------------------------------------- warm-up (untimed)
capture POD_VERSION pod version
capture PODMAN_VERSION podman version --format '{{.Client.Version}}'
POD_VERSION=$(awk -F': *' '/^Version/ {print $2; exit}' <<<"$POD_VERSION")
capture PODMAN_STORE podman info --format '{{.Store.GraphDriverName}} {{.Host.OCIRuntime.Name}}'
log "warming up (pull alpine, one run each)"
for t in "${TOOLS[@]}"; do
	must "$t" pull -q alpine
	must "$t" run --rm alpine true
done

# ---------------------------------------------------------------- rows
ROWS=()
declare -A LABEL=() BUDGET=() LIMIT=() GOAL=()
row() { # row KEY LABEL BUDGET_TEXT LIMIT [GOAL]
	ROWS+=("$1")
	LABEL[$1]=$2
	BUDGET[$1]=$3
	LIMIT[$1]=$4
	GOAL[$1]=${5:-}
}
row run "run --rm alpine true (default net)" "<=0.5 (goal 0.25)" 0.5 0.25
row runnone "run --rm --network none alpine true" "<=0.5 (goal 0.25)" 0.5 0.25
row create "create alpine true" "<=0.4" 0.4
row start "start -a (created container)" "<=0.4" 0.4
row rm "rm (exited container)" "<=0.4" 0.4
row exec "exec true (running container)" "<=0.5" 0.5
row ps0 "ps -a (0 containers)" "-" ""
row ps100 "ps -a ($NPS containers)" "<=0.3" 0.3
((NPS1000 > NPS)) && row ps1000 "ps -a ($NPS1000 containers)" "<=0.1" 0.1
row pull "pull alpine (cold)" "<=0.8" 0.8
row pullbig "pull ${BIG##*/} (cold, >= 50 MB)" "<=0.8" 0.8
row push "push alpine (new repository)" "<=0.8" 0.8
row pushbig "push ${BIG##*/} (new repository)" "<=0.8" 0.8
row images "images ($NIMG images)" "<=0.5" 0.5
row saveload "save + load alpine (docker-archive)" "<=0.8" 0.8
if [ "${BENCH_BUILD:-1}" != 0 ]; then
	row buildcold "build 10 steps, 20 MB COPY (no cache)" "<=0.8" 0.8
	row buildcached "build 10 steps, 20 MB COPY (cached)" "<=0.3" 0.3
fi
row runport "run --rm -p 18080:80 alpine true" "<=0.5" 0.5
row tcp "host->container TCP, 1 GiB (time)" "<=1.0" 1.0
row keepid1 "run --userns=keep-id ${BIG##*/} (first)" "<=1.0" 1.0
row keepid2 "run --userns=keep-id ${BIG##*/} (second)" "<=0.5" 0.5
row par "$NPAR parallel run --rm alpine true" "<=0.5" 0.5
row version "version" "pod <=30 ms" ""

log "run --rm alpine true (default network) x$N"
pair run run --rm alpine true
log "run --rm --network none alpine true x$N"
pair runnone run --rm --network none alpine true

log "create / start -a / rm x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do timed create "$t" create --name "bench$i" alpine true; done
	for t in $(order "$i"); do timed start "$t" start -a "bench$i"; done
	for t in $(order "$i"); do timed rm "$t" rm "bench$i"; done
done
for t in "${TOOLS[@]}"; do must "$t" rm -af -t 0; done

log "exec into a running container x$N"
for t in "${TOOLS[@]}"; do must "$t" run -d --name benchexec --network none alpine sleep 1000; done
pair exec exec benchexec true
for t in "${TOOLS[@]}"; do must "$t" rm -af -t 0; done

log "ps -a with 0 and $NPS containers x$N"
pair ps0 ps -a
for t in "${TOOLS[@]}"; do
	must bash -c 'n=$1; shift; for ((i = 0; i < n; i++)); do "$@" --name "ps$i" alpine true >/dev/null || exit 1; done' \
		bench "$NPS" "$t" create
done
pair ps100 ps -a
if ((NPS1000 > NPS)); then
	log "ps -a with $NPS1000 containers x$N"
	for t in "${TOOLS[@]}"; do
		must bash -c 'from=$1 n=$2; shift 2; for ((i = from; i < n; i++)); do "$@" --name "ps$i" alpine true >/dev/null || exit 1; done' \
			bench "$NPS" "$NPS1000" "$t" create
	done
	pair ps1000 ps -a
fi
for t in "${TOOLS[@]}"; do must "$t" rm -af -t 0; done
# Removing thousands of containers leaves writeback (and, on -o discard, discards) behind:
# let it settle before the rows that create files. (On ext4 without a journal the freed
# inodes also slow down file creation in their block groups for a while, whatever the tool:
# docs/design.md, "Where a cold pull spends its time".)
sync
sleep 3

log "cold pull alpine x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		must "$t" rmi alpine && timed pull "$t" pull -q alpine
	done
done
for t in "${TOOLS[@]}"; do as_user "$t" image inspect alpine >/dev/null 2>&1 </dev/null || must "$t" pull -q alpine; done

log "cold pull $BIG x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		as_user "$t" rmi -f "$BIG" >/dev/null 2>&1 </dev/null
		timed pullbig "$t" pull -q "$BIG"
	done
done

log "push alpine and ${BIG##*/} to new repositories x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		timed push "$t" push -q alpine "$REG/bench-$t/alpine$i:latest"
		timed pushbig "$t" push -q "$BIG" "$REG/bench-$t/big$i:latest"
	done
done

log "save + load alpine x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		timed_sh saveload "$t" 'f=$HOME/save-$1.tar; rm -f "$f"; "$1" save -q -o "$f" alpine && "$1" load -q -i "$f"'
	done
done

# ---------------------------------------------------------------- build
# A 10-step Containerfile (FROM alpine, RUNs, a COPY of a 20 MB context, metadata); the context
# is generated deterministically (openssl's AES-CTR stream of a fixed key), the same for both.
if [ "${BENCH_BUILD:-1}" != 0 ]; then
	log "build: 10 steps, 20 MB context, without and with the cache x$N"
	BCTX=$HOMED/buildctx
	install -d -m 0755 -o "$UID_U" -g "$GID_U" "$BCTX" "$BCTX/data"
	for ((i = 0; i < 20; i++)); do
		openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv "$(printf '%032x' "$i")" </dev/zero 2>/dev/null |
			head -c 1048576 >"$BCTX/data/f$i.bin"
	done
	printf '%s\n' 'FROM alpine' 'ENV APP=/app' 'WORKDIR /app' 'RUN echo one > /one' 'COPY data/ /app/data/' \
		'RUN ls /app/data | wc -l > /count' 'RUN cat /one /count > /both' 'LABEL bench=build' 'EXPOSE 8080' \
		'CMD ["cat", "/both"]' >"$BCTX/Containerfile"
	chown -R "$UID_U:$GID_U" "$BCTX"
	for t in "${TOOLS[@]}"; do must "$t" build -q -t benchbuild "$BCTX"; done
	for ((i = 0; i < N; i++)); do
		for t in $(order "$i"); do timed buildcold "$t" build -q --no-cache -t benchbuild "$BCTX"; done
		for t in $(order "$i"); do timed buildcached "$t" build -q -t benchbuild "$BCTX"; done
	done
	for t in "${TOOLS[@]}"; do must "$t" rmi -f benchbuild && must "$t" image prune -f; done
fi

log "images with $NIMG images x$N"
for t in "${TOOLS[@]}"; do
	# NIMG distinct one-layer images, each from its own small tarball.
	must bash -c 'n=$1 t=$2 d=$HOME/imgs; mkdir -p "$d"
		for ((i = 0; i < n; i++)); do
			echo "$i" >"$d/f" && tar -C "$d" -cf "$d/i.tar" f && "$t" import -q "$d/i.tar" "bench/img$i:latest" >/dev/null || exit 1
		done' bench "$NIMG" "$t"
done
pair images images
for t in "${TOOLS[@]}"; do
	must bash -c 'n=$1 t=$2; for ((i = 0; i < n; i++)); do "$t" rmi "bench/img$i:latest" >/dev/null || exit 1; done' bench "$NIMG" "$t"
done

log "published port: run --rm -p x$N"
pair runport run --rm -p 18080:80 alpine true

log "host->container TCP throughput (1 GiB through the published port) x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		# A port per tool and iteration: a forwarder of the previous run may still hold its port
		# for a moment after rm returns.
		port=$((18100 + 2 * i + ($([ "$t" = pod ] && echo 0 || echo 1))))
		capture cid "$t" run -d -p "$port:80" alpine sh -c 'while :; do nc -l -p 80 >/dev/null; done' || continue
		sleep 1
		timed_sh tcp "$t" "head -c 1073741824 /dev/zero >/dev/tcp/127.0.0.1/$port"
		must "$t" rm -f -t 0 "$cid"
	done
done

log "run --userns=keep-id ${BIG##*/}: first (new id mapping) and second run x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do
		as_user "$t" rmi -f "$BIG" >/dev/null 2>&1 </dev/null
		must "$t" pull -q "$BIG"
		timed keepid1 "$t" run --rm --userns=keep-id "$BIG" true
		timed keepid2 "$t" run --rm --userns=keep-id "$BIG" true
	done
done

log "$NPAR parallel run --rm alpine true x$N"
for ((i = 0; i < N; i++)); do
	for t in $(order "$i"); do timed_par par "$t" "$NPAR" run --rm alpine true; done
done
for t in "${TOOLS[@]}"; do must "$t" rm -af -t 0; done

log "version x$N"
pair version version

# ---------------------------------------------------------------- parallel check
log "$NCHECK parallel pod run --rm alpine true"
errf=$LOGD/err.check
out=$(as_user bash -c "$PARALLEL" bench "$NCHECK" pod run --rm alpine true 2>"$errf" </dev/null) || true
read -r cfail c0 c1 <<<"$out"
cfail=${cfail:-$NCHECK}
CHECK_OK=$((NCHECK - cfail))
[ "$cfail" = 0 ] || fail "$NCHECK parallel: pod run --rm alpine true ($cfail of $NCHECK failed)" "$errf"
CHECK_TIME=$(awk -v a="${c0:-0}" -v b="${c1:-0}" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
capture left pod ps -a -q
LEFT=$(grep -c . <<<"$left")
if [ "$LEFT" != 0 ]; then
	printf '%s\n' "$left" >"$errf"
	fail "pod ps -a -q after $NCHECK parallel run --rm: $LEFT containers left" "$errf"
fi
must pod rm -af -t 0

# ---------------------------------------------------------------- monitor memory
# mem_of NAME CID: "RSS_KB PSS_KB NETWORK" of the process whose argv[0] is NAME (by base name: comm is
# not reliable, a re-executed pod-monitor shows as "exe") and whose command line names CID.
mem_of() {
	local p args net
	for p in /proc/[0-9]*; do
		[ "$(stat -c %u "$p" 2>/dev/null)" = "$UID_U" ] || continue
		args=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		[ "$(basename -- "${args%% *}" 2>/dev/null)" = "$1" ] || continue
		[[ $args == *"$2"* ]] || continue
		net=-
		[[ $args =~ --network\ ([^ ]+) ]] && net=${BASH_REMATCH[1]}
		awk -v net="$net" '/^Rss:/ {r = $2} /^Pss:/ {p = $2} END { print r, p, net }' "$p/smaps_rollup" 2>/dev/null
		return 0
	done
	return 1
}
declare -A MEM=()
POD_NET="pasta (default)"
for t in "${TOOLS[@]}"; do
	if [ "$t" = pod ]; then comm=pod-monitor; else comm=conmon; fi
	log "$comm memory with $NMON running containers"
	cids=()
	for ((i = 0; i < NMON; i++)); do
		capture cid "$t" run -d alpine sleep 1000 && cids+=("$cid")
	done
	sleep 1
	sum_r=0 sum_p=0 n=0
	for cid in "${cids[@]}"; do
		if m=$(mem_of "$comm" "$cid"); then
			read -r r p net <<<"$m"
			[ "$t" = pod ] && [ "$net" != - ] && POD_NET=$net
			sum_r=$((sum_r + r)) sum_p=$((sum_p + p)) n=$((n + 1))
		else
			printf 'no %s process found for container %s\n' "$comm" "$cid" >"$LOGD/err.mem"
			fail "$t run -d alpine sleep 1000: $comm not found" "$LOGD/err.mem"
		fi
	done
	if ((n > 0)); then
		MEM[$t]=$(awk -v r=$sum_r -v p=$sum_p -v n=$n 'BEGIN { printf "%.2f %.2f %d", r / n / 1024, p / n / 1024, n }')
	fi
	must "$t" rm -af -t 0
done

# ---------------------------------------------------------------- report
median() { # median of "123us 456us ..." in seconds
	tr ' ' '\n' <<<"${1//us/}" | grep . | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit; m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f", m / 1e6 }'
}
count() { tr ' ' '\n' <<<"$1" | grep -c .; }

T_END=$EPOCHREALTIME
echo
echo "pod benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N pairs (median), user $U, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "pod ${POD_VERSION:-?} (runc, overlay, default network $POD_NET) vs podman ${PODMAN_VERSION:-?} (${PODMAN_STORE:-?}, cgroupfs, default network slirp4netns)"
echo "runc $(runc --version 2>/dev/null | awk 'NR == 1 {print $3}'), kernel $(uname -r), registry $REG"
echo
fmt='%-40s %9s %11s %8s  %-18s %s\n'
printf "$fmt" benchmark "pod (s)" "podman (s)" ratio budget verdict
printf "$fmt" "----------------------------------------" "-------" "---------" "-----" "------------------" "-------"
for k in "${ROWS[@]}"; do
	a=$(median "${SAMPLES[$k:pod]:-}")
	b=$(median "${SAMPLES[$k:podman]:-}")
	na=$(count "${SAMPLES[$k:pod]:-}")
	nb=$(count "${SAMPLES[$k:podman]:-}")
	ratio=- verdict=
	if [ -n "$a" ] && [ -n "$b" ]; then
		ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	fi
	if [ "$k" = version ] && [ -n "$a" ]; then
		verdict=$(awk -v a="$a" 'BEGIN { printf "%s (%.0f ms)", (a <= 0.030) ? "ok" : "OVER", a * 1000 }')
	elif [ -n "${LIMIT[$k]}" ] && [ "$ratio" != - ]; then
		verdict=$(awk -v r="$ratio" -v l="${LIMIT[$k]}" -v g="${GOAL[$k]}" \
			'BEGIN { if (g != "" && r <= g) print "ok (goal)"; else if (r <= l) print "ok"; else print "OVER" }')
	fi
	[ "$na" = "$N" ] && [ "$nb" = "$N" ] || verdict="$verdict [samples: pod $na, podman $nb of $N]"
	printf "$fmt" "${LABEL[$k]}" "${a:-ERR}" "${b:-ERR}" "$ratio" "${BUDGET[$k]}" "$verdict"
done
if ((NPS1000 > NPS)); then
	# The cost of one listed container: (ps -a at NPS1000 - ps -a at 0) / NPS1000.
	pc() { awk -v a="$(median "${SAMPLES[ps1000:$1]:-}")" -v b="$(median "${SAMPLES[ps0:$1]:-}")" -v n="$NPS1000" \
		'BEGIN { if (a == "" || b == "") print "-"; else printf "%.1f", (a - b) * 1e6 / n }'; }
	a=$(pc pod) b=$(pc podman)
	v=$(awk -v a="$a" 'BEGIN { if (a == "-") print ""; else print (a <= 20) ? "ok" : "OVER" }')
	printf "$fmt" "ps -a cost per container (us)" "$a" "$b" - "pod <=20 us" "$v"
fi
echo
if [ "$CHECK_OK" = "$NCHECK" ] && [ "$LEFT" = 0 ]; then cv=ok; else cv=FAILED; fi
printf '%d parallel pod run --rm alpine true: %d/%d succeeded in %ss, pod ps -a -q afterwards: %s  -> %s\n' \
	"$NCHECK" "$CHECK_OK" "$NCHECK" "$CHECK_TIME" "$([ "$LEFT" = 0 ] && echo empty || echo "$LEFT left")" "$cv"
echo
mfmt='%-40s %8s %8s  %s\n'
printf "$mfmt" "monitor memory ($NMON containers running)" "RSS MB" "PSS MB" "budget / reference"
for t in "${TOOLS[@]}"; do
	read -r r p n <<<"${MEM[$t]:-- - 0}"
	if [ "$t" = pod ]; then
		v=
		[ "$r" != - ] && v=$(awk -v r="$r" -v p="$p" 'BEGIN { printf "  -> %s", (r <= 3.5 && p <= 1.5) ? "ok" : "OVER" }')
		printf "$mfmt" "pod-monitor (avg of $n)" "$r" "$p" "<=3.5 RSS, <=1.5 PSS$v"
	else
		printf "$mfmt" "podman conmon (avg of $n)" "$r" "$p" "reference 2.4 / 0.5"
	fi
done
echo
printf 'took %.0f s; ratios below 1 mean pod is faster; only paired ratios compare (absolute times vary with load)\n' \
	"$(awk -v a="${T_START/./}" -v b="${T_END/./}" 'BEGIN { print (b - a) / 1e6 }')"

if ((FAILS > 0)); then
	echo
	echo "$FAILS command(s) failed (stderr in the log above):"
	printf '  %s\n' "${FAILED_CMDS[@]}"
	exit 1
fi
exit 0
