package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/opencontainers/go-digest"

	"github.com/pod-engine/pod/libpod/define"
)

func TestApplyChanges(t *testing.T) {
	tests := []struct {
		change string
		want   Settings
	}{
		{`CMD ["/bin/echo","hi there"]`, Settings{Cmd: []string{"/bin/echo", "hi there"}}},
		{`CMD echo hi`, Settings{Cmd: []string{"/bin/sh", "-c", "echo hi"}}},
		{`cmd=echo`, Settings{Cmd: []string{"/bin/sh", "-c", "echo"}}},
		{`CMD ["a",`, Settings{Cmd: []string{"/bin/sh", "-c", `["a",`}}},
		{`ENTRYPOINT ["/bin/sh","-c"]`, Settings{Entrypoint: []string{"/bin/sh", "-c"}}},
		{`ENTRYPOINT sh -c`, Settings{Entrypoint: []string{"/bin/sh", "-c", "sh -c"}}},
		{`ENV A=1 B="x y" C=a\ b`, Settings{Env: []string{"PATH=/bin", "A=1", "B=x y", "C=a b"}}},
		{`ENV PATH=/usr/bin`, Settings{Env: []string{"PATH=/usr/bin"}}},
		{`ENV A 1  2`, Settings{Env: []string{"PATH=/bin", "A=1  2"}}},
		{`ENV B=$PATH:/x`, Settings{Env: []string{"PATH=/bin", "B=/bin:/x"}}},
		{`LABEL a b c`, Settings{Labels: map[string]string{"a": "b c"}}},
		{`ENV=X=Y`, Settings{Env: []string{"PATH=/bin", "X=Y"}}},
		{`LABEL a=b "c d"="e f" g=`, Settings{Labels: map[string]string{"a": "b", "c d": "e f", "g": ""}}},
		{`EXPOSE 80 53/UDP 443/tcp`, Settings{ExposedPorts: map[string]struct{}{"80/tcp": {}, "53/udp": {}, "443/tcp": {}}}},
		{`USER 1000:1000`, Settings{User: "1000:1000"}},
		{`WORKDIR /srv`, Settings{WorkingDir: "/srv"}},
		{`WORKDIR rel`, Settings{WorkingDir: "/home/rel"}},
		{`VOLUME /data /x`, Settings{Volumes: map[string]struct{}{"/data": {}, "/x": {}}}},
		{`VOLUME ["/v1", "/v 2"]`, Settings{Volumes: map[string]struct{}{"/v1": {}, "/v 2": {}}}},
		{`STOPSIGNAL SIGUSR1`, Settings{StopSignal: "10"}},
		{`stopsignal kill`, Settings{StopSignal: "9"}},
		{`ONBUILD RUN echo`, Settings{OnBuild: []string{"RUN echo"}}},
	}
	for _, tt := range tests {
		s := Settings{Env: []string{"PATH=/bin"}, WorkingDir: "/home"}
		want := tt.want
		if want.Env == nil {
			want.Env = []string{"PATH=/bin"}
		}
		if want.WorkingDir == "" {
			want.WorkingDir = "/home"
		}
		if err := s.ApplyChanges([]string{tt.change}); err != nil {
			t.Errorf("%s: %v", tt.change, err)
			continue
		}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.change, s, want)
		}
	}
}

