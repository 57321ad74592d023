package libpod

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/sirupsen/logrus"
	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/build"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// BuildOptions are what `pod build` asks of the engine.
type BuildOptions struct {
	// ContextDir is the build context directory.
	ContextDir string
	// Containerfile is the file's path ("" picks Containerfile, else
	// Dockerfile, in the context; "-" reads Stdin).
	Containerfile string
	Stdin         io.Reader
	// Tags name the final image.
	Tags []string
	// BuildArgs are --build-arg values (KEY=VALUE; KEY alone takes pod's
	// own environment's value).
	BuildArgs []string
	// Labels and Annotations (key=value) go into the final image.
	Labels, Annotations []string
	// Format is "oci" (default) or "docker".
	Format string
	// Target is the stage to build (default: the last).
	Target string
	// NoCache never reuses a step; Layers keeps every step's image and
	// reuses them (the default); without it only the final image stays.
	NoCache, Layers bool
	// Squash makes the layers the build adds one layer; SquashAll makes
	// the whole image one layer (base included).
	Squash, SquashAll bool
	// Network is the network of RUN containers ("" the default network,
	// "none", "host", ...); a RUN's own --network wins.
	Network string
	// Pull is the pull policy of FROM images ("" missing).
	Pull     string
	Registry image.SystemOptions
	// Out receives the step lines and RUN output (nil: none); RunOut is
	// where RUN output goes (nil: Out when it is a file, else discarded).
	Out    io.Writer
	RunOut *os.File
}

// BuildRunError is a RUN instruction that exited with a non-zero code.
type BuildRunError struct {
	Step string
	Code int
}

func (e *BuildRunError) Error() string {
	return fmt.Sprintf("building at STEP %q: while running runtime: exit status %d", e.Step, e.Code)
}

// builder is one build in progress.
type builder struct {
	r *Runtime
	// id names the build's lock and labels its containers
	// (buildorphans.go).
	id     string
	store  storage.Store
	o      *BuildOptions
	file   *build.File
	ctxDir *build.Root
	lex    *shell.Lex
	// args are the --build-arg values.
	args map[string]string
	// metaArgs are the values of the ARGs before the first FROM.
	metaArgs map[string]string
	step     int
	steps    int
	// stages holds each built stage's image id.
	stages map[int]string
	// created are the step images this build stored (for --layers=false).
	created []string
	labels  map[string]string
	annots  map[string]string
	// finalBase is the image the target stage starts from.
	finalBase string
}

// stageState is a stage being built.
type stageState struct {
	index    int
	parentID string
	settings image.Settings
	platform image.BuildBase
	// args are the ARGs declared in the stage, with their values.
	args      map[string]string
	cmdSet    bool
	author    string
	fromRef   string
	baseID    string
	finalDone bool
}

// Build builds an image from a Containerfile and returns its id.
func (r *Runtime) Build(ctx context.Context, o BuildOptions) (string, error) {
	b, err := r.newBuilder(&o)
	if err != nil {
		return "", err
	}
	r.reapBuilds()
	ctx, interrupted := interruptible(ctx)
	defer interrupted()
	var release func()
	if b.id, release, err = r.beginBuild(); err != nil {
		return "", err
	}
	defer release()
	target := len(b.file.Stages) - 1
	if o.Target != "" {
		if target = b.file.StageIndex(o.Target, len(b.file.Stages)); target < 0 {
			return "", fmt.Errorf("the target stage %q is not in the Containerfile: %w", o.Target, define.ErrInvalidArg)
		}
	}
	needed := b.neededStages(target)
	for i := range needed {
		if needed[i] {
			b.steps += 1 + len(b.file.Stages[i].Commands)
		}
	}
	var id string
	for i := 0; i <= target; i++ {
		if !needed[i] {
			continue
		}
		if id, err = b.buildStage(ctx, i, i == target); err != nil {
			return "", err
		}
		b.stages[i] = id
	}
	if o.Squash || o.SquashAll {
		if id, err = b.squash(ctx, id, o.SquashAll); err != nil {
			return "", err
		}
	}
	if err := b.finish(id); err != nil {
		return "", err
	}
	return id, nil
}

