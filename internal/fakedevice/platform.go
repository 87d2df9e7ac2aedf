package fakedevice

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// platform holds what differs between device families: the prompt, the
// session commands (paging, width) and how an unknown command is reported.
type platform struct {
	prompt func(name, user string) string
	// session answers a terminal/session setting command. pageLen is the
	// new page length (0 turns paging off) or -1 when unchanged.
	session func(w []string) (reply string, pageLen int, ok bool)
	// pages reports whether the platform pages interactive output at all.
	pages bool
	// noMore reports whether "| no-more" may follow a command.
	noMore bool
	// invalid reports an unknown command.
	invalid func(e badInput) (text string, toStderr bool, exit int)
}

// badInput describes an unknown command line.
type badInput struct {
	line   string   // as received
	words  []string // fields of line
	starts []int    // byte offset of each word in line
	bad    int      // index of the first word no known command has there; len(words) when incomplete
	prompt string   // prompt the line was typed at ("" for exec)
	exec   bool
}

func (e badInput) caret() string {
	col := len(e.prompt)
	if e.bad < len(e.words) {
		col += e.starts[e.bad]
	} else {
		col += len(strings.TrimRight(e.line, " \t"))
	}
	return strings.Repeat(" ", col) + "^\n"
}

var ciscoLike = &platform{
	prompt:  func(name, _ string) string { return name + "#" },
	session: ciscoSession,
	pages:   true,
	invalid: ciscoInvalid,
}

var platforms = map[string]*platform{
	"ios": ciscoLike,
	"eos": ciscoLike,
	"nxos": {
		prompt:  ciscoLike.prompt,
		session: ciscoSession,
		pages:   true,
		noMore:  true,
		invalid: ciscoInvalid,
	},
	"asa": {
		prompt:  ciscoLike.prompt,
		session: asaSession,
		pages:   true,
		invalid: ciscoInvalid,
	},
	"junos": {
		prompt:  func(name, user string) string { return user + "@" + name + "> " },
		session: junosSession,
		pages:   true,
		noMore:  true,
		invalid: junosInvalid,
	},
	"linux": {
		prompt: func(name, user string) string {
			if user == "root" {
				return "[root@" + name + " ~]# "
			}
			return "[" + user + "@" + name + " ~]$ "
		},
		session: noSession,
		invalid: shellInvalid,
	},
	"esxi": {
		prompt:  func(name, user string) string { return "[" + user + "@" + name + ":~] " },
		session: noSession,
		invalid: shellInvalid,
	},
}

func platformNames() []string {
	var out []string
	for k := range platforms {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// kw reports whether word w abbreviates keyword k to at least least letters,
// the way IOS-style parsers accept "term len 0".
func kw(w, k string, least int) bool {
	return len(w) >= least && len(w) <= len(k) && strings.HasPrefix(k, strings.ToLower(w))
}

func lines(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= 512
}

func noSession([]string) (string, int, bool) { return "", -1, false }

// ciscoSession: terminal length N, terminal width N.
func ciscoSession(w []string) (string, int, bool) {
	if len(w) != 3 || !kw(w[0], "terminal", 4) {
		return "", -1, false
	}
	n, ok := lines(w[2])
	switch {
	case !ok:
		return "", -1, false
	case kw(w[1], "length", 3):
		return "", n, true
	case kw(w[1], "width", 1):
		return "", -1, true
	}
	return "", -1, false
}

// asaSession: terminal pager [lines] N, terminal width N.
func asaSession(w []string) (string, int, bool) {
	if len(w) < 3 || !kw(w[0], "terminal", 4) {
		return "", -1, false
	}
	if kw(w[1], "pager", 1) {
		rest := w[2:]
		if len(rest) == 2 && kw(rest[0], "lines", 1) {
			rest = rest[1:]
		}
		if n, ok := lines(rest[0]); ok && len(rest) == 1 {
			return "", n, true
		}
		return "", -1, false
	}
	if len(w) == 3 && kw(w[1], "width", 1) {
		if _, ok := lines(w[2]); ok {
			return "", -1, true
		}
	}
	return "", -1, false
}

// junosSession: set cli screen-length N, set cli screen-width N.
func junosSession(w []string) (string, int, bool) {
	if len(w) != 4 || w[0] != "set" || w[1] != "cli" {
		return "", -1, false
	}
	n, ok := lines(w[3])
	if !ok {
		return "", -1, false
	}
	switch w[2] {
	case "screen-length":
		return fmt.Sprintf("Screen length set to %d\n", n), n, true
	case "screen-width":
		return fmt.Sprintf("Screen width set to %d\n", n), -1, true
	}
	return "", -1, false
}

func ciscoInvalid(e badInput) (string, bool, int) {
	if e.bad == len(e.words) {
		return "% Incomplete command.\n\n", false, 1
	}
	return e.caret() + "% Invalid input detected at '^' marker.\n\n", false, 1
}

func junosInvalid(e badInput) (string, bool, int) {
	if e.bad == 0 {
		return e.caret() + "unknown command.\n", false, 1
	}
	if e.exec {
		if e.bad < len(e.words) {
			return "error: syntax error: " + e.words[e.bad] + "\n", false, 1
		}
		return "error: syntax error\n", false, 1
	}
	return e.caret() + "syntax error, expecting <command>.\n", false, 1
}

func shellInvalid(e badInput) (string, bool, int) {
	return "sh: " + e.words[0] + ": not found\n", true, 127
}
