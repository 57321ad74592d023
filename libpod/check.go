package libpod

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.podman.io/storage"

	"github.com/pod-engine/pod/libpod/define"
)

// CheckOptions are the options of Check (`pod system check`).
type CheckOptions struct {
	// Repair fixes what can be fixed without losing anything a user
	// made; with Force also what can only be fixed by removing it (a
	// container whose storage is gone, a storage container of another
	// tool, damaged images and containers in the store).
	Repair, Force bool
	// Quick skips the store's content checks (layer digests).
	Quick bool
	// MaxAge is how old a layer no image or container uses must be to be
	// reported (nil: the store's default, 24 hours).
	MaxAge *time.Duration
}

// Finding is one problem Check found.
type Finding struct {
	Object   string // what: "container 1234abcd (web)", "layer ..."
	Problem  string
	Repaired bool
	// Err is why a repair failed.
	Err error
}

// Check walks pod's records and the store, reports every inconsistency,
// and repairs as the options say. It never stops or removes a running
// container.
func (r *Runtime) Check(ctx context.Context, o CheckOptions) ([]Finding, error) {
	ck := &checker{o: o}
	add := ck.add
	store, err := r.getStore()
	if err != nil {
		return nil, err
	}
	if o.Repair {
		defer r.freeing()()
	}

	// Reservations and directories of creates that never finished.
	if ents, err := os.ReadDir(r.nameTempDir()); err == nil {
		for _, e := range ents {
			id := e.Name()
			if !r.containerExists(id) && r.lockFree(id) {
				add("name reservation "+define.ShortID(id), "left by a create that did not finish", func() error {
					return os.Remove(filepath.Join(r.nameTempDir(), id))
				}, false)
			}
		}
	}
	ids, err := r.containerIDs()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, id := range ids {
		if !r.containerExists(id) {
			if r.lockFree(id) {
				add("container "+define.ShortID(id), "a create that did not finish left its directory", func() error {
					if !r.reapIncomplete(id) {
						return errors.New("still in use")
					}
					return nil
				}, false)
			}
			continue
		}
		known[id] = true
		c, err := r.loadContainer(id)
		if err != nil {
			add("container "+define.ShortID(id), oneLine(err), func() error { return r.removeCorrupt(ctx, id) }, true)
			continue
		}
		r.checkContainer(c, store, ck)
	}

	// Names that name no container.
	if ents, err := os.ReadDir(filepath.Join(r.cfg.StaticDir, "names")); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				continue
			}
			p := filepath.Join(r.cfg.StaticDir, "names", e.Name())
			b, err := os.ReadFile(p)
			if id := string(b); err == nil && !r.containerExists(id) && r.lockFree(id) {
				add("name "+e.Name(), "names no container", func() error { return os.Remove(p) }, false)
			}
		}
	}

	// Storage containers that are not pod's.
	if ext, err := r.ExternalContainers(); err == nil {
		for _, x := range ext {
			if x.Build != "" && !r.buildGone(x.Build) {
				continue // a running build's
			}
			if x.Creator == storageCreator {
				add("storage container "+define.ShortID(x.ID), "made by a create that did not finish", func() error {
					return r.removeExternal(x.ID, true)
				}, false)
			} else {
				add("storage container "+define.ShortID(x.ID), "not pod's (another tool's, or ps --external)", func() error {
					return r.removeExternal(x.ID, false)
				}, true)
			}
		}
	}

	// Per-boot leftovers of containers that no longer exist.
	for _, sub := range []string{"containers", "runtime"} {
		dir := filepath.Join(r.cfg.RunDir, sub)
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			id := e.Name()
			if len(id) != 64 || known[id] || !r.lockFree(id) {
				continue
			}
			c := &Container{r: r, Config: &ContainerConfig{ID: id}, State: &ContainerState{}}
			add("run directory "+filepath.Join(sub, define.ShortID(id)), "belongs to no container", func() error {
				if sub == "containers" {
					c.stopHelper()
					c.removeNetns()
				} else {
					c.deleteRuntimeState(ctx)
				}
				return os.RemoveAll(filepath.Join(dir, id))
			}, false)
		}
	}
	if ents, err := os.ReadDir(filepath.Join(r.cfg.RunDir, "locks")); err == nil {
		for _, e := range ents {
			id, ok := strings.CutSuffix(e.Name(), ".lock")
			if !ok || len(id) != 64 || known[id] || !isHex(id) || r.dirExists(id) || !r.lockFree(id) {
				continue
			}
			add("lock "+define.ShortID(id), "belongs to no container", func() error { r.locks.Remove(id); return nil }, false)
		}
	}

	// The store itself: layers, images and containers.
	co := storage.CheckEverything()
	if o.Quick {
		co = storage.CheckMost()
		co.LayerDigests = false
	}
	if o.MaxAge != nil {
		co.LayerUnreferencedMaximumAge = o.MaxAge
	}
	report, err := store.Check(co)
	if err != nil {
		return ck.out, fmt.Errorf("check storage: %w", err)
	}
	out := ck.out
	damaged := storeDamage(report)
	for _, d := range damaged {
		add(d.object, d.problem, nil, false)
	}
	if len(damaged) > 0 && o.Repair && o.Force {
		errs := store.Repair(report, &storage.RepairOptions{RemoveContainers: true})
		for i := range out {
			if strings.HasPrefix(out[i].Object, "storage ") && !out[i].Repaired {
				out[i].Repaired, out[i].Err = len(errs) == 0, errors.Join(errs...)
			}
		}
	}
	return out, nil
}

