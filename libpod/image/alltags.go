package image

import (
	"context"
	"fmt"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/pkg/shortnames"

	"github.com/pod-engine/pod/libpod/define"
)

// RepositoryTags lists the tags of the repository name (pull --all-tags) as
// references "registry/repository:tag", in the registry's order. name is a
// registry reference without tag or digest, optionally prefixed with
// "docker://"; a short name is resolved through registries.conf and the
// first candidate registry that lists the repository wins. Only the
// registry options, the platform and the retry options of o are used.
func RepositoryTags(ctx context.Context, name string, o PullOptions) ([]string, error) {
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	retry, err := newRetryPolicy(o.Retries, o.RetryDelay)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", name, err)
	}
	input := name
	if transport, rest, ok := splitTransport(name); ok {
		if transport != "docker" {
			return nil, fmt.Errorf("pull %s: --all-tags needs a registry repository, not a %s source: %w", input, transport, define.ErrInvalidArg)
		}
		if ref, ok := strings.CutPrefix(rest, "//"); ok {
			name = ref
		}
	}
	ref, err := reference.Parse(name)
	if err != nil {
		return nil, fmt.Errorf("pull %w", badReference(input, err))
	}
	_, tagged := ref.(reference.Tagged)
	_, digested := ref.(reference.Digested)
	if tagged || digested {
		return nil, fmt.Errorf("pull %s: a tag or digest can't be used with --all-tags/-a: name the repository only: %w", input, define.ErrInvalidArg)
	}
	if _, ok := ref.(reference.Named); !ok {
		return nil, fmt.Errorf("pull %s: invalid reference format: a repository name is required%.0w", input, define.ErrBadReference)
	}

	resolved, err := shortnames.Resolve(sys, name)
	if err != nil {
		return nil, fmt.Errorf("pull %s: %w", input, err)
	}
	var firstErr error
	for _, candidate := range resolved.PullCandidates {
		repo := reference.TrimNamed(candidate.Value)
		srcRef, err := docker.NewReference(reference.TagNameOnly(repo))
		if err != nil {
			return nil, fmt.Errorf("pull %s: %w", input, err)
		}
		var tags []string
		err = retry.do(ctx, "listing the tags of "+repo.String(), func() error {
			var err error
			tags, err = docker.GetRepositoryTags(ctx, sys, srcRef)
			return err
		})
		if err != nil {
			logrus.Debugf("pull %s: listing the tags of %s: %v", input, repo, err)
			firstErr = firstError(firstErr, err)
			continue
		}
		out := make([]string, 0, len(tags))
		for _, tag := range tags {
			t, err := reference.WithTag(repo, tag)
			if err != nil {
				logrus.Warnf("pull %s: skipping tag %q: %v", input, tag, err)
				continue
			}
			out = append(out, t.String())
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("pull %s: %s has no tags%.0w", input, repo, define.ErrNoSuchImage)
		}
		return out, nil
	}
	if firstErr == nil {
		return nil, notKnown(input)
	}
	return nil, pullError(input, firstErr)
}
