package inventory

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kevinburke/ssh_config"
)

// An OpenSSH client config as an inventory: every Host entry whose first
// pattern without wildcards names a device (further names on the line are
// aliases of it). HostName, User, Port and ProxyJump are resolved the way
// ssh does (first value found, wildcard entries included). nettui's own
// settings are in a comment, on the Host line, inside the entry, or on the
// lines just above it:
//
//	# nettui: platform=ios site=dc1 tags=core,dc1
//	Host sw1
//	    HostName 10.0.0.2

var annotationKeys = []string{"platform", "site", "tags"}

// sshLine is one Host or Match line, or a nettui comment.
type sshLine struct {
	at      pos
	host    bool // a Host line (else Match)
	comment string
}

var nettuiCommentRE = regexp.MustCompile(`#\s*nettui:(.*)$`)

func (c *ctx) readSSHConfig(data []byte) *result {
	lines := strings.SplitAfter(string(data), "\n")
	var directives []sshLine
	// notes[i] are the nettui comments of directive i (-1: before any).
	notes := map[int][]sshLine{}
	var pending []sshLine // standalone comments waiting for the next Host line
	for i, raw := range lines {
		l := strings.TrimRight(raw, "\r\n")
		t := strings.TrimSpace(l)
		col := len(l) - len(strings.TrimLeft(l, " \t")) + 1
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "#") {
			if m := nettuiCommentRE.FindStringSubmatchIndex(l); m != nil {
				n := sshLine{at: pos{i + 1, m[2] + 1}, comment: l[m[2]:m[3]]}
				if col == 1 {
					// Unindented: it may head the next Host entry.
					pending = append(pending, n)
				} else {
					cur := len(directives) - 1
					notes[cur] = append(notes[cur], pending...)
					notes[cur] = append(notes[cur], n)
					pending = nil
				}
			}
			continue
		}
		kw := t
		if j := strings.IndexAny(t, " \t="); j >= 0 {
			kw = t[:j]
		}
		var inline []sshLine
		if m := nettuiCommentRE.FindStringSubmatchIndex(l); m != nil {
			inline = append(inline, sshLine{at: pos{i + 1, m[2] + 1}, comment: l[m[2]:m[3]]})
		}
		switch strings.ToLower(kw) {
		case "include":
			c.problemf(pos{i + 1, col}, explainInclude, "%s is not followed", strings.TrimSpace(strings.SplitN(t, "#", 2)[0]))
			// The library would read the included files: it gets a blank line.
			lines[i] = "\n"
		case "host", "match":
			directives = append(directives, sshLine{at: pos{i + 1, col}, host: strings.EqualFold(kw, "host")})
			cur := len(directives) - 1
			notes[cur] = append(notes[cur], pending...)
			notes[cur] = append(notes[cur], inline...)
			pending = nil
			continue
		case "proxycommand":
			c.problem(pos{i + 1, col}, "ProxyCommand is not used by nettui; reach the device with ProxyJump through a Host of this file", explainJump)
		}
		// Comments between settings belong to the entry they are in.
		cur := len(directives) - 1
		notes[cur] = append(notes[cur], pending...)
		notes[cur] = append(notes[cur], inline...)
		pending = nil
	}
	if len(pending) > 0 {
		cur := len(directives) - 1
		notes[cur] = append(notes[cur], pending...)
	}
	for _, n := range notes[-1] {
		c.problem(n.at, "a nettui comment before the first Host entry applies to no device", explainSSH)
	}

	cfg, err := ssh_config.DecodeBytes([]byte(strings.Join(lines, "")))
	if err != nil {
		c.problem(sshErrPos(err.Error()), "not a valid ssh config: "+sshErrMsg(err.Error()), explainSSH)
		return nil
	}
	hosts := cfg.Hosts
	if len(hosts) > 0 && len(hosts) == len(directives)+1 {
		hosts = hosts[1:] // the implicit "Host *" the file starts with
	} else {
		c.problem(pos{}, "could not match the Host entries to their lines", explainSSH)
		return nil
	}
	if !c.spend(len(hosts) + 1) {
		return nil
	}

	r := &result{}
	byName := map[string]*draft{}
	for i, h := range hosts {
		dl := directives[i]
		if !dl.host {
			continue
		}
		var name string
		for _, p := range h.Patterns {
			s := p.String()
			if strings.HasPrefix(s, "!") || strings.ContainsAny(s, "*?") {
				continue
			}
			name = s
			break
		}
		if name == "" {
			for _, n := range notes[i] {
				c.problem(n.at, "a nettui comment in a Host entry with wildcards applies to no device", explainSSH)
			}
			continue
		}
		// A name in several Host entries is one device (ssh merges the
		// entries); the nettui comments of every entry apply.
		if d := byName[name]; d != nil {
			for _, n := range notes[i] {
				c.annotation(d, n)
			}
			continue
		}
		d := c.sshDevice(cfg, name, dl.at, notes[i])
		byName[name] = d
		r.devices = append(r.devices, d)
	}
	r.noPlatform = "device %s has no platform: add a comment '# nettui: platform=NAME' to its Host entry"
	r.noPlatformExplain = explainSSH + " Valid platforms: " + validPlatforms() + "."
	return r
}

