package parse

import (
	"regexp"
	"strings"
)

var (
	// CSI and OSC escape sequences, and lone ESC+char.
	ansiRE = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`)
	// Pager prompts and what erases them: " --More-- " followed by
	// backspaces or spaces, Junos "---(more)---", "<--- More --->" (ASA).
	moreRE = regexp.MustCompile(`(?i)\s*(?:-+\s*more\s*-+|---\(more(?: \d+%)?\)---|<---\s*more\s*--->)[\x08 ]*`)
	// Prompt followed by a command on one line:
	// "[root@esx01:~] esxcli ...", "sw1#show ...", "sw1# show ...",
	// "user@host:~$ ip -j link", "user@srx> show ...".
	promptCmdRE = regexp.MustCompile(`^(?:\[[^\]\s]+(?:\s[^\]]*)?\]\s*[#$]?|[A-Za-z0-9][\w.\-@:/()~]*\s?[#>$%])\s*(\S.*)$`)
	// A line that is only a prompt.
	promptOnlyRE = regexp.MustCompile(`^(?:\[[^\]\s]+(?:\s[^\]]*)?\]\s*[#$]?|[A-Za-z0-9][\w.\-@:/()~]*[#>$%])\s*$`)
)

// DeviceError is output that is the device's refusal rather than data.
type DeviceError struct {
	Line int
	Text string
}

var deviceErrorPrefixes = []string{
	"% Invalid input",
	"% Incomplete command",
	"% Ambiguous command",
	"% Unknown command",
	"% Invalid command",
	"% Permission denied",
	"ERROR: % Invalid input",
	"Error: Unknown command or namespace",
	"Error: Invalid option",
	"error: syntax error",
	"syntax error, expecting",
	"Invalid command at '^' marker",
	"Syntax error while parsing",
	"% CDP is not enabled",
	"% LLDP is not enabled",
}

// Cleaned is normalised output: one entry per line of the original text
// (so line numbers still point into the stored file), with CR, ANSI escapes
// and pager remnants removed and the prompt/command echo blanked.
type Cleaned struct {
	Lines []string
	// Command is the command line echoed after a prompt, if the first
	// non-blank line was one; EchoLine is its 1-based line.
	Command  string
	EchoLine int
	// DeviceErr is set when the device refused the command.
	DeviceErr *DeviceError
}

// Text joins the cleaned lines back into one string.
func (c *Cleaned) Text() string { return strings.Join(c.Lines, "\n") }

// Clean normalises raw output. It never drops or adds lines.
func Clean(raw string) *Cleaned {
	raw = strings.TrimSuffix(raw, "\n")
	lines := strings.Split(raw, "\n")
	c := &Cleaned{Lines: lines}
	first := true
	for i, l := range lines {
		if strings.ContainsRune(l, '\x1b') {
			l = ansiRE.ReplaceAllString(l, "")
		}
		if strings.IndexByte(l, '\x08') >= 0 || containsMore(l) {
			l = moreRE.ReplaceAllString(l, "")
			l = applyBackspaces(l)
		}
		l = strings.TrimRight(l, "\r")
		l = strings.ReplaceAll(l, "\r", "")
		if first && strings.TrimSpace(l) != "" {
			first = false
			if m := promptCmdRE.FindStringSubmatch(l); m != nil && looksLikeCommand(m[1]) {
				c.Command = strings.TrimSpace(m[1])
				c.EchoLine = i + 1
				l = ""
			}
		}
		if t := strings.TrimSpace(l); c.DeviceErr == nil && t != "" && strings.IndexByte("%EeIsS", t[0]) >= 0 {
			for _, p := range deviceErrorPrefixes {
				if strings.HasPrefix(t, p) {
					c.DeviceErr = &DeviceError{Line: i + 1, Text: t}
					break
				}
			}
		}
		lines[i] = l
	}
	// A trailing prompt line ("sw1#") is not output.
	for i := len(lines) - 1; i >= 0; i-- {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			continue
		}
		if promptOnlyRE.MatchString(t) && !strings.Contains(t, " ") && i+1 > c.EchoLine {
			lines[i] = ""
		}
		break
	}
	return c
}

// looksLikeCommand keeps "Name: vSwitch0" style data lines from being taken
// for a prompt and command.
func looksLikeCommand(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	switch strings.ToLower(f[0]) {
	case "show", "sh", "run", "esxcli", "esxcfg-vswitch", "esxcfg-nics", "ip", "bridge", "ovs-appctl",
		"ovs-vsctl", "swanctl", "ipsec", "strongswan", "cat", "teamdctl", "vtysh", "net-dvs", "more", "localcli", "vim-cmd", "esxcfg-vmknic":
		return true
	}
	return false
}

func applyBackspaces(s string) string {
	if !strings.ContainsRune(s, '\x08') {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '\x08' {
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// containsMore reports whether s contains "more" in any letter case,
// without allocating (it runs on every line).
func containsMore(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if s[i]|0x20 == 'm' && s[i+1]|0x20 == 'o' && s[i+2]|0x20 == 'r' && s[i+3]|0x20 == 'e' {
			return true
		}
	}
	return false
}
