// Command pod-monitor is the per-container monitor process started by pod.
package main

import (
	"os"

	"github.com/pod-engine/pod/pkg/monitor"
)

func main() { os.Exit(monitor.Run(os.Args[1:])) }
