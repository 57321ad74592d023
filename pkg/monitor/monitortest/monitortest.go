// Package monitortest holds what tests of the monitor protocol share: a
// fake OCI runtime in the shell and a cleanup command that records its
// arguments. It is imported only by tests.
package monitortest

// FakeRuntime emulates an OCI runtime in the shell. create forks the
// container (the shell command in BUNDLE/cmd, under `unshare -n` when
// BUNDLE/netns exists) which waits on a fifo until start; BUNDLE/fail-create
// makes create fail with that message. Every call is appended to DIR/argv.
const FakeRuntime = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/argv"
root=/nonexistent log=/dev/null
while [ $# -gt 0 ]; do
	case "$1" in
	--root) root=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--log-format) shift 2 ;;
	--*) shift ;;
	*) break ;;
	esac
done
cmd=$1; shift
mkdir -p "$root"
case "$cmd" in
create|run)
	bundle= pidfile=
	while [ $# -gt 1 ]; do
		case "$1" in
		--bundle) bundle=$2; shift 2 ;;
		--pid-file) pidfile=$2; shift 2 ;;
		*) shift ;;
		esac
	done
	id=$1
	if [ -f "$bundle/fail-create" ]; then
		printf '{"msg":"%s","level":"error","time":"x"}\n' "$(cat "$bundle/fail-create")" >> "$log"
		echo "this goes to the container's stderr" >&2
		exit 1
	fi
	rm -f "$root/$id.fifo"
	mkfifo "$root/$id.fifo"
	wrap=
	[ -f "$bundle/netns" ] && wrap="unshare -n"
	# In a subshell, so that the container is re-parented to the monitor at
	# once and this script can never reap it (as a real runtime).
	(
	exec 3<&0
	$wrap sh -c 'read go < "$1"; exec sh -c "$2"' fake "$root/$id.fifo" "$(cat "$bundle/cmd")" <&3 3<&- &
	echo $! > "$pidfile"
	echo $! > "$root/$id.pid"
	)
	[ "$cmd" = run ] && echo go > "$root/$id.fifo"
	;;
start)
	[ -f "$root/$1.pid" ] || { echo "container does not exist" >&2; exit 1; }
	echo go > "$root/$1.fifo"
	;;
kill)
	kill -"$2" "$(cat "$root/$1.pid")"
	;;
delete)
	[ "$1" = --force ] && shift && kill -9 "$(cat "$root/$1.pid" 2>/dev/null)" 2>/dev/null
	[ -f "$root/$1.pid" ] || { echo "container does not exist" >&2; exit 1; }
	rm -f "$root/$1.pid" "$root/$1.fifo"
	;;
esac
exit 0
`

// CleanupScript records that the cleanup command ran.
const CleanupScript = `#!/bin/sh
echo "$@" > "$(dirname "$0")/cleanup-ran"
`
