// Package signals parses signal names and numbers as pod's command line
// accepts them (--signal, --stop-signal, an image's STOPSIGNAL): "TERM",
// "SIGTERM", "term", "15", "RTMIN+3". It imports only the standard library
// and libpod/define, whose ErrInvalidArg its errors wrap.
package signals
