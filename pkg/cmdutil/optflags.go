package cmdutil

import (
	"strconv"
	"time"
)

// OptionalUint is a flag value (it implements pflag.Value) that leaves
// *Target nil until the flag is given, so that the engine can tell "not
// given" from any value. Def is the default the help shows.
type OptionalUint struct {
	Target **uint
	Def    uint
}

func (v OptionalUint) String() string {
	if v.Target != nil && *v.Target != nil {
		return strconv.FormatUint(uint64(**v.Target), 10)
	}
	return strconv.FormatUint(uint64(v.Def), 10)
}

// Set parses a non-negative integer.
func (v OptionalUint) Set(s string) error {
	n, err := strconv.ParseUint(s, 0, 0)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok {
			err = ne.Err
		}
		return err
	}
	u := uint(n)
	*v.Target = &u
	return nil
}

// Type names the value in the help.
func (v OptionalUint) Type() string { return "uint" }

// OptionalDuration is a flag value that leaves *Target nil until the flag
// is given.
type OptionalDuration struct {
	Target **time.Duration
}

func (v OptionalDuration) String() string {
	if v.Target != nil && *v.Target != nil {
		return (**v.Target).String()
	}
	return ""
}

// Set parses a duration such as 500ms or 10s.
func (v OptionalDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*v.Target = &d
	return nil
}

// Type names the value in the help.
func (v OptionalDuration) Type() string { return "duration" }

// StopTimeout is the --time of the verbs that stop containers: nil (the
// container's own stop timeout) unless the flag was given.
func StopTimeout(set bool, seconds int) *time.Duration {
	if !set {
		return nil
	}
	t := time.Duration(seconds) * time.Second
	return &t
}
