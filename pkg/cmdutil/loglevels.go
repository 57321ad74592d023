package cmdutil

// LogLevels returns the accepted --log-level values, in the order the
// help, the error and the shell completion list them.
func LogLevels() []string {
	return []string{"trace", "debug", "info", "warn", "warning", "error", "fatal", "panic"}
}
