// Package root builds the pod command tree (every noun and verb added
// explicitly) and runs it, mapping the outcome to the process exit code.
package root
