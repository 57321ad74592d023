// Package ps owns the ps-style view of a container's processes that `pod
// top` prints: which processes share a pid namespace, what /proc says of
// each (stat, status, cmdline, attr/current), and the descriptors podman's
// top (psgo) knows, with their headers and value formats ("user", "pid",
// "%C", "capeff", "huser"...).
//
// Reading is separate from formatting: Read and List take the /proc
// directory, so the formatting is tested on fixed data. The package is a
// leaf: it imports only the standard library, pkg/procfs and libpod/define.
package ps
