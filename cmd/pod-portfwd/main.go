// Command pod-portfwd is the port forwarder a container's monitor runs for
// its published ports (libpod/portfwd).
package main

import (
	"os"

	"github.com/pod-engine/pod/libpod/portfwd"
)

func main() { os.Exit(portfwd.Main(os.Args[1:], os.Stderr)) }
