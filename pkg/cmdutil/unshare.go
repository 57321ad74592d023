package cmdutil

import "fmt"

// RequireUnshare refuses command (its path, e.g. "pod mount") unless
// inNamespace reports that pod runs inside `pod unshare`: the verbs that
// print mount points print paths only pod's mount namespace sees.
func RequireUnshare(inNamespace func() bool, command string) error {
	if !inNamespace() {
		return fmt.Errorf("cannot run command %q in rootless mode, must execute `pod unshare` first", command)
	}
	return nil
}
