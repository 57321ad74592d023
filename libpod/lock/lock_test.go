package lock

import (
	"testing"
)

func TestAcquireExcludes(t *testing.T) {
	m, err := New(t.TempDir() + "/locks")
	if err != nil {
		t.Fatal(err)
	}
	a, err := m.Acquire("c1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Acquire("c2")
	if err != nil {
		t.Fatal("independent objects must not share a lock:", err)
	}
	b.Close()
	other, _ := New(m.Dir)
	l, _ := other.Acquire("c3")
	l.Close()
	a.Close()
	again, err := m.Acquire("c1")
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	m.Remove("c1")
}
