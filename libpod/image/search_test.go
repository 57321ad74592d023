package image

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
)

// catalogRegistry serves /v2/_catalog and the tag lists of repos over
// plain HTTP.
func catalogRegistry(t *testing.T, repos map[string][]string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.URL.Path == "/v2/":
			w.WriteHeader(http.StatusOK)
		case req.URL.Path == "/v2/_catalog":
			var names []string
			for n := range repos {
				names = append(names, n)
			}
			_ = json.NewEncoder(w).Encode(map[string][]string{"repositories": sortedStrings(names)})
		case strings.HasSuffix(req.URL.Path, "/tags/list"):
			repo := strings.TrimSuffix(strings.TrimPrefix(req.URL.Path, "/v2/"), "/tags/list")
			tags, ok := repos[repo]
			if !ok {
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}`))
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"name": repo, "tags": tags})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestSearchCatalog(t *testing.T) {
	host := catalogRegistry(t, map[string][]string{
		"library/alpine":  {"latest", "3.19", "3.20"},
		"library/busybox": {"1"},
		"x/alpine-extra":  {"v1"},
	})
	no := false
	sys := testSystem(t, "")
	sys.TLSVerify = &no
	sys.AuthFile = "" // none: the default lookup finds nothing in the test's HOME
	t.Setenv("REGISTRY_AUTH_FILE", "")
	ctx := context.Background()

	res, err := Search(ctx, host+"/alp", SearchOptions{System: sys})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range res {
		names = append(names, r.Name)
		if r.Index != host {
			t.Errorf("index %q, want %q", r.Index, host)
		}
	}
	if want := []string{host + "/library/alpine", host + "/x/alpine-extra"}; !reflect.DeepEqual(names, want) {
		t.Errorf("search alp: %v, want %v", names, want)
	}
	if res, err := Search(ctx, host+"/alp", SearchOptions{System: sys, Limit: 1}); err != nil || len(res) != 1 {
		t.Errorf("--limit 1: %v %v", res, err)
	}
	if res, err := Search(ctx, host+"/alp", SearchOptions{System: sys, Filters: []string{"stars=1"}}); err != nil || len(res) != 0 {
		t.Errorf("stars=1 on a catalog without stars: %v %v", res, err)
	}
	if res, err := Search(ctx, host+"/alp", SearchOptions{System: sys, Filters: []string{"is-official=false"}}); err != nil || len(res) != 2 {
		t.Errorf("is-official=false: %v %v", res, err)
	}

	tags, err := Search(ctx, host+"/library/alpine", SearchOptions{System: sys, ListTags: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range tags {
		got = append(got, r.Name+":"+r.Tag)
	}
	n := host + "/library/alpine"
	if want := []string{n + ":latest", n + ":3.19", n + ":3.20"}; !reflect.DeepEqual(got, want) {
		t.Errorf("list tags: %v, want %v", got, want)
	}
	if tags, err := Search(ctx, host+"/library/alpine", SearchOptions{System: sys, ListTags: true, Limit: 2}); err != nil || len(tags) != 2 {
		t.Errorf("list tags --limit 2: %v %v", tags, err)
	}
	if _, err := Search(ctx, host+"/nosuch", SearchOptions{System: sys, ListTags: true}); !errors.Is(err, define.ErrRegistry) {
		t.Errorf("list tags of a missing repository: %v", err)
	}
	if _, err := Search(ctx, host+"/library/alpine:3.20", SearchOptions{System: sys, ListTags: true}); !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("list tags of a tagged name: %v", err)
	}
}

func TestSearchFilterErrors(t *testing.T) {
	for _, f := range []string{"bogus=1", "stars", "stars=x", "stars=-1", "is-official=maybe"} {
		if _, err := parseSearchFilters([]string{f}); !errors.Is(err, define.ErrInvalidArg) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: %v", f, err)
		}
	}
	f, err := parseSearchFilters([]string{"stars=3", "is-automated=true"})
	if err != nil || f.stars != 3 || !f.hasAutom || f.hasOfficial {
		t.Errorf("parse: %+v %v", f, err)
	}
	_, err = Search(context.Background(), "x.io/y", SearchOptions{ListTags: true, Filters: []string{"stars=1"}})
	if !errors.Is(err, define.ErrInvalidArg) {
		t.Errorf("filters with list tags: %v", err)
	}
}
