// Package doctor checks the host's rootless prerequisites for pod
// (`pod system doctor`) and compares the pause process's id maps with the
// user's subordinate ids (`pod system migrate`).
//
// It never enters pod's user namespace: what it diagnoses is whether that
// namespace can be created at all. Every check reads the machine through a
// Host, whose fields are the few system calls it needs; System returns the
// real one and tests use fakes (a fake /etc/subuid, fake stat results).
// The checks are pure functions of the Host and of the Config the command
// read with libpod.LoadConfig.
//
// The package imports only the standard library, x/sys, userns, pkg/procfs,
// pkg/ociruntime and pkg/monitor/protocol: never cobra, the storage library
// or libpod (test/layering).
package doctor
