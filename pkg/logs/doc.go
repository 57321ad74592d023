// Package logs owns reading container logs stored in the k8s-file format,
// one record per line:
//
//	2026-11-23T10:11:12.123456789+00:00 stdout F hello
//
// A record is a timestamp (RFC 3339 with nine fractional digits), the
// stream (stdout or stderr), a tag (F for a record that ends a line, P for
// a partial chunk continued by the following records of the stream) and
// the text. The package parses records, prints a log file with the
// options of the logs command (tail, since, until, timestamps, follow)
// and parses the --since/--until time arguments. A log its writer rotates
// (LOG.1 the newest kept file, LOG.2 the one before...) is read as one log,
// oldest file first, also while following (rotated.go). Writing the log
// file is not part of this package.
package logs