func (r *Runtime) newBuilder(o *BuildOptions) (*builder, error) {
	if o.Format == "" {
		o.Format = image.FormatOCI
	}
	if o.Format != image.FormatOCI && o.Format != image.FormatDocker {
		return nil, fmt.Errorf("unrecognized image format %q: use oci or docker: %w", o.Format, define.ErrInvalidArg)
	}
	if _, err := image.ParsePullPolicy(o.Pull); err != nil {
		return nil, err
	}
	for _, t := range o.Tags {
		if _, err := image.NormalizeName(t); err != nil {
			return nil, err
		}
	}
	b := &builder{r: r, o: o, args: map[string]string{}, metaArgs: map[string]string{}, stages: map[int]string{}}
	var err error
	if b.labels, err = keyValues("--label", o.Labels); err != nil {
		return nil, err
	}
	if b.annots, err = keyValues("--annotation", o.Annotations); err != nil {
		return nil, err
	}
	for _, a := range o.BuildArgs {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			if v, ok = os.LookupEnv(k); !ok {
				continue
			}
		}
		b.args[k] = v
	}
	name, data, err := readContainerfile(o)
	if err != nil {
		return nil, err
	}
	if b.file, err = build.Parse(name, data); err != nil {
		return nil, err
	}
	b.lex = shell.NewLex(b.file.Escape)
	if b.ctxDir, err = build.OpenContext(o.ContextDir); err != nil {
		return nil, err
	}
	// The platform arguments are predefined (this machine's platform;
	// --build-arg overrides them).
	plat := runtime.GOOS + "/" + runtime.GOARCH
	for k, v := range map[string]string{"BUILDPLATFORM": plat, "BUILDOS": runtime.GOOS, "BUILDARCH": runtime.GOARCH,
		"TARGETPLATFORM": plat, "TARGETOS": runtime.GOOS, "TARGETARCH": runtime.GOARCH} {
		b.metaArgs[k] = v
		if a, ok := b.args[k]; ok {
			b.metaArgs[k] = a
		}
	}
	for _, a := range b.file.MetaArgs {
		for _, kv := range a.Args {
			v, ok := b.args[kv.Key]
			if !ok && kv.Value != nil {
				if v, err = b.expand(*kv.Value, b.metaArgs); err != nil {
					return nil, err
				}
				ok = true
			}
			if ok {
				b.metaArgs[kv.Key] = v
			}
		}
	}
	if b.store, err = r.getStore(); err != nil {
		return nil, err
	}
	return b, nil
}

// readContainerfile finds and reads the Containerfile.
func readContainerfile(o *BuildOptions) (string, []byte, error) {
	switch o.Containerfile {
	case "-":
		data, err := io.ReadAll(o.Stdin)
		return "stdin", data, err
	case "":
		for _, n := range []string{"Containerfile", "Dockerfile"} {
			p := filepath.Join(o.ContextDir, n)
			if data, err := os.ReadFile(p); err == nil {
				return p, data, nil
			}
		}
		return "", nil, fmt.Errorf("no Containerfile or Dockerfile in %s: give one with -f: %w", o.ContextDir, define.ErrInvalidArg)
	}
	data, err := os.ReadFile(o.Containerfile)
	if err != nil {
		return "", nil, fmt.Errorf("reading the Containerfile: %w: %w", err, define.ErrInvalidArg)
	}
	return o.Containerfile, data, nil
}

func keyValues(flag string, vals []string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range vals {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			return nil, fmt.Errorf("%s %q: must be key=value: %w", flag, kv, define.ErrInvalidArg)
		}
		m[k] = v
	}
	return m, nil
}

// neededStages marks the target stage and every stage it depends on
// (FROM a stage, COPY --from a stage).
func (b *builder) neededStages(target int) []bool {
	needed := make([]bool, len(b.file.Stages))
	var mark func(i int)
	mark = func(i int) {
		if needed[i] {
			return
		}
		needed[i] = true
		st := b.file.Stages[i]
		base, _ := b.expand(st.BaseName, b.metaArgs)
		if j := b.file.StageIndex(base, i); j >= 0 {
			mark(j)
		}
		for _, c := range st.Commands {
			if cp, ok := c.(*instructions.CopyCommand); ok && cp.From != "" {
				if j := b.file.StageIndex(cp.From, i); j >= 0 {
					mark(j)
				}
			}
		}
	}
	mark(target)
	return needed
}

// expand expands a word's variables from vars.
func (b *builder) expand(word string, vars map[string]string) (string, error) {
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	res, err := b.lex.ProcessWordWithMatches(word, shell.EnvsFromSlice(env))
	return res.Result, err
}

// printf writes a progress line unless quiet.
func (b *builder) printf(format string, a ...any) {
	if b.o.Out != nil {
		fmt.Fprintf(b.o.Out, format, a...)
	}
}

