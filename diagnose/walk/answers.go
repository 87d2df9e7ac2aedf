package walk

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// ParseAnswers reads KEY=VALUE answers (as --answer gives them) for w:
// keys must be questions of w, each given once; values are trimmed and
// must not be empty. The error names the bad argument and what w takes.
func ParseAnswers(w *Walkthrough, args []string) (map[string]string, error) {
	out := map[string]string{}
	keys := w.Questions()
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			return nil, fmt.Errorf("--answer %q: want KEY=VALUE (keys of %s: %s)", a, w.Name, strings.Join(keys, ", "))
		case !validKey(k):
			return nil, fmt.Errorf("--answer %q: %q is not a key (letters, digits and -)", a, k)
		case !slices.Contains(keys, k):
			return nil, fmt.Errorf("--answer %q: %s asks no %q (its keys: %s)", a, w.Name, k, strings.Join(keys, ", "))
		case v == "":
			return nil, fmt.Errorf("--answer %q: empty value", a)
		case strings.ContainsFunc(v, unicode.IsControl):
			return nil, fmt.Errorf("--answer %q: control character in the value", a)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("--answer %s given twice", k)
		}
		out[k] = v
	}
	return out, nil
}

func validKey(k string) bool {
	if k == "" || len(k) > 32 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
