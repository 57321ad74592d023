package libpod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/sirupsen/logrus"
	"go.podman.io/storage/pkg/archive"
	"go.podman.io/storage/pkg/chrootarchive"
	"golang.org/x/sys/unix"

	"github.com/pod-engine/pod/libpod/build"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/spec"
)

// vars are the variables an instruction of the stage expands: its ARGs,
// overridden by its environment.
func (s *stageState) vars() map[string]string {
	v := maps.Clone(s.args)
	for _, kv := range s.settings.Env {
		k, val, _ := strings.Cut(kv, "=")
		v[k] = val
	}
	return v
}

// runCommand runs one instruction of a stage.
func (b *builder) runCommand(ctx context.Context, s *stageState, c instructions.Command, final bool) error {
	vars := s.vars()
	expand := func(w string) (string, error) { return b.expand(w, vars) }
	text := commandText(c)
	switch c := c.(type) {
	case *instructions.ArgCommand:
		for _, kv := range c.Args {
			v, ok := b.args[kv.Key]
			if !ok {
				if mv, isMeta := b.metaArgs[kv.Key]; isMeta && kv.Value == nil {
					v, ok = mv, true
				} else if kv.Value != nil {
					var err error
					if v, err = expand(*kv.Value); err != nil {
						return err
					}
					ok = true
				}
			}
			if ok {
				s.args[kv.Key] = v
			}
		}
		return nil
	case *instructions.RunCommand:
		return b.runStep(ctx, s, c, final)
	case *instructions.CopyCommand:
		if err := c.Expand(expand); err != nil {
			return err
		}
		return b.copyStep(ctx, s, text, c.SourcePaths, c.DestPath, c.From, c.Chown, c.Chmod, false, final)
	case *instructions.AddCommand:
		if err := c.Expand(expand); err != nil {
			return err
		}
		return b.copyStep(ctx, s, text, c.SourcePaths, c.DestPath, "", c.Chown, c.Chmod, true, final)
	case *instructions.MaintainerCommand:
		s.author = c.Maintainer
	case *instructions.OnbuildCommand, *instructions.HealthCheckCommand, *instructions.ShellCommand:
		if b.o.Format != image.FormatDocker {
			logrus.Warnf("%s is not supported for the OCI image format: %q is ignored; use --format docker", strings.ToUpper(c.Name()), text)
		}
		if err := s.settings.Apply(c, expand); err != nil {
			return err
		}
	case *instructions.EntrypointCommand:
		if err := s.settings.Apply(c, expand); err != nil {
			return err
		}
		if !s.cmdSet {
			s.settings.Cmd = nil
		}
	case *instructions.CmdCommand:
		if err := s.settings.Apply(c, expand); err != nil {
			return err
		}
		s.cmdSet = true
	default:
		if err := s.settings.Apply(c, expand); err != nil {
			return err
		}
	}
	return b.commitStep(ctx, s, stepCommit{createdBy: "/bin/sh -c #(nop) " + text, final: final})
}

// stepCommit is what commitStep stores.
type stepCommit struct {
	createdBy string
	// key holds what else identifies the step (content checksums).
	key string
	// make creates the storage container holding the step's layer (nil:
	// no layer) and returns its id, layer and cleanup.
	make  func() (ctr, layer string, done func(), err error)
	final bool
}

