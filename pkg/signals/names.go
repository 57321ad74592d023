package signals

import (
	"sort"
	"strconv"
)

// Names lists the signals Parse accepts by name, "SIG" prefixed, in
// number order (aliases after their signal), then SIGRTMIN+1 … SIGRTMAX:
// what the shell completes for --signal.
func Names() []string {
	m := signalNames()
	out := make([]string, 0, len(m)+sigRTMax-sigRTMin+1)
	for n := range m {
		out = append(out, "SIG"+n)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := m[out[i][3:]], m[out[j][3:]]
		if a != b {
			return a < b
		}
		return out[i] < out[j]
	})
	out = append(out, "SIGRTMIN")
	for n := 1; n < sigRTMax-sigRTMin; n++ {
		out = append(out, "SIGRTMIN+"+strconv.Itoa(n))
	}
	return append(out, "SIGRTMAX")
}
