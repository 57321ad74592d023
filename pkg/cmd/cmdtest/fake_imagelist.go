package cmdtest

import (
	"context"
	"errors"
	"strings"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// ListImages records "images [FILTER...]" and returns no image, or fails
// as Err["images"] says.
func (e *FakeEngine) ListImages(filters []string) ([]image.Summary, error) {
	return nil, e.record(strings.Join(append([]string{"images"}, filters...), " "))
}

// ImageExists records "exists IMAGE": an Err wrapping define.ErrNoSuchImage
// reads as false, another Err fails the call.
func (e *FakeEngine) ImageExists(nameOrID string) (bool, error) {
	err := e.record("exists "+nameOrID, nameOrID)
	if errors.Is(err, define.ErrNoSuchImage) {
		return false, nil
	}
	return err == nil, err
}

// ImageTree records "tree IMAGE [whatrequires]" and returns an empty tree.
func (e *FakeEngine) ImageTree(nameOrID string, whatRequires bool) (*image.LayerTree, error) {
	call := "tree " + nameOrID
	if whatRequires {
		call += " whatrequires"
	}
	if err := e.record(call, nameOrID); err != nil {
		return nil, err
	}
	return &image.LayerTree{ID: strings.Repeat("0", 64)}, nil
}

// RemoveImages records "rmi [all] [force] [ignore] NAME..." and reports
// every name untagged except those Err fails ("rmi NAME").
func (e *FakeEngine) RemoveImages(ctx context.Context, o libpod.RemoveImagesOptions) (*libpod.RemoveImagesReport, []error) {
	call := []string{"rmi"}
	for _, f := range []struct {
		name string
		on   bool
	}{{"all", o.All}, {"force", o.Force}, {"ignore", o.Ignore}} {
		if f.on {
			call = append(call, f.name)
		}
	}
	e.Calls = append(e.Calls, strings.Join(append(call, o.Names...), " "))
	rep := &libpod.RemoveImagesReport{}
	var errs []error
	for _, n := range o.Names {
		if err := e.Err["rmi "+n]; err != nil {
			if !(o.Ignore && errors.Is(err, define.ErrNoSuchImage)) {
				errs = append(errs, err)
			}
			continue
		}
		rep.Untagged = append(rep.Untagged, n)
	}
	return rep, errs
}

// SearchImages records "search TERM" and returns no result, or fails as
// Err says.
func (e *FakeEngine) SearchImages(ctx context.Context, term string, o image.SearchOptions) ([]image.SearchResult, error) {
	return nil, e.record("search "+term, term)
}
