package report

import (
	"errors"
	"strings"
	"testing"
	"text/template"
)

type psRow struct {
	ID        string
	Image     string
	Command   string
	CreatedAt string
	Labels    map[string]string
	NameList  []string
	Ports     string
	State     string
	embedded
}

type embedded struct {
	Pod string
}

func (r psRow) Names() string         { return strings.Join(r.NameList, ",") }
func (r *psRow) CreatedHuman() string { return "2 hours ago" }
func (r psRow) Status() string        { return "Up 2 hours ago" }
func (r psRow) Label(k string) string { return r.Labels[k] }

func psHeaders() map[string]string {
	return map[string]string{
		"ID":           "CONTAINER ID",
		"CreatedHuman": "CREATED",
		"Pod":          "POD ID",
	}
}

const psDefault = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"

func rows() []psRow {
	return []psRow{{
		ID:       "8f81b1437bfc",
		Command:  "true",
		Labels:   map[string]string{"foo": "bar"},
		NameList: []string{"reftest1"},
		State:    "created",
	}}
}

func render(t *testing.T, format string, data any) (string, error) {
	t.Helper()
	var b strings.Builder
	w, err := NewWriter(&b, "ps", format)
	if err != nil {
		return "", err
	}
	w.Headers = psHeaders()
	err = w.Write(data)
	if ferr := w.Flush(); ferr != nil {
		t.Fatalf("flush: %v", ferr)
	}
	return b.String(), err
}

