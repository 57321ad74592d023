package report

import (
	"errors"
	"strings"
	"testing"
)

type volume struct {
	Name   string
	Labels map[string]string
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "[]\n"},
		{"nil slice", []volume(nil), "[]\n"},
		{"empty slice", []volume{}, "[]\n"},
		{"list", []volume{{Name: "v", Labels: map[string]string{"a": "<x&y>"}}},
			"[\n  {\n    \"Name\": \"v\",\n    \"Labels\": {\n      \"a\": \"\\u003cx\\u0026y\\u003e\"\n    }\n  }\n]\n"},
		{"object", map[string]int{"a": 1}, "{\n  \"a\": 1\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteJSON(&b, tt.v); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestWriteInspectJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, "[]\n"},
		{"empty", []volume{}, "[]\n"},
		{"list", []volume{{Name: "v", Labels: map[string]string{"a": "<x&y>"}}},
			"[\n     {\n          \"Name\": \"v\",\n          \"Labels\": {\n               \"a\": \"<x&y>\"\n          }\n     }\n]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteInspectJSON(&b, tt.v); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

type failWriter struct{}

var errWrite = errors.New("broken pipe")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteJSONErrors(t *testing.T) {
	if err := WriteJSON(failWriter{}, []int{1}); !errors.Is(err, errWrite) {
		t.Errorf("write error not wrapped: %v", err)
	}
	if err := WriteJSON(failWriter{}, nil); !errors.Is(err, errWrite) {
		t.Errorf("write error not wrapped: %v", err)
	}
	if err := WriteJSON(&strings.Builder{}, func() {}); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("unsupported value: %v", err)
	}
}