// commitStep reuses the cached image of a step or stores a new one, and
// makes it the stage's current image.
func (b *builder) commitStep(ctx context.Context, s *stageState, sc stepCommit) error {
	settings := s.settings
	var annots map[string]string
	extra := []string{sc.key}
	if sc.final {
		s.finalDone = true
		if len(b.labels) > 0 {
			settings.Labels = maps.Clone(settings.Labels)
			if settings.Labels == nil {
				settings.Labels = map[string]string{}
			}
			maps.Copy(settings.Labels, b.labels)
		}
		annots = b.annots
		for _, k := range build.SortedKeys(b.labels) {
			extra = append(extra, "label "+k+"="+b.labels[k])
		}
		for _, k := range build.SortedKeys(annots) {
			extra = append(extra, "annotation "+k+"="+annots[k])
		}
	}
	key := b.cacheKey(s, sc.createdBy+"\x00"+s.author, extra...)
	useCache := b.o.Layers && !b.o.NoCache
	if useCache {
		id, err := image.FindCachedStep(b.store, key)
		if err != nil {
			return err
		}
		if id != "" {
			b.printf("--> Using cache %s\n", id)
			if sc.final {
				b.printf("COMMIT %s\n", strings.Join(b.o.Tags, " "))
			}
			b.printf("--> %s\n", shortID(id))
			s.parentID = id
			return nil
		}
	}
	so := image.StepOptions{
		ParentID: s.parentID, Settings: settings, Platform: s.platform.Platform, Format: b.o.Format,
		CreatedBy: sc.createdBy, Author: s.author, Annotations: annots,
	}
	if s.parentID != "" {
		so.Comment = "FROM " + s.fromRef
		if s.parentID != s.baseID {
			so.Comment = "FROM " + s.parentID[:min(12, len(s.parentID))]
		}
	}
	if b.o.Layers {
		so.CacheKey = key
	}
	if sc.make != nil {
		ctr, layer, done, err := sc.make()
		if err != nil {
			return err
		}
		defer done()
		so.Container, so.Layer = ctr, layer
	}
	if sc.final {
		b.printf("COMMIT %s\n", strings.Join(b.o.Tags, " "))
	}
	img, err := image.StoreStep(ctx, b.store, so)
	if err != nil {
		return b.r.noSpace("build", err)
	}
	b.created = append(b.created, img.ID)
	b.printf("--> %s\n", shortID(img.ID))
	s.parentID = img.ID
	return nil
}

// runStep runs a RUN instruction in a container made from the current
// image, as `pod run` does, and commits what it changed.
func (b *builder) runStep(ctx context.Context, s *stageState, c *instructions.RunCommand, final bool) error {
	if s.parentID == "" {
		return fmt.Errorf("RUN needs an image with a shell or the command: FROM scratch has none: %w", define.ErrInvalidArg)
	}
	argv := runArgv(s.settings.ShellOrDefault(), c)
	var env []string
	envSet := map[string]bool{}
	for _, kv := range s.settings.Env {
		k, _, _ := strings.Cut(kv, "=")
		envSet[k] = true
	}
	for _, k := range build.SortedKeys(s.args) {
		if !envSet[k] {
			env = append(env, k+"="+s.args[k])
		}
	}
	// The --mount flags are read when expanded with the stage's variables.
	vars := s.vars()
	if err := c.Expand(func(w string) (string, error) { return b.expand(w, vars) }); err != nil {
		return err
	}
	network, err := runNetwork(b.o.Network, c)
	if err != nil {
		return err
	}
	mounts, mountKey, release, err := b.runMounts(ctx, s, c)
	if err != nil {
		return err
	}
	defer release()
	createdBy := strings.Join(argv, " ")
	key := "env " + strings.Join(env, "\x00") + "\nmounts " + mountKey + "\nnetwork " + network
	return b.commitStep(ctx, s, stepCommit{createdBy: createdBy, key: key, final: final,
		make: func() (string, string, func(), error) {
			return b.runContainer(ctx, s, runSpec{argv: argv, env: env, mounts: mounts, network: network, text: commandText(c)})
		}})
}

// runArgv is the command of a RUN: the exec form as written; the shell
// form through shell. A heredoc that is the whole command is the script the
// shell runs; other heredocs go to the shell with their contents after the
// command line, as a shell script would have them.
func runArgv(shell []string, c *instructions.RunCommand) []string {
	if !c.PrependShell {
		return append([]string(nil), c.CmdLine...)
	}
	line := strings.Join(c.CmdLine, " ")
	if len(c.Files) == 0 {
		return append(slices.Clone(shell), line)
	}
	if len(c.Files) == 1 && isLoneHeredoc(line, c.Files[0].Name) {
		return append(slices.Clone(shell), c.Files[0].Data)
	}
	full := line
	for _, f := range c.Files {
		full += "\n" + f.Data + f.Name
	}
	return append(slices.Clone(shell), full)
}

// isLoneHeredoc reports whether line is only a heredoc marker for name
// ("<<EOF", "<<-EOF", "<<'EOF'", "<<\"EOF\"").
func isLoneHeredoc(line, name string) bool {
	w := strings.TrimSpace(line)
	w, ok := strings.CutPrefix(w, "<<")
	if !ok {
		return false
	}
	w = strings.TrimPrefix(w, "-")
	w = strings.Trim(w, "'\"")
	return w == name
}

