package networks

import (
	"errors"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

func TestCreatePicksFreeSubnetsAndNames(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	a, err := s.Create(CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Create(CreateOptions{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "podman1" || a.Subnets[0].Subnet != "10.89.0.0/24" || b.Subnets[0].Subnet != "10.89.1.0/24" || a.NetworkInterface == b.NetworkInterface {
		t.Errorf("a %+v b %+v", a, b)
	}
	if _, err := s.Create(CreateOptions{Name: "b"}); !errors.Is(err, define.ErrNetworkExists) {
		t.Errorf("duplicate name: %v", err)
	}
	if _, err := s.Create(CreateOptions{Name: "c", Subnet: "10.89.1.128/25"}); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("overlapping subnet: %v", err)
	}
	if _, err := s.Create(CreateOptions{Name: "d", Subnet: "10.88.5.0/24"}); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("subnet inside the default network's: %v", err)
	}
	got, err := s.Get(b.ID[:10])
	if err != nil || got.Name != "b" {
		t.Errorf("Get by id prefix: %v %v", got, err)
	}
	if err := s.Remove(DefaultName); err == nil {
		t.Error("default network removed")
	}
	if err := s.Remove("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("b"); !errors.Is(err, define.ErrNoSuchNetwork) {
		t.Errorf("after rm: %v", err)
	}
	all, _ := s.List()
	if len(all) != 2 || all[0].Name != DefaultName {
		t.Errorf("List: %v", all)
	}
}
