package main

import (
	"os"

	"github.com/pod-engine/pod/pkg/cmd/root"
)

func main() { os.Exit(root.Main()) }
