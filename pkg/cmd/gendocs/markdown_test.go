package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// The generator writes one page per visible command with its synopsis,
// examples, options and links, and removes pages of commands gone.
func TestWriteTree(t *testing.T) {
	root := &cobra.Command{Use: "pod", Short: "root"}
	root.PersistentFlags().String("root", "", "storage root")
	noun := &cobra.Command{Use: "container", Short: "Manage containers"}
	start := &cobra.Command{Use: "start [options] CONTAINER", Short: "Start containers", Example: "  pod container start ctr1",
		Run: func(*cobra.Command, []string) {}}
	start.Flags().BoolP("all", "a", false, "start all")
	hidden := &cobra.Command{Use: "secret", Hidden: true, Run: func(*cobra.Command, []string) {}}
	noun.AddCommand(start, hidden)
	root.AddCommand(noun)

	dir := t.TempDir()
	stale := filepath.Join(dir, "pod-gone.md")
	if err := os.WriteFile(stale, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := writeTree(root, dir, markdown())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale page kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pod-container-secret.md")); !os.IsNotExist(err) {
		t.Errorf("hidden command got a page")
	}
	data, err := os.ReadFile(filepath.Join(dir, "pod-container-start.md"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, want := range []string{"# pod container start", "pod container start [options] CONTAINER", "## Examples", "pod container start ctr1",
		"-a, --all", "## Global options", "--root string", "[pod container](pod-container.md)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if n < 3 { // pod, pod container, pod container start (+ completion)
		t.Errorf("%d pages", n)
	}
}