// runNetwork is the network of a RUN container: the RUN's --network, else
// the build's --network ("" the default network).
func runNetwork(buildNet string, c *instructions.RunCommand) (string, error) {
	switch n := instructions.GetNetwork(c); n {
	case instructions.NetworkDefault, "":
		return buildNet, nil
	case instructions.NetworkNone, instructions.NetworkHost:
		return string(n), nil
	default:
		return "", fmt.Errorf("RUN --network=%s: use default, none or host: %w", n, define.ErrInvalidArg)
	}
}

// runSpec is the container of a RUN step.
type runSpec struct {
	argv, env, mounts []string
	network, text     string
}

// runContainer creates and starts the container of a RUN step, waits for
// it and returns its storage; done removes it. An interrupted build kills
// it.
func (b *builder) runContainer(ctx context.Context, s *stageState, rs runSpec) (string, string, func(), error) {
	none := ""
	ctr, err := b.r.CreateContainer(ctx, &CreateOptions{
		Image: s.parentID, Command: rs.argv, Entrypoint: &none, Env: rs.env, Pull: "never", Quiet: true,
		Labels:  []string{buildLabel + "=true", buildIDLabel + "=" + b.id},
		Network: rs.network, Mount: MountOptions{Mounts: rs.mounts},
	})
	if err != nil {
		return "", "", nil, err
	}
	remove := func() {
		if err := b.r.RemoveContainer(context.WithoutCancel(ctx), ctr.ID(), RemoveOptions{Force: true}); err != nil {
			logrus.Warnf("removing build container %s: %v", ctr.Name(), err)
		}
	}
	fail := func(err error) (string, string, func(), error) {
		remove()
		if ctx.Err() != nil {
			return "", "", nil, ctx.Err()
		}
		return "", "", nil, err
	}
	out := b.o.RunOut
	if out == nil {
		if f, ok := b.o.Out.(*os.File); ok {
			out = f
		} else {
			devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				return fail(err)
			}
			defer devnull.Close()
			out = devnull
		}
	}
	stop := context.AfterFunc(ctx, func() {
		_ = b.r.KillContainer(context.WithoutCancel(ctx), ctr.ID(), unix.SIGKILL)
	})
	defer stop()
	att, err := b.r.StartContainer(ctx, ctr.ID(), &AttachStreams{Stdout: out, Stderr: out})
	if err != nil {
		return fail(err)
	}
	code, err := att.Wait()
	if ferr := att.Finish(); err == nil {
		err = ferr
	}
	if err == nil && code != 0 {
		err = &BuildRunError{Step: rs.text, Code: code}
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fail(err)
	}
	sc, err := b.store.Container(ctr.ID())
	if err != nil {
		return fail(err)
	}
	return sc.ID, sc.LayerID, remove, nil
}

