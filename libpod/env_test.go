package libpod

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func writeEnvFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "vars.env")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolveEnv(t *testing.T) {
	t.Setenv("PODTEST_FROM_HOST", "host value")
	t.Setenv("PODTEST_EMPTY", "")
	os.Unsetenv("PODTEST_UNSET")
	file := writeEnvFile(t, "# a comment\n\nFILE_A=1\n   FILE_B=two words\n\t# indented comment\nPODTEST_FROM_HOST\nPODTEST_UNSET\nURL=http://x/?a=b\n")
	tests := []struct {
		name  string
		files []string
		env   []string
		want  []string
	}{
		{name: "nothing", want: []string{}},
		{name: "plain values kept in order", env: []string{"B=2", "A=1", "A=3"}, want: []string{"B=2", "A=1", "A=3"}},
		{name: "empty value", env: []string{"A="}, want: []string{"A="}},
		{name: "value with equals", env: []string{"A=b=c"}, want: []string{"A=b=c"}},
		{name: "name alone takes the host value", env: []string{"PODTEST_FROM_HOST"}, want: []string{"PODTEST_FROM_HOST=host value"}},
		{name: "name alone set empty on the host", env: []string{"PODTEST_EMPTY"}, want: []string{"PODTEST_EMPTY="}},
		{name: "name alone unset on the host is dropped", env: []string{"PODTEST_UNSET", "X=1"}, want: []string{"X=1"}},
		{name: "env file: comments and blank lines skipped, host lookups done", files: []string{file},
			want: []string{"FILE_A=1", "FILE_B=two words", "PODTEST_FROM_HOST=host value", "URL=http://x/?a=b"}},
		{name: "-e comes after the env file", files: []string{file}, env: []string{"FILE_A=override"},
			want: []string{"FILE_A=1", "FILE_B=two words", "PODTEST_FROM_HOST=host value", "URL=http://x/?a=b", "FILE_A=override"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveEnv(tt.files, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("resolveEnv = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveEnvPrefix(t *testing.T) {
	t.Setenv("PODTESTPFX_ONE", "1")
	t.Setenv("PODTESTPFX_TWO", "2")
	t.Setenv("PODTESTOTHER", "3")
	got, err := resolveEnv(nil, []string{"PODTESTPFX_*"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"PODTESTPFX_ONE=1", "PODTESTPFX_TWO=2"}
	if !slices.Equal(got, want) {
		t.Errorf("prefix expansion = %q, want %q", got, want)
	}
	got, err = resolveEnv(nil, []string{"PODTESTNOMATCH_*"})
	if err != nil || len(got) != 0 {
		t.Errorf("prefix without match = %q, %v; want nothing", got, err)
	}
}

func TestResolveEnvErrors(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		env   []string
		want  string
	}{
		{name: "empty name", env: []string{"=x"}, want: `"=x"`},
		{name: "only equals", env: []string{"="}, want: `"="`},
		{name: "empty entry", env: []string{""}, want: `""`},
		{name: "empty name in env file", files: []string{writeEnvFile(t, "A=1\n=oops\n")}, want: `"=oops"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveEnv(tt.files, tt.env)
			if err == nil {
				t.Fatalf("no error, got %q", got)
			}
			if !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("error %v does not wrap ErrInvalidArg", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not quote %s", err, tt.want)
			}
		})
	}
	missing := filepath.Join(t.TempDir(), "missing.env")
	_, err := resolveEnv([]string{missing}, nil)
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing env file: error %v must wrap ErrNotExist and name the file", err)
	}
}

func TestParseLabels(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    map[string]string
		wantErr bool
	}{
		{name: "none", in: nil, want: nil},
		{name: "key value", in: []string{"a=1", "b=2"}, want: map[string]string{"a": "1", "b": "2"}},
		{name: "key only", in: []string{"flag"}, want: map[string]string{"flag": ""}},
		{name: "empty value", in: []string{"k="}, want: map[string]string{"k": ""}},
		{name: "value keeps equals", in: []string{"k=a=b"}, want: map[string]string{"k": "a=b"}},
		{name: "last wins", in: []string{"k=1", "k=2"}, want: map[string]string{"k": "2"}},
		{name: "dotted key", in: []string{"io.pod.x=y"}, want: map[string]string{"io.pod.x": "y"}},
		{name: "empty key", in: []string{"=v"}, wantErr: true},
		{name: "empty label", in: []string{""}, wantErr: true},
		{name: "bad among good", in: []string{"a=1", "=2"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseLabels(tt.in)
			if tt.wantErr {
				if err == nil || !errors.Is(err, define.ErrInvalidArg) {
					t.Fatalf("parseLabels(%q) = %v, %v; want ErrInvalidArg", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseLabels(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
