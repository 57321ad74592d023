package define

import "testing"

func TestShortID(t *testing.T) {
	for in, want := range map[string]string{
		"0123456789abcdef": "0123456789ab",
		"0123456789ab":     "0123456789ab",
		"abc":              "abc",
		"":                 "",
	} {
		if got := ShortID(in); got != want {
			t.Errorf("ShortID(%q) = %q, want %q", in, got, want)
		}
	}
}
