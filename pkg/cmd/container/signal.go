package container

import (
	"syscall"

	"github.com/pod-engine/pod/pkg/spec"
)

func parseSignal(s string) (syscall.Signal, error) { return spec.ParseSignal(s) }
