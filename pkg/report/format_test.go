package report

import (
	"strings"
	"testing"
	"text/template"
)

func TestNormalizeFormat(t *testing.T) {
	tests := []struct {
		in      string
		tmpl    string
		isTable bool
		isJSON  bool
	}{
		{"json", "json", false, true},
		{"  json\n", "  json\n", false, true},
		{"{{json .}}", "{{json .}}", false, true},
		{"{{ json . }}", "{{ json . }}", false, true},
		{"{{json}}", "{{json}}", false, true},
		{"{{json.}}", "{{json.}}", false, true},
		{"JSON", "JSON\n", false, false},
		{"{{json .ID}}", "{{json .ID}}\n", false, false},
		{"jsonx", "jsonx\n", false, false},
		{"table", "table\n", false, false},
		{"{{.ID}}", "{{.ID}}\n", false, false},
		{"{{.ID}}\n", "{{.ID}}\n", false, false},
		{`{{.ID}}\n`, "{{.ID}}\n", false, false},
		{`{{.ID}}\n\n`, "{{.ID}}\n\n", false, false},
		{`{{.ID}}\t{{.Names}}`, "{{.ID}}\t{{.Names}}\n", false, false},
		{"{{.ID}} {{.Names}}", "{{.ID}} {{.Names}}\n", false, false},
		{"table {{.ID}}", "{{.ID}}\n", true, false},
		{`table {{.ID}}\t{{.Names}}`, "{{.ID}}\t{{.Names}}\n", true, false},
		{`table {{.ID}}\t{{.Names}}\n`, "{{.ID}}\t{{.Names}}\n", true, false},
		{"table {{.ID}} {{.Names}}", "{{.ID}}\t{{.Names}}\n", true, false},
		{"table {{.ID}}  X", "{{.ID}}\t\tX\n", true, false},
		{"table {{truncate .ID 3}}", "{{truncate\t.ID\t3}}\n", true, false},
		{"table {{json .}}", "{{json\t.}}\n", true, false},
		{"", "\n", false, false},
	}
	for _, tt := range tests {
		tmpl, isTable, isJSON := NormalizeFormat(tt.in)
		if tmpl != tt.tmpl || isTable != tt.isTable || isJSON != tt.isJSON {
			t.Errorf("NormalizeFormat(%q) = %q, %v, %v; want %q, %v, %v",
				tt.in, tmpl, isTable, isJSON, tt.tmpl, tt.isTable, tt.isJSON)
		}
	}
}

func TestEnforceRange(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"{{.ID}}\n", "{{range .}}{{.ID}}\n{{end -}}"},
		{"{{range .}}{{.ID}}{{end}}\n", "{{range .}}{{.ID}}{{end}}\n"},
		{"{{ range . }}{{.ID}}{{ end -}}\n", "{{ range . }}{{.ID}}{{ end -}}\n"},
		{"{{range .}}{{.ID}}\n", "{{range .}}{{range .}}{{.ID}}\n{{end -}}"},
		{"{{range .Names}}{{.}}{{end}}\n", "{{range .}}{{range .Names}}{{.}}{{end}}\n{{end -}}"},
		{"{{.ID}}{{end}}\n", "{{range .}}{{.ID}}{{end}}\n{{end -}}"},
	}
	for _, tt := range tests {
		if got := enforceRange(tt.in); got != tt.want {
			t.Errorf("enforceRange(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFuncMap(t *testing.T) {
	data := map[string]any{
		"ID":     "8f81b1437bfc",
		"Names":  []string{"a", "b"},
		"Labels": map[string]string{"k": "<v&w>"},
		"Empty":  "",
		"Uni":    "ünïcödé",
	}
	tests := []struct {
		tmpl, want string
	}{
		{`{{json .Labels}}`, `{"k":"<v&w>"}`},
		{`{{json .Names}}`, `["a","b"]`},
		{`{{json "x"}}`, `"x"`},
		{`{{lower "AbC"}}`, "abc"},
		{`{{upper .ID}}`, "8F81B1437BFC"},
		{`{{title "abc def"}}`, "Abc Def"},
		{`{{join .Names ", "}}`, "a, b"},
		{`{{split "a,b,c" ","}}`, "[a b c]"},
		{`{{index (split "a,b,c" ",") 1}}`, "b"},
		{`{{truncate .ID 3}}`, "8f8"},
		{`{{truncate .ID 50}}`, "8f81b1437bfc"},
		{`{{truncate .ID 0}}`, ""},
		{`{{truncate .Uni 3}}`, "ünï"},
		{`{{pad .ID 1 2}}|`, " 8f81b1437bfc  |"},
		{`{{pad .Empty 1 2}}|`, "|"},
		{`{{trim "  x  "}}`, "x"},
		{`{{.ID | upper | truncate}}`, ""},
	}
	for _, tt := range tests {
		tm, err := template.New("t").Funcs(FuncMap()).Parse(tt.tmpl)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.tmpl, err)
		}
		var b strings.Builder
		err = tm.Execute(&b, data)
		if tt.tmpl == `{{.ID | upper | truncate}}` {
			// truncate needs two arguments: an execution error, not a panic.
			if err == nil {
				t.Errorf("%q: expected an error", tt.tmpl)
			}
			continue
		}
		if err != nil {
			t.Errorf("execute %q: %v", tt.tmpl, err)
			continue
		}
		if b.String() != tt.want {
			t.Errorf("%q = %q, want %q", tt.tmpl, b.String(), tt.want)
		}
	}
}

func TestHeaderText(t *testing.T) {
	tests := map[string]string{
		"ID":           "ID",
		"Names":        "NAMES",
		"CreatedAt":    "CREATED AT",
		"ImageID":      "IMAGE ID",
		"HTTPServer":   "HTTP SERVER",
		"RunningFor":   "RUNNING FOR",
		"IsInfra":      "IS INFRA",
		"PIDNS":        "PIDNS",
		"Size":         "SIZE",
		"CPUPerc":      "CPU PERC",
		"NetIO":        "NET IO",
		"Pids2":        "PIDS 2",
		"already_snek": "ALREADY _ SNEK",
		"":             "",
	}
	for in, want := range tests {
		if got := HeaderText(in); got != want {
			t.Errorf("HeaderText(%q) = %q, want %q", in, got, want)
		}
	}
}
