package cmdtest

import (
	"context"
	"errors"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/image"
)

// FakeManifestID is the list id the fake manifest methods return.
const FakeManifestID = "abababababababababababababababababababababababababababababababab"

// CreateManifestList records "manifest-create LIST [IMAGE...] [all] [amend]".
func (e *FakeEngine) CreateManifestList(ctx context.Context, name string, images []string, o image.ManifestAddOptions, amend bool) (string, error) {
	call := append([]string{"manifest-create", name}, images...)
	if o.All {
		call = append(call, "all")
	}
	if amend {
		call = append(call, "amend")
	}
	if err := e.record(strings.Join(call, " "), name); err != nil {
		return "", err
	}
	return FakeManifestID, nil
}

// AddToManifestList records "manifest-add LIST IMAGE... [all] [arch=A]".
func (e *FakeEngine) AddToManifestList(ctx context.Context, list string, images []string, o image.ManifestAddOptions) (string, error) {
	call := append([]string{"manifest-add", list}, images...)
	if o.All {
		call = append(call, "all")
	}
	if o.Overrides.Arch != "" {
		call = append(call, "arch="+o.Overrides.Arch)
	}
	if err := e.record(strings.Join(call, " "), list); err != nil {
		return "", err
	}
	return FakeManifestID, nil
}

// RemoveFromManifestList records "manifest-remove LIST DIGEST".
func (e *FakeEngine) RemoveFromManifestList(list, instance string) (string, error) {
	if err := e.record("manifest-remove "+list+" "+instance, list); err != nil {
		return "", err
	}
	return FakeManifestID, nil
}

// AnnotateManifestList records "manifest-annotate LIST DIGEST".
func (e *FakeEngine) AnnotateManifestList(list, instance string, o image.InstanceOverrides) (string, error) {
	if err := e.record("manifest-annotate "+list+" "+instance, list); err != nil {
		return "", err
	}
	return FakeManifestID, nil
}

// InspectManifestList records "manifest-inspect LIST" and returns an
// empty list.
func (e *FakeEngine) InspectManifestList(ctx context.Context, name string, sys image.SystemOptions) (*image.ManifestListJSON, error) {
	if err := e.record("manifest-inspect "+name, name); err != nil {
		return nil, err
	}
	return &image.ManifestListJSON{SchemaVersion: 2, MediaType: "application/vnd.docker.distribution.manifest.list.v2+json"}, nil
}

// ManifestListExists records "manifest-exists LIST": an Err wrapping
// define.ErrNoSuchImage reads as false.
func (e *FakeEngine) ManifestListExists(name string) (bool, error) {
	err := e.record("manifest-exists "+name, name)
	if errors.Is(err, define.ErrNoSuchImage) {
		return false, nil
	}
	return err == nil, err
}

// RemoveManifestList records "manifest-rm LIST" and reports the list
// untagged and FakeManifestID deleted.
func (e *FakeEngine) RemoveManifestList(name string) ([]string, []string, error) {
	if err := e.record("manifest-rm "+name, name); err != nil {
		return nil, nil, err
	}
	return []string{name}, []string{FakeManifestID}, nil
}

// PushManifestList records "manifest-push LIST DEST [rm]" and returns a
// fixed digest.
func (e *FakeEngine) PushManifestList(ctx context.Context, list, dest string, o image.ManifestPushOptions, rm bool) (string, error) {
	call := "manifest-push " + list + " " + dest
	if rm {
		call += " rm"
	}
	if err := e.record(call, list); err != nil {
		return "", err
	}
	return "sha256:" + FakeManifestID, nil
}
