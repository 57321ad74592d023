package lock

import (
	"testing"
	"time"
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

// A waiter whose lock file was removed by the holder takes the new file,
// so two holders never both think they have the lock.
func TestAcquireAfterRemove(t *testing.T) {
	m, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	held, err := m.Acquire("x")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		l, err := m.Acquire("x")
		if err != nil {
			t.Error(err)
		}
		defer l.Close()
		close(got)
		time.Sleep(100 * time.Millisecond)
	}()
	time.Sleep(50 * time.Millisecond) // the waiter blocks on the old file
	m.Remove("x")
	held.Close()
	<-got
	// The waiter now holds the file at the path: nobody else gets it.
	if l, err := m.TryAcquire("x"); err != nil || l != nil {
		t.Errorf("TryAcquire while the waiter holds the new file: %v, %v", l, err)
	}
	if names := m.Names(); len(names) != 1 || names[0] != "x" {
		t.Errorf("Names = %q", names)
	}
}
