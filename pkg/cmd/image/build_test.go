package image

import (
	"testing"

	"github.com/pod-engine/pod/pkg/cmd/cmdtest"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

func TestNewCmdBuild(t *testing.T) {
	def := func(o BuildOptions) BuildOptions {
		if o.Context == "" {
			o.Context = "."
		}
		if o.Format == "" {
			o.Format = "oci"
		}
		if o.Pull == "" {
			o.Pull = "missing"
		}
		o.Layers, o.Remove, o.TLSVerify = true, true, true
		return o
	}
	tests := []cmdtest.ParseCase[BuildOptions]{
		{Name: "defaults", Args: nil, Want: def(BuildOptions{})},
		{Name: "context and tags", Args: []string{"-t", "a", "--tag", "b:1", "ctx"}, Want: def(BuildOptions{Context: "ctx", Tags: []string{"a", "b:1"}})},
		{Name: "file from stdin", Args: []string{"-f", "-", "."}, Want: def(BuildOptions{Files: []string{"-"}})},
		{Name: "two files", Args: []string{"-f", "a", "-f", "b"}, WantErr: true},
		{Name: "two contexts", Args: []string{"a", "b"}, WantErr: true},
		{Name: "build args and labels", Args: []string{"--build-arg", "A=1", "--build-arg", "B", "--label", "l=v", "--annotation", "x=y"},
			Want: def(BuildOptions{BuildArgs: []string{"A=1", "B"}, Labels: []string{"l=v"}, Annotations: []string{"x=y"}})},
		{Name: "pull alone is always", Args: []string{"--pull"}, Want: def(BuildOptions{Pull: "always"})},
		{Name: "pull=true", Args: []string{"--pull=true"}, Want: def(BuildOptions{Pull: "always"})},
		{Name: "pull=false", Args: []string{"--pull=false"}, Want: def(BuildOptions{Pull: "missing"})},
		{Name: "pull=never", Args: []string{"--pull=never"}, Want: def(BuildOptions{Pull: "never"})},
		{Name: "layers off, no cache", Args: []string{"--layers=false", "--no-cache", "-q", "--iidfile", "id"},
			Want: func() BuildOptions {
				o := def(BuildOptions{NoCache: true, Quiet: true, IIDFile: "id"})
				o.Layers = false
				return o
			}()},
		{Name: "squash", Args: []string{"--squash"}, Want: def(BuildOptions{Squash: true})},
		{Name: "squash-all", Args: []string{"--squash-all"}, Want: def(BuildOptions{SquashAll: true})},
		{Name: "squash and squash-all", Args: []string{"--squash", "--squash-all"}, WantErr: true},
		{Name: "network and target", Args: []string{"--network", "none", "--target", "builder", "--format", "docker"},
			Want: def(BuildOptions{Network: "none", Target: "builder", Format: "docker"})},
		{Name: "tls", Args: []string{"--tls-verify=false", "--authfile", "a.json", "--creds", "u:p", "--cert-dir", "d"},
			Want: func() BuildOptions {
				o := def(BuildOptions{RegistryFlags: cmdutil.RegistryFlags{AuthFile: "a.json", Creds: "u:p", CertDir: "d", TLSSet: true}})
				o.TLSVerify = false
				return o
			}()},
		{Name: "unknown flag", Args: []string{"--bogus"}, WantErr: true},
	}
	cmdtest.CheckParse(t, tests, NewCmdBuild, func(f *cmdutil.Factory, got, want *BuildOptions) { want.Factory = f })
}
