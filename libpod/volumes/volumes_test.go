package volumes

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/lock"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	lm, err := lock.New(filepath.Join(t.TempDir(), "locks"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(filepath.Join(t.TempDir(), "volumes"), lm)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCreateGetListRemove(t *testing.T) {
	s := newStore(t)
	cfg := &Config{Name: "data", Driver: DriverLocal, CreatedAt: time.Now(), Labels: map[string]string{"a": "b"}, NeedsCopyUp: true}
	if err := s.Create(cfg); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(cfg); !errors.Is(err, define.ErrVolumeExists) {
		t.Fatalf("second create = %v, want ErrVolumeExists", err)
	}
	got, err := s.Get("data")
	if err != nil || got.Labels["a"] != "b" || !got.NeedsCopyUp {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if st, err := os.Stat(s.DataDir("data")); err != nil || !st.IsDir() || st.Mode().Perm() != 0o755 {
		t.Fatalf("data dir: %v %v", st, err)
	}
	if err := s.Create(&Config{Name: "another", Driver: DriverLocal}); err != nil {
		t.Fatal(err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "another" || list[1].Name != "data" {
		t.Fatalf("List = %v, %v", list, err)
	}
	if err := s.Remove("data"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("data"); !errors.Is(err, define.ErrNoSuchVolume) {
		t.Fatalf("Get after Remove = %v", err)
	}
	if _, err := os.Stat(s.Path("data")); !os.IsNotExist(err) {
		t.Fatalf("directory left: %v", err)
	}
	if err := s.Remove("data"); !errors.Is(err, define.ErrNoSuchVolume) {
		t.Fatalf("second Remove = %v", err)
	}
}

// A directory without config.json (a killed create or remove) is not a
// volume: it is not listed, and a create of its name replaces it.
func TestLeftoverDirectory(t *testing.T) {
	s := newStore(t)
	if err := os.MkdirAll(filepath.Join(s.Path("x"), "_data", "junk"), 0o700); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(); len(list) != 0 || s.Exists("x") {
		t.Fatalf("leftover listed: %v", list)
	}
	if err := s.Create(&Config{Name: "x", Driver: DriverLocal}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.DataDir("x"), "junk")); !os.IsNotExist(err) {
		t.Fatal("the leftover's content survived")
	}
}

func TestValidateName(t *testing.T) {
	for _, n := range []string{"a", "a.b-c_d", "0"} {
		if err := ValidateName(n); err != nil {
			t.Errorf("ValidateName(%q) = %v", n, err)
		}
	}
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'a'
	}
	for _, n := range []string{"", "a/b", ".x", "_x", "-x", string(long)} {
		if err := ValidateName(n); !errors.Is(err, define.ErrInvalidArg) {
			t.Errorf("ValidateName(%q) = %v, want invalid", n, err)
		}
	}
}
