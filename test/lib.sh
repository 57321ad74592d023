# Shell functions shared by the test setup scripts (sourced, not run). The caller defines
# log MESSAGE and die MESSAGE.

# stop_registry_in DIR WHAT stops the docker-registry whose pid DIR/registry.pid holds, if it
# is still that registry, and removes the pid file. WHAT names it in the log.
stop_registry_in() {
	local dir=$1 what=$2
	local pidfile=$dir/registry.pid
	if [ -s "$pidfile" ]; then
		local pid
		pid=$(head -n1 "$pidfile")
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
			grep -qa docker-registry "/proc/$pid/cmdline" 2>/dev/null; then
			kill "$pid" || true
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			log "stopped $what (pid $pid)"
		fi
		rm -f "$pidfile"
	fi
}

# start_registry_in DIR ADDR WHAT UP starts docker-registry with DIR/config.yml (log in
# DIR/registry.log, pid in DIR/registry.pid) and waits up to 10 seconds for the command UP
# to succeed; it dies with the log's tail when it does not.
start_registry_in() {
	local dir=$1 addr=$2 what=$3 up=$4
	log "starting $what on $addr (log: $dir/registry.log)"
	setsid docker-registry serve "$dir/config.yml" </dev/null >>"$dir/registry.log" 2>&1 &
	echo $! >"$dir/registry.pid"
	for _ in $(seq 100); do
		"$up" && break
		kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
		sleep 0.1
	done
	if ! "$up"; then
		tail -n 20 "$dir/registry.log" >&2 || true
		die "$what did not come up on $addr"
	fi
}