// copyStep runs COPY or ADD: the sources (from the context, a stage or an
// image) are copied into a storage container of the current image, whose
// changes become the step's layer.
func (b *builder) copyStep(ctx context.Context, s *stageState, text string, srcs []string, dest, from, chown, chmod string, add, final bool) error {
	root := b.ctxDir
	if from != "" {
		r, release, err := b.rootOf(ctx, s, from)
		if err != nil {
			return err
		}
		defer release()
		root = r
	}
	// Each group of sources is copied from its own root: the context (or
	// the --from stage), or a download directory for a URL.
	type group struct {
		root    *build.Root
		sources []build.Source
		url     bool
	}
	groups := []*group{{root: root}}
	var sources []build.Source
	glob := false
	sums := sha256.New()
	for _, src := range srcs {
		if add && strings.HasPrefix(src, "git@") {
			return fmt.Errorf("ADD %s: git sources are not supported: clone it into the context: %w", src, define.ErrInvalidArg)
		}
		if add && build.IsURL(src) {
			dir, err := os.MkdirTemp("", "pod-build-add-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			r, dl, err := build.Download(ctx, http.DefaultClient, src, dir)
			if err != nil {
				return err
			}
			groups = append(groups, &group{root: r, sources: []build.Source{dl}, url: true})
			sources = append(sources, dl)
			continue
		}
		r, err := root.Resolve(src)
		if err != nil {
			return err
		}
		glob = glob || strings.ContainsAny(src, "*?[")
		groups[0].sources = append(groups[0].sources, r...)
		sources = append(sources, r...)
	}
	for _, g := range groups {
		sum, err := g.root.Checksum(g.sources)
		if err != nil {
			return err
		}
		fmt.Fprintln(sums, sum)
	}
	sum := hex.EncodeToString(sums.Sum(nil))
	var mode *fs.FileMode
	if chmod != "" {
		m, err := strconv.ParseUint(chmod, 8, 32)
		if err != nil || m > 0o7777 {
			return fmt.Errorf("--chmod=%s: must be an octal mode: %w", chmod, define.ErrInvalidArg)
		}
		fm := fs.FileMode(m&0o777) | modeBits(m)
		mode = &fm
	}
	if !path.IsAbs(dest) {
		wd := s.workDir()
		trailing := strings.HasSuffix(dest, "/")
		dest = path.Join(wd, dest)
		if trailing {
			dest += "/"
		}
	}
	kind := "file"
	if len(sources) > 1 {
		kind = "multi"
	} else if len(sources) == 1 && sources[0].Info.IsDir() {
		kind = "dir"
	}
	name := "COPY"
	if add {
		name = "ADD"
	}
	createdBy := fmt.Sprintf("/bin/sh -c #(nop) %s %s:%s in %s ", name, kind, sum, dest)
	return b.commitStep(ctx, s, stepCommit{createdBy: createdBy, key: "chown " + chown + " chmod " + chmod + " from " + from, final: final,
		make: func() (string, string, func(), error) {
			sc, err := b.store.CreateContainer("", nil, s.parentID, "", buildStorageMeta(b.id), nil)
			if err != nil {
				return "", "", nil, fmt.Errorf("creating the build container: %w", err)
			}
			done := func() { b.deleteStorage(sc.ID) }
			mp, err := b.store.Mount(sc.ID, "")
			if err != nil {
				done()
				return "", "", nil, fmt.Errorf("mounting the build container: %w", err)
			}
			co := build.CopyOptions{Mode: mode, DestIsDir: len(sources) > 1 || glob}
			if chown != "" {
				u, err := spec.ResolveUser(mp, chown)
				if err != nil {
					done()
					return "", "", nil, fmt.Errorf("--chown=%s: %w", chown, err)
				}
				co.UID, co.GID = int(u.UID), int(u.GID)
			}
			for _, g := range groups {
				gco := co
				if add && !g.url {
					gco.Extract = extractArchive
				}
				if err = g.root.CopyInto(mp, g.sources, dest, gco); err != nil {
					break
				}
			}
			_, _ = b.store.Unmount(sc.ID, false)
			if err != nil {
				done()
				return "", "", nil, err
			}
			return sc.ID, sc.LayerID, done, nil
		}})
}

// deleteStorage removes a storage container of the build.
func (b *builder) deleteStorage(id string) {
	_, _ = b.store.Unmount(id, true)
	if err := b.store.DeleteContainer(id); err != nil {
		logrus.Warnf("removing build container %s: %v", id, err)
	}
}

// workDir is the stage's working directory ("/" when unset).
func (s *stageState) workDir() string {
	if s.settings.WorkingDir == "" {
		return "/"
	}
	return s.settings.WorkingDir
}

// pullQuiet makes image name available as the build's pull policy says,
// without progress, and returns its id.
func (b *builder) pullQuiet(ctx context.Context, name string) (string, error) {
	policy, _ := image.ParsePullPolicy(b.o.Pull)
	ref, err := b.r.PullImage(ctx, name, image.PullOptions{System: b.o.Registry, Policy: policy, Quiet: true})
	if err != nil {
		return "", err
	}
	return ref.ID, nil
}

// modeBits are the setuid, setgid and sticky bits of an octal mode.
func modeBits(m uint64) fs.FileMode {
	var fm fs.FileMode
	if m&0o4000 != 0 {
		fm |= fs.ModeSetuid
	}
	if m&0o2000 != 0 {
		fm |= fs.ModeSetgid
	}
	if m&0o1000 != 0 {
		fm |= fs.ModeSticky
	}
	return fm
}

// extractArchive unpacks file into dir when it is a (possibly compressed)
// tar archive, as ADD does.
func extractArchive(file, dir string) (bool, error) {
	if !archive.IsArchivePath(file) {
		return false, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return true, err
	}
	defer f.Close()
	if err := chrootarchive.Untar(f, dir, &archive.TarOptions{}); err != nil {
		return true, fmt.Errorf("extracting %s: %w", path.Base(file), err)
	}
	return true, nil
}