func TestWriter(t *testing.T) {
	tests := []struct {
		name   string
		format string
		data   any
		want   string
	}{
		{"default empty", psDefault, []psRow{},
			"CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES\n"},
		{"default nil", psDefault, []psRow(nil),
			"CONTAINER ID  IMAGE       COMMAND     CREATED     STATUS      PORTS       NAMES\n"},
		{"default row", psDefault, rows(),
			"CONTAINER ID  IMAGE       COMMAND     CREATED      STATUS          PORTS       NAMES\n" +
				"8f81b1437bfc              true        2 hours ago  Up 2 hours ago              reftest1\n"},
		{"space separates columns", "table {{.ID}} {{.Names}}", rows(),
			"CONTAINER ID  NAMES\n8f81b1437bfc  reftest1\n"},
		{"two spaces give an empty column", "table {{.ID}}  X {{.Names}}", rows(),
			"CONTAINER ID              X           NAMES\n8f81b1437bfc              X           reftest1\n"},
		{"escaped tab and newline", `table {{.ID}}\t{{.Names}}\n`, rows(),
			"CONTAINER ID  NAMES\n8f81b1437bfc  reftest1\n"},
		{"json function in header", `table {{json .Labels}}\t{{.Names}}`, rows(),
			"\"LABELS\"       NAMES\n{\"foo\":\"bar\"}  reftest1\n"},
		{"functions apply to header", `table {{truncate .ID 3}}\t{{upper .Names}}`, rows(),
			"CON         NAMES\n8f8         REFTEST1\n"},
		{"default header from camel case", `table {{.CreatedAt}}\t{{.NameList}}\t{{.Pod}}\t{{.Status}}`, []*psRow{{embedded: embedded{Pod: "p"}}},
			"CREATED AT  NAME LIST   POD ID      STATUS\n            []          p           Up 2 hours ago\n"},
		{"if in table", "table {{.ID}} {{if .Names}}yes{{end}}", rows(),
			"CONTAINER ID  yes\n8f81b1437bfc  yes\n"},
		{"plain tab stays a tab", `{{.ID}}\t{{.Names}}`, rows(), "8f81b1437bfc\treftest1\n"},
		{"plain space", "{{.ID}} {{.Names}}", rows(), "8f81b1437bfc reftest1\n"},
		{"extra newline kept", `{{.ID}}\n\n`, rows(), "8f81b1437bfc\n\n"},
		{"user range", "{{range .}}{{.ID}}{{end}}", append(rows(), rows()...), "8f81b1437bfc8f81b1437bfc\n"},
		{"plain per row", "{{.ID}}", append(rows(), rows()...), "8f81b1437bfc\n8f81b1437bfc\n"},
		{"plain empty", "{{.ID}}", []psRow{}, ""},
		{"literal table", "table", rows(), "table\n"},
		{"method with argument", `{{.Label "foo"}}`, rows(), "bar\n"},
		{"single struct", "{{.ID}}", rows()[0], "8f81b1437bfc\n"},
		{"pointer method on value row", "{{.CreatedHuman}}", rows(), "2 hours ago\n"},
		{"map rows", `table {{.Name}}\t{{.MountPoint}}`, []map[string]string{{"Name": "v1", "MountPoint": "/x"}},
			"NAME        MOUNT POINT\nv1          /x\n"},
		{"map rows with actions", `table {{.Name}}\t{{if .Driver}}{{.Driver}}{{else}}-{{end}}\t{{with .Scope}}{{.}}{{end}}\t{{.Name | lower}}`,
			[]map[string]string{{"Name": "V1", "Driver": "local", "Scope": "s"}, {"Name": "V2"}},
			"NAME        DRIVER      SCOPE       name\nV1          local       s           v1\nV2          -                       v2\n"},
		{"json keyword", "json", rows()[:0], "[]\n"},
		{"json keyword nil", "{{json .}}", []psRow(nil), "[]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := render(t, tt.format, tt.data)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		parse   bool
		wantErr string
		wantOut string
	}{
		{"unknown field", "table {{.Foo}}", false,
			`template: ps:1:13: executing "ps" at <.Foo>: can't evaluate field Foo in type report.psRow`,
			"<no value>\n"},
		{"unknown field plain", "{{.Foo}}", false,
			`template: ps:1:13: executing "ps" at <.Foo>: can't evaluate field Foo in type report.psRow`, ""},
		{"sub field of header string", `table {{.Labels.foo}}\t{{.Names}}`, false,
			`template: ps:1:20: executing "ps" at <.Labels.foo>: can't evaluate field foo in type string`, ""},
		// Parse errors: the line number reported depends on the Go
		// release, so only the prefix and the message are checked.
		{"unclosed action", "{{.ID}}{{.Names", true, "unexpected", ""},
		{"stray end", "{{.Names}}{{end}}", true, "unexpected {{end}}", ""},
		{"stray end table", "table {{.Names}}{{end}}", true, "unexpected {{end}}", ""},
		{"unknown function", "{{nope .ID}}", true, `function "nope" not defined`, ""},
		{"second line", `{{.ID}}\n{{.Nope}}`, false,
			`template: ps:2:2: executing "ps" at <.Nope>: can't evaluate field Nope in type report.psRow`,
			"8f81b1437bfc\n"},
		{"table header then row error", "table {{.ID}} {{.Nope}}", false,
			`template: ps:1:21: executing "ps" at <.Nope>: can't evaluate field Nope in type report.psRow`,
			"CONTAINER ID  <no value>\n8f81b1437bfc"},
		{"join on string", `table {{.ID}} {{join .Names ","}}`, false,
			`template: ps:1:26: executing "ps" at <.Names>: wrong type for value; expected []string; got string`,
			"CONTAINER ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w, err := NewWriter(&b, "ps", tt.format)
			if tt.parse {
				if err == nil || !strings.HasPrefix(err.Error(), "template: ps:") || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parse error = %v, want \"template: ps:\" and %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			w.Headers = psHeaders()
			err = w.Write(rows())
			_ = w.Flush()
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
			var execErr template.ExecError
			if !errors.As(err, &execErr) {
				t.Errorf("error %T is not a template.ExecError", err)
			}
			if b.String() != tt.wantOut {
				t.Errorf("output %q, want %q", b.String(), tt.wantOut)
			}
		})
	}
}

func TestWriterNoHeading(t *testing.T) {
	var b strings.Builder
	w, err := NewWriter(&b, "ps", "table {{.ID}}\t{{.Names}}")
	if err != nil {
		t.Fatal(err)
	}
	w.NoHeading = true
	if !w.IsTable() || w.IsJSON() {
		t.Errorf("IsTable/IsJSON = %v/%v", w.IsTable(), w.IsJSON())
	}
	if err := w.Write(rows()); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rows()); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "8f81b1437bfc  reftest1\n8f81b1437bfc  reftest1\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWriterHeaderOnce(t *testing.T) {
	var b strings.Builder
	w, err := NewWriter(&b, "images", "table {{.ID}}")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := w.Write(rows()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "ID\n8f81b1437bfc\n8f81b1437bfc\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWriterJSON(t *testing.T) {
	var b strings.Builder
	w, err := NewWriter(&b, "ps", " json ")
	if err != nil {
		t.Fatal(err)
	}
	if !w.IsJSON() {
		t.Fatal("IsJSON false")
	}
	if err := w.Write([]map[string]any{{"Id": "x<y", "Names": []string{"a"}}}); err != nil {
		t.Fatal(err)
	}
	want := "[\n  {\n    \"Id\": \"x\\u003cy\",\n    \"Names\": [\n      \"a\"\n    ]\n  }\n]\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
