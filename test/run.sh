#!/usr/bin/env bash
# Runs all of pod's tests on this machine, as root:
#   1. test/setup.sh   host packages, test users, local registry seeded from test/testdata
#   2. make build      bin/pod, bin/pod-monitor and bin/pod-portfwd
#   3. unit tests      go test ./... (everything but test/e2e)
#   4. end-to-end      POD_E2E=1 go test ./test/e2e, running bin/pod as the unprivileged user podtest
# Exits non-zero if any step fails; the last line is "summary: N passed, N failed, N skipped".
#
# Environment: POD_E2E_RUN=REGEX runs only matching end-to-end tests; POD_E2E_BINARY=podman
# runs the end-to-end tests against podman instead (checks the tests, not pod);
# POD_TEST_SKIP_UNIT=1 skips the unit tests.
set -uo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

. "$REPO_ROOT/test/env.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "run.sh: must run as root (it creates the test user and runs the tests as that user): sudo bash test/run.sh" >&2
	exit 1
fi

LOGDIR=$(mktemp -d /tmp/pod-test-logs.XXXXXX)
failures=()
step() { printf '\n==== %s\n' "$*"; }

# Stop the registry at the end only if this run started it.
REG_ADDR=${POD_TEST_REGISTRY_ADDR:-127.0.0.1:5000}
registry_was_up=0
curl -fsS -m 3 -o /dev/null "http://$REG_ADDR/v2/" 2>/dev/null && registry_was_up=1
cleanup() {
	if [ "$registry_was_up" = 0 ] && [ "${POD_TEST_KEEP_REGISTRY:-0}" != 1 ]; then
		bash "$REPO_ROOT/test/setup.sh" stop-registry || true
	fi
}
trap cleanup EXIT

step "setup"
if ! bash test/setup.sh; then
	echo "run.sh: test/setup.sh failed" >&2
	echo "summary: 0 passed, 1 failed"
	exit 1
fi

built=1
if [ -z "${POD_E2E_BINARY:-}" ]; then
	step "make build"
	if ! make build; then
		failures+=("make build")
		built=0
	fi
fi

# count_results LOG prints "PASSED FAILED SKIPPED" counted from go test -v output (subtests included).
count_results() {
	local p f s
	p=$(grep -cE '^\s*--- PASS: ' "$1" || true)
	f=$(grep -cE '^\s*--- FAIL: ' "$1" || true)
	s=$(grep -cE '^\s*--- SKIP: ' "$1" || true)
	echo "$p $f $s"
}
passed=0 failed=0 skipped=0
add_counts() {
	local p f s
	read -r p f s < <(count_results "$1")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

if [ "${POD_TEST_SKIP_UNIT:-0}" != 1 ] && [ -z "${POD_E2E_BINARY:-}" ]; then
	step "unit tests"
	if pkgs=$(go list ./... 2>"$LOGDIR/list.err" | grep -v '/test/e2e$'); then
		# shellcheck disable=SC2086
		go test -v -count=1 -timeout 20m $pkgs 2>&1 | tee "$LOGDIR/unit.log"
		rc=${PIPESTATUS[0]}
		add_counts "$LOGDIR/unit.log"
		[ "$rc" -eq 0 ] || failures+=("unit tests (exit $rc)")
	else
		cat "$LOGDIR/list.err" >&2
		failures+=("go list ./...")
	fi
fi

if [ "$built" = 1 ]; then
	step "end-to-end tests"
	run_args=()
	[ -n "${POD_E2E_RUN:-}" ] && run_args=(-run "$POD_E2E_RUN")
	POD_E2E=1 go test -v -count=1 -timeout 30m "${run_args[@]}" ./test/e2e 2>&1 | tee "$LOGDIR/e2e.log"
	rc=${PIPESTATUS[0]}
	add_counts "$LOGDIR/e2e.log"
	[ "$rc" -eq 0 ] || failures+=("end-to-end tests (exit $rc)")
else
	echo "run.sh: skipping the end-to-end tests: the build failed" >&2
fi

step "result"
echo "logs: $LOGDIR"
if [ ${#failures[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failures[@]}"
	# A failed step with no failed test (build, compile error) still counts as one failure.
	[ "$failed" -eq 0 ] && failed=1
	echo "summary: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi
echo "summary: $passed passed, $failed failed, $skipped skipped"
