// Package protocol is the contract between the pod CLI and pod-monitor, and
// the one place where each of its facts is written down: the monitor's
// options with their command line and environment (Options, Args, Env,
// Parse), the JSON records of the sync and ctl pipes and their type names,
// the exit file, the exit codes pod shares with podman and the shell, and
// the network modes the monitor drives.
//
// Both sides import it: libpod to start a monitor and read what it reports,
// pkg/monitor to parse its options and report. It imports only the standard
// library, so the monitor stays small.
package protocol
