package userns

/*
#include <stdlib.h>
const char *pod_userns_getenv(const char *name);
int pod_skip_command_for_test(int argc, char **argv);
*/
import "C"

import (
	"os"
	"unsafe"
)

// cgetenv reads libc's environment, which the C constructor may have changed
// after the Go runtime copied its own view.
func cgetenv(name string) string {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	v := C.pod_userns_getenv(cs)
	if v == nil {
		return ""
	}
	return C.GoString(v)
}

// envNames are the variables the constructor sets when it joins.
var envNames = [...]string{
	"_POD_USERNS_CONFIGURED", "_POD_ROOTLESS_UID", "_POD_ROOTLESS_GID",
	"_CONTAINERS_USERNS_CONFIGURED", "_CONTAINERS_ROOTLESS_UID", "_CONTAINERS_ROOTLESS_GID",
}

// SyncEnv copies what the constructor set into Go's environment, so that
// os.Getenv and child processes see it. Call it first thing in main.
func SyncEnv() {
	for _, n := range envNames {
		if v := cgetenv(n); v != "" && os.Getenv(n) != v {
			os.Setenv(n, v)
		}
	}
	if cgetenv("_POD_JOIN_PID") == "" {
		os.Unsetenv("_POD_JOIN_PID")
	}
}

// skipCommand runs the constructor's argv pre-parser on args (args[0] is the
// program name) and reports whether it leaves the namespace alone.
func skipCommand(args []string) bool {
	argv := make([]*C.char, len(args)+1)
	for i, a := range args {
		argv[i] = C.CString(a)
		defer C.free(unsafe.Pointer(argv[i]))
	}
	return C.pod_skip_command_for_test(C.int(len(args)), &argv[0]) != 0
}
