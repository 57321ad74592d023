package procfs

import (
	"math"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// tail is what follows the state in a real stat line; starttime is 31144.
const tail = " 8346 8346 31321 0 -1 4194304 102 0 0 0 0 0 0 0 20 0 1 0 31144 3133440 406 " +
	"18446744073709551615 94796360794112 94796360813993 140735087720512 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"

func TestParseStat(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		wantState byte
		wantStart uint64
		wantOK    bool
	}{
		{"normal", "8361 (cat) R" + tail, 'R', 31144, true},
		{"sleeping", "1 (init) S" + tail, 'S', 31144, true},
		{"comm with spaces and parentheses", "42 (a) b (c d)) S" + tail, 'S', 31144, true},
		{"comm of only ')'", "42 ())) S" + tail, 'S', 31144, true},
		{"zombie", "42 (pod-pause) Z" + tail, 'Z', 31144, true},
		{"dead", "42 (x) X" + tail, 'X', 31144, true},
		{"empty", "", 0, 0, false},
		{"no parenthesis", "42 cat R" + tail, 0, 0, false},
		{"nothing after comm", "42 (cat)", 0, 0, false},
		{"no space after comm", "42 (cat)R" + tail, 0, 0, false},
		{"short line", "42 (cat) R 1 2 3\n", 0, 0, false},
		{"one field short", "42 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18", 0, 0, false},
		{"exactly starttime", "42 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 777", 'R', 777, true},
		{"garbage starttime", "42 (cat) R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 x19 20", 0, 0, false},
		{"long state", "42 (cat) RR" + tail, 0, 0, false},
		{"garbage", "\x00\xff)) )", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			state, start, ok := parseStat([]byte(tt.line))
			if state != tt.wantState || start != tt.wantStart || ok != tt.wantOK {
				t.Errorf("parseStat(%q) = %q, %d, %v; want %q, %d, %v",
					tt.line, state, start, ok, tt.wantState, tt.wantStart, tt.wantOK)
			}
		})
	}
}

func TestLiveProcess(t *testing.T) {
	pid := os.Getpid()
	start := StartTime(pid)
	if start == 0 {
		t.Fatalf("StartTime(%d) = 0 for the running test process", pid)
	}
	if again := StartTime(pid); again != start {
		t.Errorf("StartTime(%d) changed from %d to %d", pid, start, again)
	}
	if !Alive(pid, 0) || !Alive(pid, start) {
		t.Errorf("Alive(%d) is false for the running test process", pid)
	}
	if Alive(pid, start+1) {
		t.Errorf("Alive(%d, %d) is true for a different start time", pid, start+1)
	}
	// Pids never exceed the kernel's limit of 2^22.
	for _, gone := range []int{math.MaxInt32, -1, 0} {
		if StartTime(gone) != 0 || Alive(gone, 0) {
			t.Errorf("pid %d, which does not exist, is alive", gone)
		}
	}
}

func TestZombieIsNotAlive(t *testing.T) {
	path, err := exec.LookPath("true")
	if err != nil {
		t.Skip("true not found")
	}
	cmd := exec.Command(path)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	pid := cmd.Process.Pid
	// Until Wait reaps it, the exited child stays a zombie.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			t.Fatalf("read the stat of the unreaped child: %v", err)
		}
		if state, _, ok := parseStat(data); ok && state == 'Z' {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d did not become a zombie", pid)
		}
	}
	if StartTime(pid) != 0 || Alive(pid, 0) {
		t.Errorf("zombie %d is alive", pid)
	}
}

func TestBootTime(t *testing.T) {
	bt := BootTime()
	if bt.IsZero() || bt.After(time.Now()) || time.Since(bt) > 10*365*24*time.Hour {
		t.Errorf("BootTime = %v", bt)
	}
}

func TestStopped(t *testing.T) {
	if Stopped(os.Getpid()) {
		t.Error("this test process reads as stopped")
	}
	if Stopped(-1) {
		t.Error("a missing process reads as stopped")
	}
}
