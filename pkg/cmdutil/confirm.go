package cmdutil

import (
	"bufio"
	"fmt"
	"strings"
)

// Confirm prints warning and the question "Are you sure you want to
// continue? [y/N] " on stdout and reads one line from stdin: only "y" or
// "yes" (any case) confirms; an empty or closed stdin declines.
func (s *IOStreams) Confirm(warning string) bool {
	fmt.Fprint(s.Out, warning+"\nAre you sure you want to continue? [y/N] ")
	line, _ := bufio.NewReader(s.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
