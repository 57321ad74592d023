// Package root builds the pod command tree (every noun and verb added
// explicitly) and runs it, mapping the outcome to the process exit code. It
// also renders from that tree the lists the user namespace's argv pre-parser
// works with (userns/preparse.h).
package root