func (c *ctx) sshDevice(cfg *ssh_config.Config, name string, hostAt pos, notes []sshLine) *draft {
	d := &draft{at: hostAt}
	d.name = field{val: name, at: hostAt, set: true}
	if !NameOK(name) {
		d.name.bad = true
		c.problemf(hostAt, explainName, "Host %q cannot be a device name (a folder name); use an alias of letters, digits, '.', '_', '-' and put the address in HostName", name)
	}
	for _, n := range notes {
		c.annotation(d, n)
	}
	if kv := sshGet(cfg, name, "HostName"); kv != nil {
		v := strings.NewReplacer("%h", name, "%%", "%").Replace(kv.Value)
		d.host = c.hostField(v, kvPos(kv))
	}
	if kv := sshGet(cfg, name, "User"); kv != nil {
		d.user = c.userField(kv.Value, kvPos(kv))
	}
	if kv := sshGet(cfg, name, "Port"); kv != nil {
		d.port = c.portField(kv.Value, kvPos(kv))
	}
	if kv := sshGet(cfg, name, "ProxyJump"); kv != nil && !strings.EqualFold(kv.Value, "none") {
		switch {
		case strings.Contains(kv.Value, ","):
			c.problemf(kvPos(kv), explainJump, "ProxyJump %q has several hops; give each jump host its own ProxyJump in its Host entry", kv.Value)
		default:
			j := jumpName(kv.Value)
			if j == name {
				break
			}
			d.jump = field{val: j, at: kvPos(kv), set: true}
			if !NameOK(j) {
				d.jump.bad = true
				c.problemf(kvPos(kv), explainJump, "ProxyJump %q does not name a Host of this file", kv.Value)
			}
		}
	}
	return d
}

// annotation reads "platform=ios site=dc1 tags=a,b" from a nettui comment.
func (c *ctx) annotation(d *draft, n sshLine) {
	text := n.comment
	off := 0
	for _, f := range strings.Fields(text) {
		i := strings.Index(text[off:], f) + off
		off = i + len(f)
		at := pos{n.at.line, n.at.col + i}
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			c.problemf(at, explainSSH, "nettui comment: %q is not key=value", f)
			continue
		}
		switch k {
		case "platform":
			if d.platform.set && !strings.EqualFold(d.platform.val, v) {
				c.problemf(at, explainSSH, "platform %s given again for %s (line %d says %s)", v, d.name.val, d.platform.at.line, d.platform.val)
				continue
			}
			d.platform = c.platformField(v, at)
		case "site":
			d.site = c.siteField(v, at)
		case "tags":
			for _, t := range strings.Split(v, ",") {
				if !tagOK(t) {
					c.problemf(at, explainTag, "tag %q is not a usable tag", t)
					continue
				}
				d.tags = append(d.tags, t)
			}
		default:
			c.problemf(at, explainUnknown, "unknown key %q in nettui comment%s", k, didYouMean(k, annotationKeys))
		}
	}
}

// sshGet returns the first setting of key that applies to alias, as ssh
// resolves it.
func sshGet(cfg *ssh_config.Config, alias, key string) *ssh_config.KV {
	for _, h := range cfg.Hosts {
		if !h.Matches(alias) {
			continue
		}
		for _, n := range h.Nodes {
			if kv, ok := n.(*ssh_config.KV); ok && strings.EqualFold(kv.Key, key) {
				return kv
			}
		}
	}
	return nil
}

// kvPos is where a setting's value starts (its key's position when the
// value cannot be found on the line).
func kvPos(kv *ssh_config.KV) pos {
	p := kv.Pos()
	return pos{p.Line, p.Col}
}

var sshErrRE = regexp.MustCompile(`^\((\d+), (\d+)\): `)

func sshErrPos(msg string) pos {
	m := sshErrRE.FindStringSubmatch(msg)
	if m == nil {
		return pos{}
	}
	l, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	return pos{l, col}
}

func sshErrMsg(msg string) string {
	msg = sshErrRE.ReplaceAllString(msg, "")
	msg = strings.TrimPrefix(strings.TrimSpace(msg), "ssh_config: ")
	return fmt.Sprint(msg)
}
