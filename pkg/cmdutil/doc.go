// Package cmdutil holds what every pod command shares: the lazy Factory
// (which enters the user namespace and opens the engine only when a command
// asks for it), the IOStreams, and the mapping of errors to exit codes.
package cmdutil
