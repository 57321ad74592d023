package layering

// cobra is spelled in two parts so that a text search for imports of it
// does not find this file.
const cobra = "github.com/spf13/" + "cobra"

const (
	pflag   = "github.com/spf13/pflag"
	storage = "go.podman.io/storage"
	image   = "go.podman.io/image/v5"
	logrus  = "github.com/sirupsen/logrus"
	xsys    = "golang.org/x/sys"
	md2man  = "github.com/cpuguy83/go-md2man/v2"
)

// layeringRules is pod's package layering (docs/design.md, section
// "Layering"). Each row forbids one thing; a package missing from the
// module matches nothing.
func layeringRules() []rule {
	// heavy are the libraries the small packages never link.
	heavy := []string{storage + "/...", image + "/...", logrus + "/...", cobra + "/..."}
	return []rule{
		{
			name:    "cobra and pflag only in cmd/pod and pkg/cmd",
			pkgs:    []string{"..."},
			except:  []string{"cmd/pod", "pkg/cmd/...", "test/..."},
			kind:    mustNotDepend,
			targets: []string{cobra + "/...", pflag + "/..."},
		},
		{
			name:    "pkg/monitor imports only stdlib, x/sys, protocol, procfs, ociruntime, fsutil, netns",
			pkgs:    []string{"pkg/monitor"},
			kind:    importsOnly,
			targets: []string{xsys + "/...", "pkg/monitor/protocol", "pkg/procfs", "pkg/ociruntime", "pkg/fsutil", "pkg/netns"},
		},
		{
			name:    "cmd/pod-monitor imports only stdlib, x/sys, monitor, protocol, ociruntime, fsutil",
			pkgs:    []string{"cmd/pod-monitor"},
			kind:    importsOnly,
			targets: []string{xsys + "/...", "pkg/monitor", "pkg/monitor/protocol", "pkg/ociruntime", "pkg/fsutil"},
		},
		{
			name:    "the monitor never links storage, image, logrus, cobra",
			pkgs:    []string{"pkg/monitor", "cmd/pod-monitor"},
			kind:    mustNotDepend,
			targets: heavy,
		},
		{
			// net brings the cgo resolver: a megabyte more resident
			// memory in every monitor.
			name:    "the monitor never links net",
			pkgs:    []string{"pkg/monitor", "cmd/pod-monitor"},
			kind:    mustNotDepend,
			targets: []string{"std:net", "std:runtime/cgo"},
		},
		{
			// Standard library imports only: every dependency is then
			// standard library too.
			name: "pkg/monitor/protocol is standard library only",
			pkgs: []string{"pkg/monitor/protocol"},
			kind: importsOnly,
		},
		{
			name: "libpod/define is standard library only",
			pkgs: []string{"libpod/define"},
			kind: importsOnly,
		},
		{
			name: "pkg/procfs is standard library only",
			pkgs: []string{"pkg/procfs"},
			kind: importsOnly,
		},
		{
			name:    "pkg/signals imports only stdlib and libpod/define",
			pkgs:    []string{"pkg/signals"},
			kind:    importsOnly,
			targets: []string{"libpod/define"},
		},
		{
			name:    "pkg/ps imports only stdlib, procfs and libpod/define",
			pkgs:    []string{"pkg/ps"},
			kind:    importsOnly,
			targets: []string{"pkg/procfs", "libpod/define"},
		},
		{
			name: "pkg/monitor/monitortest is standard library only",
			pkgs: []string{"pkg/monitor/monitortest"},
			kind: importsOnly,
		},
		{
			name:    "pkg/netns imports only stdlib and x/sys",
			pkgs:    []string{"pkg/netns"},
			kind:    importsOnly,
			targets: []string{xsys + "/..."},
		},
		{
			// The forwarder runs beside every container with published
			// ports: a small program of its own.
			name:    "libpod/portfwd and cmd/pod-portfwd import only stdlib, x/sys, rootlesskit's port driver, portfwd",
			pkgs:    []string{"libpod/portfwd", "cmd/pod-portfwd"},
			kind:    importsOnly,
			targets: []string{xsys + "/...", "github.com/rootless-containers/rootlesskit/v2/pkg/port/...", "libpod/portfwd"},
		},
		{
			name:    "the port forwarder never links storage, image, logrus, cobra",
			pkgs:    []string{"libpod/portfwd", "cmd/pod-portfwd"},
			kind:    mustNotDepend,
			targets: heavy,
		},
		{
			name:    "userns imports only stdlib, x/sys, procfs",
			pkgs:    []string{"userns"},
			kind:    importsOnly,
			targets: []string{xsys + "/...", "pkg/procfs"},
		},
		{
			// The doctor diagnoses hosts where the engine cannot start: it
			// links neither the engine nor the CLI.
			name:    "pkg/doctor imports only stdlib, x/sys, userns, procfs, ociruntime, protocol",
			pkgs:    []string{"pkg/doctor"},
			kind:    importsOnly,
			targets: []string{xsys + "/...", "userns", "pkg/procfs", "pkg/ociruntime", "pkg/monitor/protocol"},
		},
		{
			// Small enough for any process that writes or reads events.
			name:    "libpod/events imports only stdlib, libpod/define, pkg/fsutil",
			pkgs:    []string{"libpod/events"},
			kind:    importsOnly,
			targets: []string{"libpod/define", "pkg/fsutil"},
		},
		{
			name:    "ociruntime and fsutil never link storage, image, logrus, cobra",
			pkgs:    []string{"pkg/ociruntime", "pkg/fsutil"},
			kind:    mustNotDepend,
			targets: heavy,
		},
		{
			name:    "libpod never reaches into the CLI",
			pkgs:    []string{"libpod/..."},
			kind:    mustNotDepend,
			targets: []string{"pkg/cmd/...", "pkg/cmdutil"},
		},
		{
			name:    "pkg/spec sits below libpod and the CLI",
			pkgs:    []string{"pkg/spec"},
			kind:    mustNotDepend,
			targets: []string{"libpod/...", "pkg/cmd/...", "pkg/cmdutil"},
			unless:  []string{"libpod/define"},
		},
		{
			name:    "only libpod imports storage and image",
			pkgs:    []string{"..."},
			except:  []string{"libpod/..."},
			kind:    mustNotImport,
			targets: []string{storage + "/...", image + "/..."},
		},
		{
			name:    "only libpod imports buildkit",
			pkgs:    []string{"..."},
			except:  []string{"libpod/..."},
			kind:    mustNotImport,
			targets: []string{"github.com/moby/buildkit/..."},
		},
		{
			// The man page renderer is a tool's library: pod never links it.
			name:    "only pkg/cmd/gendocs links md2man",
			pkgs:    []string{"..."},
			except:  []string{"pkg/cmd/gendocs"},
			kind:    mustNotDepend,
			targets: []string{md2man + "/...", "github.com/russross/blackfriday/...", cobra + "/doc"},
		},
		{
			// The build planner is tested without a store.
			name:    "libpod/build never links storage or image",
			pkgs:    []string{"libpod/build"},
			kind:    mustNotDepend,
			targets: []string{storage + "/...", image + "/..."},
		},
		{
			name:    "nothing imports test/",
			pkgs:    []string{"..."},
			kind:    mustNotImport,
			targets: []string{"test/..."},
		},
	}
}