// checker collects findings and repairs as its options say.
type checker struct {
	o   CheckOptions
	out []Finding
}

// add records a finding, repairing it with repair when asked to (repairs
// that remove what a user made need Force).
func (ck *checker) add(obj, problem string, repair func() error, needForce bool) {
	f := Finding{Object: obj, Problem: problem}
	if ck.o.Repair && repair != nil && (!needForce || ck.o.Force) {
		if f.Err = repair(); f.Err == nil {
			f.Repaired = true
		}
	}
	ck.out = append(ck.out, f)
}

// checkContainer checks one container's records against the store and its
// processes.
func (r *Runtime) checkContainer(c *Container, store storage.Store, ck *checker) {
	obj := fmt.Sprintf("container %s (%s)", define.ShortID(c.ID()), c.Name())
	if _, err := store.Container(c.ID()); errors.Is(err, storage.ErrContainerUnknown) {
		ck.add(obj, "its storage is gone: it cannot start again", func() error {
			if c.State.Status.IsActive() {
				return fmt.Errorf("it is running: stop it first: %w", define.ErrCtrStateInvalid)
			}
			return c.removeStale()
		}, true)
	}
	// A sync under the lock folds in what happened and saves it, as
	// every command does: a dead monitor, an unrecorded start, a reboot.
	before := *c.State
	if unlock, err := c.lockAndSync(); err == nil {
		after := *c.State
		if after.Status != before.Status || after.MonitorPid != before.MonitorPid {
			ck.out = append(ck.out, Finding{Object: obj, Repaired: true,
				Problem: fmt.Sprintf("was recorded %s, is %s (%s)", before.Status, after.Status, firstNonEmpty(after.Error, "state updated"))})
		}
		if c.leftBehind() {
			ck.add(obj, "exited but still mounted or networked", c.cleanupLocked, false)
		}
		unlock()
	}
}

// removeStale removes a container whose storage is gone: its records only.
func (c *Container) removeStale() error {
	unlock, err := c.lockAndSync()
	if err != nil {
		return err
	}
	defer unlock()
	return c.removeLocked()
}

type damage struct{ object, problem string }

// storeDamage lists what the store's own check found, in a stable order.
func storeDamage(rep storage.CheckReport) []damage {
	var out []damage
	for kind, m := range map[string]map[string][]error{
		"storage layer": rep.Layers, "storage read-only layer": rep.ROLayers,
		"storage image": rep.Images, "storage read-only image": rep.ROImages, "storage container": rep.Containers,
	} {
		for id, errs := range m {
			out = append(out, damage{kind + " " + define.ShortID(id), oneLine(errors.Join(errs...))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].object < out[j].object })
	return out
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
