package spec

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/pod-engine/pod/libpod/define"
)

func TestParseVolume(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mount
	}{
		{"/data", Mount{Type: MountVolume, Destination: "/data", Anonymous: true}},
		{"/data:ro", Mount{Type: MountVolume, Destination: "/data", Anonymous: true, ReadOnly: true}},
		{"v1:/data", Mount{Type: MountVolume, Source: "v1", Destination: "/data"}},
		{"v1:/data/:ro,nocopy", Mount{Type: MountVolume, Source: "v1", Destination: "/data", ReadOnly: true, NoCopy: true}},
		{"/h:/c:z,U,rshared", Mount{Type: MountBind, Source: "/h", Destination: "/c", Relabel: "z", Chown: true, Options: []string{"rshared"}}},
		{"/h:/c:O", Mount{Type: MountBind, Source: "/h", Destination: "/c", Overlay: true}},
		{"/h:/c:Z,rw,noexec", Mount{Type: MountBind, Source: "/h", Destination: "/c", Relabel: "Z", Options: []string{"noexec"}}},
	} {
		got, err := ParseVolume(tc.in)
		if err != nil {
			t.Errorf("ParseVolume(%q): %v", tc.in, err)
			continue
		}
		tc.want.Flag = "-v " + tc.in
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseVolume(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseVolumeErrors(t *testing.T) {
	for in, want := range map[string]string{
		"":              "container directory cannot be empty",
		"/a:/b:/c:/d":   "incorrect volume format",
		"/tmp:rel":      `invalid container path "rel"`,
		"/tmp:/x:bad":   `invalid option type "bad"`,
		"/tmp:/x:ro,rw": "can only specify 1 'rw' or 'ro' option",
		"/tmp:/proc":    "mounting over /proc is not allowed",
		"/tmp:/":        "cannot mount over the container's root",
		"v:/x:O":        "the O option needs a host directory",
		"/h:/x:O,ro":    "cannot be combined",
	} {
		_, err := ParseVolume(in)
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ParseVolume(%q) = %v, want an invalid argument containing %q", in, err, want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "-v "+in+": ") {
			t.Errorf("ParseVolume(%q) = %v: the error does not name the flag", in, err)
		}
	}
}

func TestParseMount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Mount
	}{
		{"type=bind,src=/h,dst=/c,ro", Mount{Type: MountBind, Source: "/h", Destination: "/c", ReadOnly: true}},
		{"type=bind,source=/h,target=/c,readonly=false,bind-propagation=rslave,relabel=private",
			Mount{Type: MountBind, Source: "/h", Destination: "/c", Options: []string{"rslave"}, Relabel: "Z"}},
		{"type=volume,src=v,destination=/c,volume-nocopy", Mount{Type: MountVolume, Source: "v", Destination: "/c", NoCopy: true}},
		{"type=volume,dst=/c", Mount{Type: MountVolume, Destination: "/c", Anonymous: true}},
		{"type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700", Mount{Type: MountTmpfs, Destination: "/t", Options: []string{"size=1m", "mode=700"}}},
		{"type=image,src=alpine,dst=/i", Mount{Type: MountImage, Source: "alpine", Destination: "/i", ReadOnly: true}},
		{"type=image,src=alpine,dst=/i,rw=true", Mount{Type: MountImage, Source: "alpine", Destination: "/i"}},
	} {
		got, err := ParseMount(tc.in)
		if err != nil {
			t.Errorf("ParseMount(%q): %v", tc.in, err)
			continue
		}
		tc.want.Flag = "--mount " + tc.in
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseMount(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for in, want := range map[string]string{
		"dst=/x":                         "incorrect mount format",
		"type=nfs,dst=/x":                `invalid filesystem type "nfs"`,
		"type=bind,dst=/x":               "must set the source",
		"type=bind,src=/h":               "must set volume destination",
		"type=bind,src=/h,dst=/x,foo=1":  "foo: invalid mount option",
		"type=tmpfs,src=/h,dst=/x":       "not allowed with type=tmpfs",
		"type=tmpfs,dst=/x,tmpfs-size=z": "invalid tmpfs option",
		"type=image,dst=/x":              "must set the source",
		"type=bind,src=/h,dst=/proc":     "mounting over /proc",
	} {
		if _, err := ParseMount(in); err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ParseMount(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestTmpfsOptions(t *testing.T) {
	m, err := ParseTmpfs("/t:size=1m,ro,suid,notmpcopyup")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"size=1m", "suid", "ro", "rprivate", "nodev"}
	if got := m.TmpfsOptions(); !reflect.DeepEqual(got, want) {
		t.Errorf("TmpfsOptions = %v, want %v", got, want)
	}
	if _, err := ParseTmpfs("/t:bogus"); err == nil || !strings.Contains(err.Error(), `unknown mount option "bogus"`) {
		t.Errorf("ParseTmpfs(bogus) = %v", err)
	}
}

func TestSpecOptions(t *testing.T) {
	v := Mount{Type: MountVolume, ReadOnly: true}
	if got, want := v.SpecOptions(), []string{"ro", "rprivate", "nosuid", "nodev", "rbind"}; !reflect.DeepEqual(got, want) {
		t.Errorf("volume options = %v, want %v", got, want)
	}
	b := Mount{Type: MountBind, Options: []string{"rshared", "noexec"}}
	if got, want := b.SpecOptions(), []string{"rshared", "noexec", "rbind"}; !reflect.DeepEqual(got, want) {
		t.Errorf("bind options = %v, want %v", got, want)
	}
}

func TestSortMountsParentsFirst(t *testing.T) {
	ms := []specs.Mount{{Destination: "/a/b/c"}, {Destination: "/x"}, {Destination: "/a/b"}, {Destination: "/a"}}
	SortMounts(ms)
	var got []string
	for _, m := range ms {
		got = append(got, m.Destination)
	}
	if want := []string{"/x", "/a", "/a/b", "/a/b/c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SortMounts = %v, want %v", got, want)
	}
}

func TestCheckDuplicates(t *testing.T) {
	err := CheckDuplicates([]Mount{{Destination: "/x", Flag: "-v a:/x"}, {Destination: "/x", Flag: "--tmpfs /x"}})
	if err == nil || !strings.Contains(err.Error(), "/x: duplicate mount destination") {
		t.Errorf("CheckDuplicates = %v", err)
	}
}

func TestGenerateReadOnlyRoot(t *testing.T) {
	s, err := Generate(&Options{ID: "abc", Rootfs: "/r", ReadOnly: true, Image: ImageConfig{Cmd: []string{"sh"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Root.Readonly {
		t.Error("root is not read-only")
	}
}
