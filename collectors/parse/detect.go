package parse

import (
	"fmt"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// MatchCommand finds the entry whose command pattern matches a command line
// (as typed after a prompt). When platform is known only its entries are
// tried. arg is the command's argument for per-object commands.
func MatchCommand(cmd string, platform netmodel.Platform) (e *Entry, arg string) {
	cmd = strings.TrimPrefix(strings.Join(strings.Fields(cmd), " "), "run ") // Junos operational command from configuration mode
	for _, ent := range registry {
		if platform != "" && ent.Platform != platform {
			continue
		}
		if ent.CommandRE == nil {
			continue
		}
		m := ent.CommandRE.FindStringSubmatch(cmd)
		if m == nil {
			continue
		}
		if len(m) > 1 {
			arg = unquote(m[1])
		}
		return ent, arg
	}
	return nil, ""
}

// matchAll lists every entry, of any platform, whose command pattern
// matches cmd.
func matchAll(cmd string) []*Entry {
	cmd = strings.TrimPrefix(strings.Join(strings.Fields(cmd), " "), "run ")
	var out []*Entry
	for _, ent := range registry {
		if ent.CommandRE != nil && ent.CommandRE.MatchString(cmd) {
			out = append(out, ent)
		}
	}
	return out
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return s
}

// Detect recognises cleaned output by its echoed command line or, failing
// that, by its content. platform narrows the search when known. When nothing
// matches, reason says why, for the list of unrecognised inputs.
func Detect(c *Cleaned, platform netmodel.Platform) (*Entry, string) {
	if c.Command != "" {
		if e, _ := MatchCommand(c.Command, platform); e != nil && platform != "" {
			return e, ""
		}
		// Without a platform the same command line may belong to several
		// (IOS and NX-OS both take "show interface trunk"): let the content
		// decide among those, else take the one the command names.
		cands := matchAll(c.Command)
		if len(cands) == 1 {
			return cands[0], ""
		}
		for _, e := range cands {
			if e.Detect != nil && e.Detect(c.Lines) {
				return e, ""
			}
		}
		if len(cands) > 0 {
			return cands[0], ""
		}
	}
	blank := true
	for _, l := range c.Lines {
		if strings.TrimSpace(l) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil, "empty output"
	}
	var hits []*Entry
	for _, ent := range registry {
		if platform != "" && ent.Platform != platform {
			continue
		}
		if ent.Detect != nil && ent.Detect(c.Lines) {
			hits = append(hits, ent)
		}
	}
	if len(hits) == 0 && platform != "" {
		// The declared platform may be wrong (an NX-OS output under an IOS device).
		for _, ent := range registry {
			if ent.Detect != nil && ent.Detect(c.Lines) {
				hits = append(hits, ent)
			}
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], ""
	case 0:
		if c.Command != "" {
			return nil, fmt.Sprintf("command %q is not one nettui reads", c.Command)
		}
		return nil, "content matches no known command output"
	}
	names := make([]string, len(hits))
	for i, h := range hits {
		names[i] = string(h.Platform) + "/" + h.Capability
	}
	return nil, "ambiguous: looks like " + strings.Join(names, " and ")
}

// FirstNonBlank returns the first non-blank line, trimmed, and its index.
func FirstNonBlank(lines []string) (string, int) {
	for i, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			return t, i
		}
	}
	return "", -1
}
