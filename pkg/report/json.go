package report

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
)

// Indentation of JSON output: list commands (ps, images, volume ls, info)
// indent by two spaces, inspect commands by five.
const (
	listIndent    = "  "
	inspectIndent = "     "
)

// WriteJSON writes v as JSON indented by two spaces, as list commands
// print --format json, followed by a newline. <, > and & are escaped as
// \u003c, \u003e and \u0026. A nil slice or nil v prints "[]".
func WriteJSON(w io.Writer, v any) error {
	return writeJSON(w, v, listIndent, true)
}

// WriteInspectJSON writes v as JSON indented by five spaces, as inspect
// commands print their result, followed by a newline. HTML characters are
// written as they are. A nil slice or nil v prints "[]".
func WriteInspectJSON(w io.Writer, v any) error {
	return writeJSON(w, v, inspectIndent, false)
}

func writeJSON(w io.Writer, v any, indent string, escapeHTML bool) error {
	if isNilList(v) {
		if _, err := io.WriteString(w, "[]\n"); err != nil {
			return fmt.Errorf("writing JSON output: %w", err)
		}
		return nil
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON output: %w", err)
	}
	return nil
}

// isNilList reports whether v is nil or a nil slice.
func isNilList(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Slice && rv.IsNil()
}
