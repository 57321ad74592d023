package libpod

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/pod-engine/pod/libpod/define"
)

// readEnvFile reads an --env-file: one variable per line; blank lines and
// comments are skipped.
func readEnvFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read env file %s: %w", path, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// resolveEnv expands env-file and -e values; "NAME" alone takes the value
// from pod's own environment, and is dropped when unset there.
func resolveEnv(files, env []string) ([]string, error) {
	var all []string
	for _, p := range files {
		vals, err := readEnvFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, vals...)
	}
	all = append(all, env...)
	out := make([]string, 0, len(all))
	for _, e := range all {
		if e == "" || strings.HasPrefix(e, "=") {
			return nil, fmt.Errorf("invalid environment variable %q: %w", e, define.ErrInvalidArg)
		}
		if strings.Contains(e, "=") {
			out = append(out, e)
			continue
		}
		if strings.HasSuffix(e, "*") {
			prefix := strings.TrimSuffix(e, "*")
			for _, h := range os.Environ() {
				if strings.HasPrefix(h, prefix) {
					out = append(out, h)
				}
			}
			continue
		}
		if v, ok := os.LookupEnv(e); ok {
			out = append(out, e+"="+v)
		}
	}
	return out, nil
}

func parseLabels(in []string) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(in))
	for _, l := range in {
		k, v, _ := strings.Cut(l, "=")
		if k == "" {
			return nil, fmt.Errorf("invalid label %q: %w", l, define.ErrInvalidArg)
		}
		m[k] = v
	}
	return m, nil
}
