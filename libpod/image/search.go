package image

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sirupsen/logrus"
	"go.podman.io/image/v5/docker"
	"go.podman.io/image/v5/docker/reference"
	"go.podman.io/image/v5/pkg/sysregistriesv2"
	"go.podman.io/image/v5/types"

	"github.com/pod-engine/pod/libpod/define"
)

// DefaultSearchLimit is the number of results per registry when no limit
// is given.
const DefaultSearchLimit = 25

// SearchOptions are the inputs of Search.
type SearchOptions struct {
	System SystemOptions
	// Limit caps the results per registry (the tags with ListTags); 0
	// means DefaultSearchLimit, a negative value no result.
	Limit int
	// Filters are "stars=N", "is-official=BOOL", "is-automated=BOOL".
	Filters []string
	// ListTags lists the tags of the repository the term names.
	ListTags bool
}

// SearchResult is one line of `pod search`.
type SearchResult struct {
	Index       string // the registry
	Name        string // registry/repository
	Description string
	Stars       int
	Official    string // "[OK]" for an official image
	Automated   string // "[OK]" for an automated build
	Tag         string // with ListTags
}

// searchFilter is the parsed --filter of search.
type searchFilter struct {
	stars                 int
	official, automated   types.OptionalBool
	hasOfficial, hasAutom bool
}

// Search queries registries for repositories whose name contains the
// term: the registry the term starts with ("quay.io/x", "host:5000/x"),
// else every unqualified-search registry of registries.conf. A registry
// with a v1 search endpoint answers with descriptions and stars; any other
// v2 registry's catalog is filtered by name. With ListTags the term names
// one repository and each of its tags is a result.
//
// Failing registries are logged while others answer; when all fail the
// error wraps define.ErrRegistry. Bad filters wrap define.ErrInvalidArg.
func Search(ctx context.Context, term string, o SearchOptions) ([]SearchResult, error) {
	if err := CheckAuthFile(o.System.AuthFile); err != nil {
		return nil, err
	}
	f, err := parseSearchFilters(o.Filters)
	if err != nil {
		return nil, err
	}
	if o.ListTags && len(o.Filters) > 0 {
		return nil, fmt.Errorf("--filter cannot be used with --list-tags (tags have no stars nor flags)%.0w", define.ErrInvalidArg)
	}
	sys, err := SystemContext(o.System)
	if err != nil {
		return nil, err
	}
	limit := o.Limit
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	registries, query, err := searchRegistries(sys, term)
	if err != nil {
		return nil, err
	}
	var results []SearchResult
	var errs []error
	for _, reg := range registries {
		var res []SearchResult
		if o.ListTags {
			res, err = listTags(ctx, sys, reg, query, limit)
		} else {
			res, err = searchOne(ctx, sys, reg, query, limit, f)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, res...)
	}
	if len(errs) == len(registries) && len(errs) > 0 {
		if len(errs) == 1 {
			return nil, errs[0]
		}
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return nil, fmt.Errorf("searching %s: %s%.0w", strings.Join(registries, ", "), strings.Join(msgs, "; "), errs[0])
	}
	for _, e := range errs {
		logrus.Warnf("%v", e)
	}
	return results, nil
}

// searchRegistries splits term into the registries to ask and the query.
func searchRegistries(sys *types.SystemContext, term string) ([]string, string, error) {
	if reg, rest, ok := strings.Cut(term, "/"); ok && (strings.ContainsAny(reg, ".:") || reg == "localhost") {
		return []string{reg}, rest, nil
	}
	regs, err := sysregistriesv2.UnqualifiedSearchRegistries(sys)
	if err != nil {
		return nil, "", fmt.Errorf("reading the unqualified-search registries: %w", err)
	}
	if len(regs) == 0 {
		return nil, "", fmt.Errorf("search %s: no registry to search: give one (HOST[:PORT]/%s) or set unqualified-search-registries in registries.conf%.0w",
			term, term, define.ErrInvalidArg)
	}
	return regs, term, nil
}

