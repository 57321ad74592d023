package complete

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/pkg/cmdutil"
	"github.com/pod-engine/pod/pkg/signals"
)

// kind is what a positional argument names.
type kind int

const (
	none kind = iota
	containers
	images
	volumes
	networks
	containersOrImages
)

// argKinds says, per command key (see key), what its arguments name: one
// entry per position, the last repeating when rest is set.
type argSpec struct {
	kinds []kind
	rest  bool
}

func argTable() map[string]argSpec {
	ctr := argSpec{kinds: []kind{containers}, rest: true}
	oneCtr := argSpec{kinds: []kind{containers}}
	img := argSpec{kinds: []kind{images}, rest: true}
	oneImg := argSpec{kinds: []kind{images}}
	vol := argSpec{kinds: []kind{volumes}, rest: true}
	net := argSpec{kinds: []kind{networks}, rest: true}
	t := map[string]argSpec{
		"inspect": {kinds: []kind{containersOrImages}, rest: true},
		"run":     oneImg, "create": oneImg, "tag": oneImg, "push": oneImg,
		"rmi": img, "untag": img, "history": oneImg, "save": img,
		"image rm": img, "image inspect": img, "image exists": oneImg, "image tree": oneImg,
		"image history": oneImg, "image push": oneImg, "image tag": oneImg, "image untag": img,
		"image save": img,
		"exec":       oneCtr, "rename": oneCtr, "commit": oneCtr, "export": oneCtr, "attach": oneCtr,
		"port": oneCtr, "top": oneCtr, "diff": oneCtr, "exists": oneCtr, "cleanup": ctr,
		"healthcheck run": oneCtr,
		"volume rm":       vol, "volume inspect": vol, "volume exists": vol, "volume export": vol,
		"volume import": argSpec{kinds: []kind{volumes}},
		"network rm":    net, "network inspect": net, "network exists": net,
		"network connect":    argSpec{kinds: []kind{networks, containers}},
		"network disconnect": argSpec{kinds: []kind{networks, containers}},
	}
	for _, v := range []string{"start", "stop", "restart", "kill", "rm", "wait", "logs", "pause", "unpause",
		"mount", "unmount", "umount", "stats"} {
		t[v] = ctr
	}
	t["container inspect"] = ctr
	return t
}

// key names a command for the tables: "verb", or "noun verb" for the
// nouns other than container (whose verbs are the top-level ones).
func key(c *cobra.Command) string {
	p := c.Parent()
	if p == nil || !p.HasParent() {
		return c.Name()
	}
	if p.Name() == "container" && c.Name() != "inspect" {
		return c.Name()
	}
	return p.Name() + " " + c.Name()
}

// Setup prepares root's shell integration at every start, cheaply: the
// completion command refuses an unknown shell, and the first help shown
// fills in the Examples (see AddExamples).
func Setup(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			// Runnable, so that cobra refuses an unknown shell (125)
			// instead of printing the help.
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
	help := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		AddExamples(root)
		help(c, args)
	})
}

// Requested says whether args (the command line after the program name)
// are a shell's completion request, for which Register must run first.
func Requested(args []string) bool {
	return len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd)
}

// Register gives every command of root its argument and flag completions.
// The engine is opened only when a completion needs the store. It costs
// a walk of the whole tree, so it runs for completion requests only.
func Register(root *cobra.Command, f *cmdutil.Factory) {
	args, fixed := argTable(), fixedValues()
	walk(root, func(c *cobra.Command) {
		k := key(c)
		if spec, ok := args[k]; ok && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = argsFunc(f, spec)
		}
		registerFlags(c, f, k, fixed)
	})
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// fixedValues are the choices of flags that take one of a few words.
func fixedValues() map[string][]string {
	return map[string][]string{
		"pull":       {"always", "missing", "never", "newer"},
		"restart":    {"no", "on-failure", "always", "unless-stopped"},
		"log-driver": {"k8s-file", "none", "passthrough"},
		"log-level":  cmdutil.LogLevels(),
		"userns":     {"host", "keep-id", "auto"},
		"type":       {"container", "image", "all"},
	}
}

