package container

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// targetFlags are the ways a verb names its containers besides its
// arguments: --all, --latest, --cidfile and --filter (each verb registers
// the ones podman gives it).
type targetFlags struct {
	All      bool
	Latest   bool
	CIDFiles []string
	Filters  []string
}

// addLatest registers -l/--latest.
func (t *targetFlags) addLatest(cmd *cobra.Command) {
	cmd.Flags().BoolVarP(&t.Latest, "latest", "l", false, "act on the latest container pod is aware of")
}

// addCIDFile registers --cidfile.
func (t *targetFlags) addCIDFile(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&t.CIDFiles, "cidfile", nil, "read the container ID from the file")
}

// addFilter registers --filter (short -f unless the verb uses -f already).
func (t *targetFlags) addFilter(cmd *cobra.Command, short string) {
	cmd.Flags().StringArrayVarP(&t.Filters, "filter", short, nil,
		"act on the containers that match (as ps: "+strings.Join(libpod.ContainerFilterKeys, ", ")+")")
}

// check applies podman's rules on arguments against the flags; a missing
// argument names the verb and the flags that can stand for it.
func (t *targetFlags) check(cmd *cobra.Command, args []string) error {
	switch {
	case t.All && t.Latest:
		return cmdutil.FlagErrorf("--all and --latest cannot be used together")
	case len(t.CIDFiles) > 0 && (t.All || t.Latest):
		return cmdutil.FlagErrorf("--cidfile and --all or --latest cannot be used together")
	case t.Latest && len(args) > 0:
		return cmdutil.FlagErrorf("--latest and containers cannot be used together")
	case t.All && len(args) > 0:
		return cmdutil.FlagErrorf("--all and containers cannot be used together")
	case len(t.CIDFiles) > 0 && len(args) > 0:
		return cmdutil.FlagErrorf("--cidfile and containers cannot be used together")
	case len(t.Filters) > 0 && len(args) > 0:
		return cmdutil.FlagErrorf("--filter and containers cannot be used together")
	case len(args) == 0 && !t.selects():
		var alt []string
		for _, name := range []string{"all", "latest", "cidfile", "filter"} {
			if cmd.Flags().Lookup(name) != nil {
				alt = append(alt, "--"+name)
			}
		}
		return cmdutil.FlagErrorf("%q requires at least one container name or id (or %s)", cmd.CommandPath(), strings.Join(alt, ", "))
	}
	return nil
}

// selects reports whether a flag names the containers.
func (t *targetFlags) selects() bool {
	return t.All || t.Latest || len(t.CIDFiles) > 0 || len(t.Filters) > 0
}

// resolve is the containers to act on: the names given, the ids in the
// --cidfile files, the newest container (--latest), or every container
// that --filter and keep accept (--all or --filter; keep nil: every one).
// Unreadable containers met while listing are reported to errs.
func (t *targetFlags) resolve(e cmdutil.Engine, errs *cmdutil.Errors, names []string, keep func(*libpod.Container) bool) ([]string, error) {
	if len(t.CIDFiles) > 0 {
		return readCIDFiles(t.CIDFiles)
	}
	if t.Latest {
		id, err := latestContainer(e)
		if err != nil {
			return nil, err
		}
		return []string{id}, nil
	}
	if !t.All && len(t.Filters) == 0 {
		return names, nil
	}
	flt, err := containerFilter(e, t.Filters)
	if err != nil {
		return nil, err
	}
	ctrs, bad, err := e.ListContainers()
	if err != nil {
		return nil, err
	}
	for _, b := range bad {
		errs.Add(b)
	}
	ids := make([]string, 0, len(ctrs))
	for _, c := range ctrs {
		if (keep == nil || keep(c)) && flt.Match(c) {
			ids = append(ids, c.ID())
		}
	}
	return ids, nil
}

// containerFilter parses --filter values and looks up the containers that
// since= and before= name.
func containerFilter(e cmdutil.Engine, vals []string) (*libpod.ContainerFilter, error) {
	flt, err := libpod.ParseContainerFilters(vals, time.Now())
	if err != nil {
		return nil, cmdutil.FlagErrorf("invalid --filter: %w", err)
	}
	if err := flt.Resolve(e.Container); err != nil {
		return nil, err
	}
	return flt, nil
}

// latestContainer is the id of the container created last.
func latestContainer(e cmdutil.Engine) (string, error) {
	ctrs, _, err := e.ListContainers()
	if err != nil {
		return "", err
	}
	var latest *libpod.Container
	for _, c := range ctrs {
		if latest == nil || !c.Config.Created.Before(latest.Config.Created) {
			latest = c
		}
	}
	if latest == nil {
		return "", fmt.Errorf("--latest: there are no containers: create one first: %w", define.ErrNoSuchCtr)
	}
	return latest.ID(), nil
}

// readCIDFiles reads the container ids that --cidfile names (as create
// --cidfile writes them).
func readCIDFiles(paths []string) ([]string, error) {
	ids := make([]string, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading --cidfile: %w", err)
		}
		id := strings.TrimSpace(string(b))
		if id == "" {
			return nil, fmt.Errorf("reading --cidfile %s: the file is empty: %w", p, define.ErrInvalidArg)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
