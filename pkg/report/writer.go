package report

import (
	"fmt"
	"io"
	"reflect"
	"text/tabwriter"
	"text/template"
)

// Tab writer settings of table output: cells are padded to at least 12
// columns and separated by at least two spaces.
const (
	tableMinWidth = 12
	tableTabWidth = 2
	tablePadding  = 2
)

// Writer renders rows of any type through a user or built-in --format
// string.
//
// With a "table " format the output goes through a tab writer (minimum
// cell width 12, two spaces of padding) and a header row precedes the
// rows. The header row is the same template rendered with a map from
// field name to header text: HeaderText of every field and niladic method
// of the row type, replaced by the entries of Headers. So for
// "table {{.ID}}\t{{.Names}}" with Headers {"ID": "CONTAINER ID"} the
// header is "CONTAINER ID  NAMES".
//
// Other formats are written as they are, once per row, unless the format
// contains its own {{range .}} ... {{end}}, in which case it is executed
// once with the whole list. With a JSON format (see NormalizeFormat) Write
// prints the rows with WriteJSON instead.
//
// Call Flush when done, also after an error, to emit buffered table
// output.
type Writer struct {
	// Headers maps field names to header text, overriding the default
	// derived from the field name. Values are upper-cased.
	Headers map[string]string
	// NoHeading suppresses the header row of table formats.
	NoHeading bool

	out        io.Writer
	tw         *tabwriter.Writer
	tmpl       *template.Template
	isTable    bool
	isJSON     bool
	headerDone bool
}

// NewWriter prepares a Writer for format, writing to out. name names the
// template in error messages ("template: ps:1: ..."), usually the command
// name. A format that does not parse yields the template package's error,
// which starts with "template: " and the name.
func NewWriter(out io.Writer, name, format string) (*Writer, error) {
	text, isTable, isJSON := NormalizeFormat(format)
	w := &Writer{out: out, isTable: isTable, isJSON: isJSON}
	if isJSON {
		return w, nil
	}
	if isTable {
		text = "{{range .}}" + text + "{{end -}}"
		w.tw = tabwriter.NewWriter(out, tableMinWidth, tableTabWidth, tablePadding, ' ', tabwriter.StripEscape)
	} else {
		text = enforceRange(text)
	}
	tmpl, err := template.New(name).Funcs(FuncMap()).Parse(text)
	if err != nil {
		return nil, err
	}
	w.tmpl = tmpl
	return w, nil
}

// IsTable reports whether the format is a table format.
func (w *Writer) IsTable() bool { return w.isTable }

// IsJSON reports whether the format asks for JSON output.
func (w *Writer) IsJSON() bool { return w.isJSON }

// Write renders rows, which is normally a slice or array of structs or of
// pointers to structs; any other value is rendered as a list of one. The
// first call on a table Writer writes the header row first (even when rows
// is empty) unless NoHeading is set. Execution errors are the template
// package's errors ("template: ps:1:13: executing ..."); output rendered
// before the error has already been written.
func (w *Writer) Write(rows any) error {
	if w.isJSON {
		return WriteJSON(w.out, rows)
	}
	v := reflect.ValueOf(rows)
	if !v.IsValid() {
		v = reflect.ValueOf([]any{})
	} else if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		s := reflect.MakeSlice(reflect.SliceOf(v.Type()), 1, 1)
		s.Index(0).Set(v)
		v = s
	}
	dst := w.out
	if w.tw != nil {
		dst = w.tw
	}
	if w.isTable && !w.headerDone {
		w.headerDone = true
		if !w.NoHeading {
			h := headerMap(v.Type().Elem(), w.Headers, w.tmpl.Tree)
			if err := w.tmpl.Execute(dst, []map[string]string{h}); err != nil {
				return err
			}
		}
	}
	return w.tmpl.Execute(dst, v.Interface())
}

// Flush writes out buffered table output. It is a no-op for other
// formats.
func (w *Writer) Flush() error {
	if w.tw == nil {
		return nil
	}
	if err := w.tw.Flush(); err != nil {
		return fmt.Errorf("writing table output: %w", err)
	}
	return nil
}

// Strict makes a reference to a missing key an error (for map rows, such as
// inspect data decoded from its JSON form).
func (w *Writer) Strict() {
	if w.tmpl != nil {
		w.tmpl.Option("missingkey=error")
	}
}
