// Package userns owns the rootless user namespace: parsing /etc/subuid and
// /etc/subgid, mapping ids with newuidmap/newgidmap, the per-user pause
// process that keeps the user and mount namespaces alive, and joining them.
//
// Joining must happen before the Go runtime starts threads (setns into a user
// namespace is refused to multithreaded processes), so a C constructor in
// join.c runs first in every pod process: it joins the pause process named in
// the pause pid file (or the process in _POD_JOIN_PID) and records the fact in
// the environment. When no pause process is alive, Enter creates one and
// re-executes the current command, which the constructor then joins.
//
// The package stays small: it imports only the standard library, x/sys and
// pkg/procfs.
package userns