// registerFlags registers the completions of c's own flags.
func registerFlags(c *cobra.Command, f *cmdutil.Factory, k string, fixed map[string][]string) {
	sigs := func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return signals.Names(), cobra.ShellCompDirectiveNoFileComp
	}
	names := []string{"network", "net", "format", "signal", "stop-signal", "volumes-from"}
	for n := range fixed {
		if n != "type" || k == "inspect" {
			names = append(names, n)
		}
	}
	for _, name := range names {
		// Only the command's own flags (persistent ones included): a
		// lookup each, as this runs for every command at every start.
		if c.Flags().Lookup(name) == nil && c.PersistentFlags().Lookup(name) == nil {
			continue
		}
		var fn cobra.CompletionFunc
		switch name {
		case "network", "net":
			fn = networkFunc(f)
		case "format":
			fn = formatFunc(k)
		case "signal", "stop-signal":
			fn = sigs
		case "volumes-from":
			fn = argsFunc(f, argSpec{kinds: []kind{containers}, rest: true})
		default:
			fn = cobra.FixedCompletions(fixed[name], cobra.ShellCompDirectiveNoFileComp)
		}
		_ = c.RegisterFlagCompletionFunc(name, fn) // already registered: keep that one
	}
}

// argsFunc completes positional arguments as spec says.
func argsFunc(f *cmdutil.Factory, spec argSpec) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		pos := len(args)
		if pos >= len(spec.kinds) && !spec.rest {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		k := spec.kinds[min(pos, len(spec.kinds)-1)]
		out, err := names(f, k, toComplete)
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// names lists the objects of a kind whose name starts with prefix, and
// the short ids that do when prefix looks like one.
func names(f *cmdutil.Factory, k kind, prefix string) ([]string, error) {
	e, err := f.Engine()
	if err != nil {
		return nil, err
	}
	var out []string
	add := func(name, id string) {
		if name != "" && strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
		if prefix != "" && id != "" && strings.HasPrefix(id, prefix) {
			out = append(out, id[:min(12, len(id))])
		}
	}
	if k == containers || k == containersOrImages {
		ctrs, _, err := e.ListContainers()
		if err != nil {
			return nil, err
		}
		for _, c := range ctrs {
			add(c.Name(), c.ID())
		}
	}
	if k == images || k == containersOrImages {
		imgs, err := e.ListImages(nil)
		if err != nil {
			return nil, err
		}
		for _, im := range imgs {
			for _, t := range im.RepoTags {
				add(t, "")
			}
			add("", im.ID)
		}
	}
	if k == volumes {
		vols, err := e.ListVolumes(nil)
		if err != nil {
			return nil, err
		}
		for _, v := range vols {
			add(v.Name, "")
		}
	}
	if k == networks {
		nets, err := e.ListNetworks(nil)
		if err != nil {
			return nil, err
		}
		for _, n := range nets {
			add(n.Name, n.ID)
		}
	}
	return out, nil
}

// networkFunc completes --network: the modes, then the user's networks.
func networkFunc(f *cmdutil.Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		modes := []string{"bridge", "host", "none", "private", "pasta", "slirp4netns", "container:", "ns:"}
		var out []string
		for _, m := range modes {
			if strings.HasPrefix(m, toComplete) {
				out = append(out, m)
			}
		}
		dir := cobra.ShellCompDirectiveNoFileComp
		if strings.HasPrefix(toComplete, "container:") {
			ctrs, _ := names(f, containers, strings.TrimPrefix(toComplete, "container:"))
			out = nil
			for _, c := range ctrs {
				out = append(out, "container:"+c)
			}
			return out, dir
		}
		if strings.HasSuffix(toComplete, ":") || strings.Contains(toComplete, ":") {
			dir |= cobra.ShellCompDirectiveNoSpace
		}
		nets, err := names(f, networks, toComplete)
		if err == nil {
			out = append(out, nets...)
		}
		return out, dir
	}
}
