// Package procfs owns the facts pod reads from /proc about the machine and
// its processes: the boot id, and a process's start time and liveness. A
// pid together with its start time names one process across pid reuse, and
// the boot id tells whether a recorded pid belongs to the current boot.
//
// The package is a leaf: it imports only the standard library.
package procfs