func TestApplyChangesErrors(t *testing.T) {
	tests := []struct{ change, msg string }{
		{"CMD", `invalid change "CMD" - must be formatted as KEY VALUE`},
		{"BOGUS", `invalid change "BOGUS" - must be formatted as KEY VALUE`},
		{"", `invalid change "" - must be formatted as KEY VALUE`},
		{"FROM x", `invalid change "FROM x" - invalid instruction FROM: use one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR`},
		{"RUN x", "invalid instruction RUN"},
		{"HEALTHCHECK CMD true", "invalid instruction HEALTHCHECK"},
		{"ENV A", "ENV must have two arguments"},
		{"SHELL [\"/bin/bash\"]", "invalid instruction SHELL"},
		{"LABEL =b", "LABEL names can not be blank"},
		{`LABEL a="b`, "unexpected end of statement while looking for matching double-quote"},
		{"ENV A=1 B", `can't find = in "B"`},
		{"EXPOSE 8000-8001", `EXPOSE port must be an integer: "8000-8001" is not`},
		{"EXPOSE 0", "EXPOSE port must be a valid port number (1 to 65535): 0 is not"},
		{"EXPOSE 70000", "valid port number"},
		{"EXPOSE 80/xyz", `EXPOSE protocol must be TCP or UDP: "xyz" is not`},
		{"STOPSIGNAL FOO", `STOPSIGNAL must be given a valid signal: invalid signal "FOO"`},
		{"STOPSIGNAL 100", "STOPSIGNAL must be given a valid signal: invalid signal number 100"},
		{"VOLUME []", "VOLUME requires at least one argument"},
		{`VOLUME [""]`, "VOLUME specified can not be an empty string"},
	}
	for _, tt := range tests {
		var s Settings
		err := s.ApplyChanges([]string{"USER 1", tt.change})
		if err == nil || !strings.Contains(err.Error(), tt.msg) || !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("%q: %v, want an invalid-argument error with %q", tt.change, err, tt.msg)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error of several lines: %q", tt.change, err)
		}
	}
	if err := CheckChanges([]string{"CMD a", "ENV A=1"}); err != nil {
		t.Errorf("CheckChanges of good changes: %v", err)
	}
}

func TestCheckCommit(t *testing.T) {
	tests := []struct {
		o    CommitOptions
		name string
		err  string
	}{
		{o: CommitOptions{}},
		{o: CommitOptions{Name: "web", Format: "oci"}, name: "localhost/web:latest"},
		{o: CommitOptions{Name: "quay.io/a/b:1", Format: "docker", Message: "m"}, name: "quay.io/a/b:1"},
		{o: CommitOptions{Message: "m"}, err: "messages are only compatible with the docker image format (-f docker)"},
		{o: CommitOptions{Format: "xyz"}, err: `unrecognized image format "xyz": use oci or docker`},
		{o: CommitOptions{Name: "Bad!"}, err: "invalid reference format"},
		{o: CommitOptions{Name: "web@sha256:" + strings.Repeat("a", 64)}, err: "cannot have a digest"},
		{o: CommitOptions{Changes: []string{"BOGUS"}}, err: `invalid change "BOGUS"`},
	}
	for _, tt := range tests {
		named, err := CheckCommit(&tt.o)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%+v: %v, want %q", tt.o, err, tt.err)
			}
		case err != nil:
			t.Errorf("%+v: %v", tt.o, err)
		case tt.name == "" && named != nil, tt.name != "" && (named == nil || named.String() != tt.name):
			t.Errorf("%+v: name %v, want %q", tt.o, named, tt.name)
		}
	}
}

func TestCheckTar(t *testing.T) {
	for _, tt := range []struct {
		in  string
		err string
	}{
		{"", "the archive is empty"},
		{"garbage\n", "not a valid tar archive"},
		{strings.Repeat("x", 1024), "not a valid tar archive"},
	} {
		_, err := tarballLayerFile(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("%q: %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestTarballLayerFile(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range []string{"a", "b", "c"} {
		body := strings.Repeat(name, 2000)
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", t.TempDir())
	lf, err := tarballLayerFile(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if lf.digest != digest.FromBytes(buf.Bytes()) || lf.size != int64(buf.Len()) {
		t.Errorf("layer file %s %d, want %s %d", lf.digest, lf.size, digest.FromBytes(buf.Bytes()), buf.Len())
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(buf.Bytes())
	_ = zw.Close()
	if lf2, err := tarballLayerFile(&gz); err != nil || lf2.digest != lf.digest {
		t.Errorf("gzipped: %v %v, want the uncompressed tar's digest %s", lf2, err, lf.digest)
	}
	_, err = tarballLayerFile(bytes.NewReader(buf.Bytes()[:3000]))
	if err == nil || !strings.Contains(err.Error(), "the tar archive is truncated after 1 entries") {
		t.Errorf("truncated: %v", err)
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) != 2 {
		t.Errorf("temporary files left: %v (want the two good ones)", left)
	}
}