// searchOne asks one registry.
func searchOne(ctx context.Context, sys *types.SystemContext, reg, query string, limit int, f searchFilter) ([]SearchResult, error) {
	if limit < 0 {
		return nil, nil
	}
	found, err := docker.SearchRegistry(ctx, sys, reg, query, limit)
	if err != nil {
		return nil, fmt.Errorf("search registry %s: %w%.0w", reg, err, define.ErrRegistry)
	}
	var out []SearchResult
	for _, r := range found {
		if r.StarCount < f.stars ||
			(f.hasOfficial && r.IsOfficial != (f.official == types.OptionalBoolTrue)) ||
			(f.hasAutom && r.IsAutomated != (f.automated == types.OptionalBoolTrue)) {
			continue
		}
		name := r.Name
		if !strings.HasPrefix(name, reg+"/") {
			name = reg + "/" + name
		}
		res := SearchResult{Index: reg, Name: name, Description: r.Description, Stars: r.StarCount}
		if r.IsOfficial {
			res.Official = "[OK]"
		}
		if r.IsAutomated {
			res.Automated = "[OK]"
		}
		out = append(out, res)
	}
	return out, nil
}

// listTags lists the tags of reg/repo.
func listTags(ctx context.Context, sys *types.SystemContext, reg, repo string, limit int) ([]SearchResult, error) {
	named, err := reference.ParseNormalizedNamed(reg + "/" + repo)
	if err != nil {
		return nil, badReference(reg+"/"+repo, err)
	}
	if _, ok := named.(reference.NamedTagged); ok {
		return nil, fmt.Errorf("search --list-tags %s: give a repository without a tag%.0w", named, define.ErrInvalidArg)
	}
	if _, ok := named.(reference.Digested); ok {
		return nil, fmt.Errorf("search --list-tags %s: give a repository without a digest%.0w", named, define.ErrInvalidArg)
	}
	ref, err := docker.NewReference(reference.TagNameOnly(named))
	if err != nil {
		return nil, fmt.Errorf("search --list-tags %s: %w", named, err)
	}
	tags, err := docker.GetRepositoryTags(ctx, sys, ref)
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w%.0w", named.Name(), err, define.ErrRegistry)
	}
	if limit < 0 {
		return nil, nil
	}
	var out []SearchResult
	for _, t := range tags {
		if len(out) == limit {
			break
		}
		out = append(out, SearchResult{Index: reference.Domain(named), Name: named.Name(), Tag: t})
	}
	return out, nil
}

// parseSearchFilters reads search's --filter values.
func parseSearchFilters(filters []string) (searchFilter, error) {
	var f searchFilter
	for _, spec := range filters {
		key, value, ok := strings.Cut(spec, "=")
		if !ok {
			return f, fmt.Errorf("invalid search filter %q: use stars=N, is-official=BOOL or is-automated=BOOL%.0w", spec, define.ErrInvalidArg)
		}
		switch key {
		case "stars":
			n, err := strconv.Atoi(value)
			if err != nil || n < 0 {
				return f, fmt.Errorf("invalid search filter %q: stars takes a number%.0w", spec, define.ErrInvalidArg)
			}
			f.stars = n
		case "is-official", "is-automated":
			b, err := strconv.ParseBool(value)
			if err != nil {
				return f, fmt.Errorf("invalid search filter %q: %s takes true or false%.0w", spec, key, define.ErrInvalidArg)
			}
			if key == "is-official" {
				f.official, f.hasOfficial = types.NewOptionalBool(b), true
			} else {
				f.automated, f.hasAutom = types.NewOptionalBool(b), true
			}
		default:
			return f, fmt.Errorf("invalid search filter %q: use stars=N, is-official=BOOL or is-automated=BOOL%.0w", spec, define.ErrInvalidArg)
		}
	}
	return f, nil
}