// buildStage builds stage i and returns its image id.
func (b *builder) buildStage(ctx context.Context, i int, last bool) (string, error) {
	st := b.file.Stages[i]
	b.step++
	b.printf("STEP %d/%d: %s\n", b.step, b.steps, st.SourceCode)
	base, err := b.expand(st.BaseName, b.metaArgs)
	if err != nil {
		return "", b.stepError(st.SourceCode, err)
	}
	s := &stageState{index: i, args: map[string]string{}, fromRef: base}
	if j := b.file.StageIndex(base, i); j >= 0 {
		s.parentID = b.stages[j]
	} else if !strings.EqualFold(base, "scratch") {
		policy, _ := image.ParsePullPolicy(b.o.Pull)
		po := image.PullOptions{System: b.o.Registry, Policy: policy, Quiet: b.o.Out == nil, Progress: b.o.Out}
		if st.Platform != "" {
			// FROM --platform: the image of that platform.
			if po.Platform.Platform, err = b.expand(st.Platform, b.metaArgs); err != nil {
				return "", b.stepError(st.SourceCode, err)
			}
			if _, err := image.ParsePlatform(po.Platform); err != nil {
				return "", b.stepError(st.SourceCode, err)
			}
		}
		ref, err := b.r.PullImage(ctx, base, po)
		if err != nil {
			return "", b.stepError(st.SourceCode, err)
		}
		s.parentID = ref.ID
	}
	s.baseID = s.parentID
	if last {
		b.finalBase = s.baseID
	}
	bb, err := image.ReadBuildBase(ctx, b.store, s.parentID)
	if err != nil {
		return "", err
	}
	s.settings, s.platform = bb.Settings, *bb
	cmds := slices.Clone(st.Commands)
	if len(s.settings.OnBuild) > 0 {
		var triggers []instructions.Command
		for _, t := range s.settings.OnBuild {
			c, err := image.ParseInstruction(t)
			if err != nil {
				return "", fmt.Errorf("ONBUILD trigger %q of image %s: %w: %w", t, base, err, define.ErrInvalidArg)
			}
			triggers = append(triggers, c)
		}
		s.settings.OnBuild = nil
		cmds = append(triggers, cmds...)
	}
	for k, c := range cmds {
		finalStep := last && k == len(cmds)-1
		if k >= len(cmds)-len(st.Commands) {
			b.step++
			b.printf("STEP %d/%d: %s\n", b.step, b.steps, commandText(c))
		}
		if err := b.runCommand(ctx, s, c, finalStep); err != nil {
			var re *BuildRunError
			if errors.As(err, &re) || errors.Is(err, context.Canceled) {
				return "", err
			}
			return "", fmt.Errorf("building at STEP \"%s\" (line %d): %w", commandText(c), build.Line(c), err)
		}
	}
	if last && !s.finalDone {
		// The last instruction committed nothing (FROM only, ARG): the
		// final image is the stage's, with the labels if there are any.
		if len(b.labels)+len(b.annots) > 0 || s.parentID == "" {
			if err := b.commitStep(ctx, s, stepCommit{createdBy: "/bin/sh -c #(nop) LABEL", final: true}); err != nil {
				return "", err
			}
		} else {
			b.printf("COMMIT %s\n", strings.Join(b.o.Tags, " "))
			b.printf("--> %s\n", shortID(s.parentID))
		}
	}
	return s.parentID, nil
}

func (b *builder) stepError(step string, err error) error {
	return fmt.Errorf("building at STEP \"%s\": %w", step, err)
}

// commandText is an instruction as written, on one line.
func commandText(c instructions.Command) string {
	if s, ok := c.(fmt.Stringer); ok {
		return s.String()
	}
	return strings.ToUpper(c.Name())
}

// finish tags the final image, removes the step images of a build without
// layers, and prints the tags.
func (b *builder) finish(id string) error {
	if id == "" {
		return fmt.Errorf("the build made no image (FROM scratch with nothing in it): %w", define.ErrInvalidArg)
	}
	if len(b.o.Tags) > 0 {
		if err := b.r.TagImage(id, b.o.Tags); err != nil {
			return err
		}
	}
	if !b.o.Layers {
		for _, c := range b.created {
			if c != id {
				if _, err := b.store.DeleteImage(c, true); err != nil {
					logrus.Debugf("removing step image %s: %v", c, err)
				}
			}
		}
	}
	for _, t := range b.o.Tags {
		n, _ := image.NormalizeName(t)
		b.printf("Successfully tagged %s\n", n.String())
	}
	return nil
}

// cacheKey is the cache key of a step.
func (b *builder) cacheKey(s *stageState, text string, extra ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "parent %s\nformat %s\nstep %s\n", s.parentID, b.o.Format, text)
	for _, k := range build.SortedKeys(s.args) {
		fmt.Fprintf(h, "arg %s=%s\n", k, s.args[k])
	}
	for _, e := range extra {
		fmt.Fprintf(h, "%s\n", e)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// shortID is an id as the step lines print it.
func shortID(id string) string {
	if len(id) > 11 {
		return id[:11]
	}
	return id
}
