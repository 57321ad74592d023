// Package report owns the presentation helpers shared by the listing and
// inspection commands (ps, images, inspect, info, volume ls, ...):
//
//   - human-readable durations, ages, sizes and container status words;
//   - normalisation of user --format strings ("json", "table " prefix,
//     escaped \t and \n) and the template function set;
//   - Writer, which renders rows through a Go template, aligning table
//     output with a tab writer and deriving the header row from the
//     template's fields;
//   - JSON output with the indentation used for list and inspect output.
//
// The package is pure: it performs no I/O other than writing to the
// io.Writer it is given and reads no global configuration.
package report
