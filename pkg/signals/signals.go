package signals

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"github.com/pod-engine/pod/libpod/define"
)

// Real-time signal range as seen by programs linked with common C libraries.
const (
	sigRTMin = 34
	sigRTMax = 64
)

// signalNames returns the signal names Parse accepts, without "SIG".
func signalNames() map[string]syscall.Signal {
	return map[string]syscall.Signal{
		"ABRT":   syscall.SIGABRT,
		"ALRM":   syscall.SIGALRM,
		"BUS":    syscall.SIGBUS,
		"CHLD":   syscall.SIGCHLD,
		"CLD":    syscall.SIGCLD,
		"CONT":   syscall.SIGCONT,
		"FPE":    syscall.SIGFPE,
		"HUP":    syscall.SIGHUP,
		"ILL":    syscall.SIGILL,
		"INT":    syscall.SIGINT,
		"IO":     syscall.SIGIO,
		"IOT":    syscall.SIGIOT,
		"KILL":   syscall.SIGKILL,
		"PIPE":   syscall.SIGPIPE,
		"POLL":   syscall.SIGPOLL,
		"PROF":   syscall.SIGPROF,
		"PWR":    syscall.SIGPWR,
		"QUIT":   syscall.SIGQUIT,
		"SEGV":   syscall.SIGSEGV,
		"STKFLT": syscall.SIGSTKFLT,
		"STOP":   syscall.SIGSTOP,
		"SYS":    syscall.SIGSYS,
		"TERM":   syscall.SIGTERM,
		"TRAP":   syscall.SIGTRAP,
		"TSTP":   syscall.SIGTSTP,
		"TTIN":   syscall.SIGTTIN,
		"TTOU":   syscall.SIGTTOU,
		"URG":    syscall.SIGURG,
		"USR1":   syscall.SIGUSR1,
		"USR2":   syscall.SIGUSR2,
		"VTALRM": syscall.SIGVTALRM,
		"WINCH":  syscall.SIGWINCH,
		"XCPU":   syscall.SIGXCPU,
		"XFSZ":   syscall.SIGXFSZ,
	}
}

// Parse parses a signal given by name or number, case-insensitively
// and with or without the "SIG" prefix: "TERM", "SIGTERM", "sigkill", "15",
// "RTMIN", "RTMIN+3", "SIGRTMAX-2". Unknown signals are errors wrapping
// define.ErrInvalidArg.
func Parse(s string) (syscall.Signal, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, fmt.Errorf("invalid signal: empty name: %w", define.ErrInvalidArg)
	}
	if n, err := strconv.Atoi(in); err == nil {
		if n < 1 || n > sigRTMax {
			return 0, fmt.Errorf("invalid signal number %d: must be between 1 and %d: %w", n, sigRTMax, define.ErrInvalidArg)
		}
		return syscall.Signal(n), nil
	}
	name := strings.ToUpper(in)
	name = strings.TrimPrefix(name, "SIG")
	if sig, ok := signalNames()[name]; ok {
		return sig, nil
	}
	if sig, ok := parseRTSignal(name); ok {
		return sig, nil
	}
	return 0, fmt.Errorf("invalid signal %q: %w", s, define.ErrInvalidArg)
}

// parseRTSignal parses RTMIN, RTMIN+n, RTMAX and RTMAX-n.
func parseRTSignal(name string) (syscall.Signal, bool) {
	base, sign, rest := 0, 0, ""
	switch {
	case strings.HasPrefix(name, "RTMIN"):
		base, sign, rest = sigRTMin, 1, name[len("RTMIN"):]
	case strings.HasPrefix(name, "RTMAX"):
		base, sign, rest = sigRTMax, -1, name[len("RTMAX"):]
	default:
		return 0, false
	}
	if rest == "" {
		return syscall.Signal(base), true
	}
	op := "+"
	if sign < 0 {
		op = "-"
	}
	digits, ok := strings.CutPrefix(rest, op)
	if !ok || digits == "" {
		return 0, false
	}
	off, err := strconv.Atoi(digits)
	if err != nil || off < 0 {
		return 0, false
	}
	n := base + sign*off
	if n < sigRTMin || n > sigRTMax {
		return 0, false
	}
	return syscall.Signal(n), true
}
