package complete

import (
	"reflect"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pod-engine/pod/libpod"
	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmd/container"
	imagecmd "github.com/pod-engine/pod/pkg/cmd/image"
	"github.com/pod-engine/pod/pkg/cmd/system"
)

// formatTypes is what each command's --format template renders; in
// jsonKeyed, the commands whose template reads the JSON document (its
// keys, not the Go fields).
func formatTypes() map[string]reflect.Type {
	ctr := reflect.TypeOf(libpod.InspectContainer{})
	ps := reflect.TypeOf(container.PsRow{})
	imgs := reflect.TypeOf(imagecmd.ImageRow{})
	img := reflect.TypeOf(image.InspectData{})
	return map[string]reflect.Type{
		"inspect": ctr, "container inspect": ctr,
		"ps": ps, "ls": ps, "list": ps,
		"images": imgs, "image ls": imgs, "image list": imgs,
		"image inspect": img,
		"history":       reflect.TypeOf(imagecmd.HistoryRow{}), "image history": reflect.TypeOf(imagecmd.HistoryRow{}),
		"search": reflect.TypeOf(imagecmd.SearchRow{}), "image search": reflect.TypeOf(imagecmd.SearchRow{}),
		"stats": reflect.TypeOf(container.StatsRow{}),
		"info":  reflect.TypeOf(libpod.Info{}), "system info": reflect.TypeOf(libpod.Info{}),
		"version":        reflect.TypeOf(system.VersionReport{}),
		"volume inspect": reflect.TypeOf(libpod.InspectVolume{}),
	}
}

// formatFunc completes --format: "json", then the template's fields
// ("{{.State.", "{{.State.Status}}") of what the command prints.
func formatFunc(k string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		t, byJSON := formatTypes()[k], jsonKeyed[k]
		if t == nil {
			return []string{"json"}, cobra.ShellCompDirectiveNoFileComp
		}
		return Fields(t, byJSON, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// jsonKeyed are the commands whose templates read the JSON document.
var jsonKeyed = map[string]bool{"inspect": true, "container inspect": true}

// Fields completes a Go template for values of type t: toComplete up to
// its last "{{." is kept, the path after it is followed through t's
// fields (their JSON keys with byJSON), and every field of the last struct
// that starts with the rest is offered, closed with "}}" or, for a
// struct, continued with ".".
func Fields(t reflect.Type, byJSON bool, toComplete string) []string {
	i := strings.LastIndex(toComplete, "{{")
	if i < 0 {
		var out []string
		for _, c := range []string{"json", "{{."} {
			if strings.HasPrefix(c, toComplete) {
				out = append(out, c)
			}
		}
		if toComplete == "{{" || strings.HasPrefix("{{.", toComplete) {
			return append(out, Fields(t, byJSON, "{{.")...)
		}
		return out
	}
	head, expr := toComplete[:i+2], strings.TrimLeft(toComplete[i+2:], " ")
	if !strings.HasPrefix(expr, ".") {
		if strings.HasPrefix(".", expr) {
			expr = "."
		} else {
			return nil
		}
	}
	parts := strings.Split(expr[1:], ".")
	prefix := head + "."
	for _, p := range parts[:len(parts)-1] {
		f, ok := fields(deref(t), byJSON)[p]
		if !ok || !isStruct(f) {
			return nil
		}
		t, prefix = f, prefix+p+"."
	}
	last := parts[len(parts)-1]
	var out []string
	fs := fields(deref(t), byJSON)
	for _, name := range fieldOrder(deref(t), byJSON) {
		if !strings.HasPrefix(name, last) {
			continue
		}
		if isStruct(fs[name]) {
			out = append(out, prefix+name+".")
		} else {
			out = append(out, prefix+name+"}}")
		}
	}
	return out
}

// fieldOrder names the exported fields of a struct in order, embedded
// ones' fields promoted: Go names, or JSON keys with byJSON.
func fieldOrder(t reflect.Type, byJSON bool) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := f.Name
		if byJSON {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == "-" {
				continue
			}
			if tag != "" {
				name = tag
			}
		}
		out = append(out, name)
	}
	return out
}

// fields maps the names fieldOrder gives to the fields' types.
func fields(t reflect.Type, byJSON bool) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	if t.Kind() != reflect.Struct {
		return out
	}
	names := fieldOrder(t, byJSON)
	i := 0
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous || (byJSON && f.Tag.Get("json") == "-") {
			continue
		}
		out[names[i]] = f.Type
		i++
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// isStruct says whether a template goes on into t's fields (time.Time is
// a value).
func isStruct(t reflect.Type) bool {
	t = deref(t)
	return t.Kind() == reflect.Struct && t != reflect.TypeOf(time.Time{})
}
