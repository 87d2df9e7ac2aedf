package inventory

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// draft is a device as read, before the checks that need every device.
type draft struct {
	name, host, user, platform, jump, site, port field
	at                                           pos // where the device is defined
	tags                                         []string
	ownTags                                      []string
	commands                                     []string // as written
	commandAts                                   []pos
	captureSudo                                  bool   // capture through sudo -n
	group                                        *layer // the group it is listed under (nettui format)
}

// result is what a format reader hands to finish.
type result struct {
	site    field
	devices []*draft
	links   []linkDraft
	expect  []expectDraft
	// noPlatform, when set, is the message (with %s for the device) for a
	// device without a platform.
	noPlatform, noPlatformExplain string
}

type linkDraft struct {
	ends [2]endDraft
	at   pos
}

type endDraft struct {
	dev, port string
	at        pos
}

type expectDraft struct {
	key  string
	vals []string
	ats  []pos
	at   pos
}

// read detects the format and reads the file.
func (c *ctx) read(data []byte) (Format, *result) {
	if looksSSHConfig(data) {
		return FormatSSHConfig, c.readSSHConfig(data)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if looksINI(data) {
			c.problem(pos{}, "this looks like an Ansible INI inventory; nettui reads the YAML form: ansible-inventory -i FILE --list --yaml > inventory.yaml", explainFormat)
			return FormatAnsible, nil
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		c.problem(pos{yamlLine(msg), 0}, "not valid YAML: "+msg, explainYAML)
		return "", nil
	}
	if len(doc.Content) == 0 {
		c.problem(pos{}, "the inventory is empty", explainFormat)
		return "", nil
	}
	root := c.deref(doc.Content[0])
	if root == nil || root.Kind != yaml.MappingNode {
		if looksINI(data) {
			c.problem(pos{}, "this looks like an Ansible INI inventory; nettui reads the YAML form: ansible-inventory -i FILE --list --yaml > inventory.yaml", explainFormat)
			return FormatAnsible, nil
		}
		c.problemf(at(root), explainFormat, "the inventory should be a mapping (site:, devices:, ... or Ansible's all:), not %s", kindName(root))
		return "", nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		c.problem(pos{extra.Line, 0}, "a second YAML document (after ---) is not read", explainFormat)
	} else if !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		c.problem(pos{yamlLine(msg), 0}, "not valid YAML: "+msg, explainYAML)
	}
	if isAnsible(root) {
		return FormatAnsible, c.readAnsible(root)
	}
	return FormatNative, c.readNative(root)
}

var (
	iniSectionRE = regexp.MustCompile(`(?m)^\s*\[[A-Za-z0-9_.:-]+\]\s*$`)
	sshKeywords  = []string{"host", "match", "hostname", "user", "port", "proxyjump", "identityfile", "include", "proxycommand", "stricthostkeychecking", "userknownhostsfile", "forwardagent", "serveraliveinterval"}
)

func looksINI(data []byte) bool { return iniSectionRE.Match(data) }

// looksSSHConfig: the first line that is not blank or a comment starts
// with an ssh_config keyword followed by a space or '=' (YAML would have
// a ':').
func looksSSHConfig(data []byte) bool {
	for line := range strings.Lines(string(data)) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		i := strings.IndexAny(t, " \t=")
		if i <= 0 {
			return false
		}
		return slices.Contains(sshKeywords, strings.ToLower(t[:i]))
	}
	return false
}

var (
	nativeKeys = []string{"site", "defaults", "groups", "devices", "links", "expect"}
	layerKeys  = []string{"user", "port", "platform", "jump", "site", "tags"}
	groupKeys  = append(slices.Clone(layerKeys), "devices", "match_tags")
	// deviceKeys are the keys of a device in a list; in a mapping the
	// name is the key.
	deviceKeys   = []string{"name", "host", "port", "user", "platform", "jump", "site", "tags", "commands", "capture_sudo"}
	ansibleGroup = []string{"hosts", "children", "vars"}
)

// isAnsible tells an Ansible inventory from nettui's own: top-level groups
// (all, or names) holding only hosts, children and vars.
func isAnsible(root *yaml.Node) bool {
	found := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i].Value
		if slices.Contains(nativeKeys, k) {
			return false
		}
		if k == "all" || k == "_meta" {
			found = true
			continue
		}
		v := root.Content[i+1]
		for v != nil && v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if isNull(v) {
			continue
		}
		if v.Kind != yaml.MappingNode {
			return false
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			if !slices.Contains(ansibleGroup, v.Content[j].Value) {
				return false
			}
			found = true
		}
	}
	return found
}

// layer is the settings of defaults or of one group.
type layer struct {
	name                             string // "" for defaults
	at                               pos
	user, port, platform, jump, site field
	tags, matchTags                  []string
}

// readSetting reads one of the settings shared by defaults, groups and
// devices; false when key is not one of them.
func (c *ctx) readSetting(p kv, where string, user, port, plat, jump, site *field, tags *[]string) bool {
	if !slices.Contains(layerKeys, p.key) {
		return false
	}
	var val string
	var ok bool
	if p.key != "tags" {
		if val, ok = c.scalar(p.v, p.key+" in "+where); !ok {
			return true
		}
	}
	a := at(p.v)
	switch p.key {
	case "user":
		*user = c.userField(val, a)
	case "port":
		*port = c.portField(val, a)
	case "platform":
		*plat = c.platformField(val, a)
	case "jump":
		*jump = c.jumpField(val, a)
	case "site":
		*site = c.siteField(val, a)
	case "tags":
		*tags = c.tags(p.v, "tags in "+where)
	default:
		return false
	}
	return true
}

func (c *ctx) readNative(root *yaml.Node) *result {
	r := &result{}
	defaults := &layer{}
	var groups []*layer
	var devNode, linkNode, expectNode, groupNode *yaml.Node
	for _, p := range c.pairs(root, "the inventory") {
		switch p.key {
		case "site":
			if v, ok := c.scalar(p.v, "site"); ok {
				r.site = c.siteField(v, at(p.v))
			}
		case "defaults":
			defaults.at = at(p.k)
			ps, _ := c.mapping(p.v, "defaults")
			for _, q := range ps {
				if !c.readSetting(q, "defaults", &defaults.user, &defaults.port, &defaults.platform, &defaults.jump, &defaults.site, &defaults.tags) {
					c.unknownKey(q, "defaults", layerKeys)
				}
			}
		case "groups":
			groupNode = p.v
		case "devices":
			devNode = p.v
		case "links":
			linkNode = p.v
		case "expect":
			expectNode = p.v
		default:
			// x-... keys hold YAML anchors for the rest of the file.
			if !strings.HasPrefix(p.key, "x-") {
				c.unknownKey(p, "the inventory", nativeKeys)
			}
		}
	}
	if groupNode != nil {
		gs, _ := c.mapping(groupNode, "groups")
		for _, g := range gs {
			groups = append(groups, c.readGroup(g, r))
		}
	}
	if devNode != nil {
		r.devices = append(r.devices, c.readDevices(devNode, "devices", nil)...)
	}
	// Devices in file order, wherever they are listed.
	slices.SortStableFunc(r.devices, func(a, b *draft) int { return a.at.line - b.at.line })
	for _, d := range r.devices {
		c.applyLayers(d, defaults, groups)
	}
	if linkNode != nil {
		r.links = c.readLinks(linkNode)
	}
	if expectNode != nil {
		r.expect = c.readExpect(expectNode)
	}
	return r
}

func (c *ctx) readGroup(g kv, r *result) *layer {
	l := &layer{name: g.key, at: at(g.k)}
	where := "group " + g.key
	if !tagOK(g.key) {
		c.problemf(at(g.k), explainTag, "group name %q is not a usable name", g.key)
	}
	ps, _ := c.mapping(g.v, where)
	var devs *yaml.Node
	for _, q := range ps {
		switch q.key {
		case "devices":
			devs = q.v
		case "match_tags":
			l.matchTags = c.tags(q.v, "match_tags in "+where)
		default:
			if !c.readSetting(q, where, &l.user, &l.port, &l.platform, &l.jump, &l.site, &l.tags) {
				c.unknownKey(q, where, groupKeys)
			}
		}
	}
	if devs != nil {
		r.devices = append(r.devices, c.readDevices(devs, "devices in "+where, l)...)
	}
	if devs == nil && len(l.matchTags) == 0 {
		c.problemf(l.at, explainGroup, "group %s has neither devices nor match_tags, so it applies to no device", g.key)
	}
	return l
}

// readDevices reads a list of devices ([{name: sw1, ...}]) or a mapping
// of name to settings ({sw1: {...}}).
func (c *ctx) readDevices(n *yaml.Node, where string, group *layer) []*draft {
	var out []*draft
	if d := c.deref(n); d != nil && d.Kind == yaml.MappingNode {
		for _, p := range c.pairs(d, where) {
			dr := c.readDevice(p.v, group, &p)
			if dr != nil {
				out = append(out, dr)
			}
		}
		return out
	}
	items, _ := c.sequence(n, where)
	for _, it := range items {
		if dr := c.readDevice(it, group, nil); dr != nil {
			out = append(out, dr)
		}
	}
	return out
}

// readDevice reads one device's settings; named, when the devices are a
// mapping, is the name key.
func (c *ctx) readDevice(n *yaml.Node, group *layer, named *kv) *draft {
	where := "a device"
	if group != nil {
		where = "a device of group " + group.name
	}
	d := &draft{at: at(n), group: group}
	if named != nil {
		d.at = at(named.k)
		d.name = c.nameField(named.key, at(named.k))
		where = "device " + named.key
	}
	ps, ok := c.mapping(n, where)
	if !ok {
		return nil
	}
	for _, p := range ps {
		if p.key == "name" && named != nil {
			c.problemf(at(p.k), explainUnknown, "device %s is named by its key; name: is not used here", named.key)
			continue
		}
		if p.key == "name" {
			if v, ok := c.scalar(p.v, "name"); ok {
				d.name = c.nameField(v, at(p.v))
			}
			continue
		}
		if p.key == "host" {
			if v, ok := c.scalar(p.v, "host"); ok {
				d.host = c.hostField(v, at(p.v))
			}
			continue
		}
		if p.key == "commands" {
			d.commands, d.commandAts = c.commandList(p.v, "commands in "+where)
			continue
		}
		if p.key == "capture_sudo" {
			if v, ok := c.scalar(p.v, "capture_sudo in "+where); ok {
				switch strings.ToLower(v) {
				case "true", "yes":
					d.captureSudo = true
				case "false", "no":
				default:
					c.problemf(at(p.v), explainCaptureSudo, "capture_sudo in %s is %q, not true or false", where, v)
				}
			}
			continue
		}
		if !c.readSetting(p, where, &d.user, &d.port, &d.platform, &d.jump, &d.site, &d.ownTags) {
			c.unknownKey(p, where, deviceKeys)
		}
	}
	if !d.name.set {
		c.problem(d.at, "device has no name", explainNoName)
		return nil
	}
	return d
}

// applyLayers fills what the device leaves unset: from the group it is
// listed under, then from the groups whose match_tags it carries, then
// from defaults.
func (c *ctx) applyLayers(d *draft, defaults *layer, groups []*layer) {
	own := slices.Clone(d.ownTags)
	if d.group != nil {
		own = append(own, d.group.tags...)
	}
	var tagged []*layer
	for _, g := range groups {
		if g == d.group {
			continue
		}
		for _, t := range g.matchTags {
			if slices.Contains(own, t) {
				tagged = append(tagged, g)
				break
			}
		}
	}
	type slot struct {
		name string
		dev  *field
		of   func(*layer) field
	}
	ownJump := d.jump.set
	for _, s := range []slot{
		{"user", &d.user, func(l *layer) field { return l.user }},
		{"port", &d.port, func(l *layer) field { return l.port }},
		{"platform", &d.platform, func(l *layer) field { return l.platform }},
		{"jump", &d.jump, func(l *layer) field { return l.jump }},
		{"site", &d.site, func(l *layer) field { return l.site }},
	} {
		if s.dev.set {
			continue
		}
		if d.group != nil && s.of(d.group).set {
			*s.dev = s.of(d.group)
			continue
		}
		var from *layer
		for _, g := range tagged {
			f := s.of(g)
			if !f.set {
				continue
			}
			if from == nil {
				*s.dev, from = f, g
				continue
			}
			if f.ok() && s.dev.ok() && f.val != s.dev.val && d.name.ok() {
				c.problemf(d.name.at, explainConflict, "device %s: %s is %q from group %s but %q from group %s; set it on the device",
					d.name.val, s.name, s.dev.val, from.name, f.val, g.name)
			}
		}
		if from == nil && s.of(defaults).set {
			*s.dev = s.of(defaults)
		}
	}
	// A jump host given for many devices is not applied to itself: it is
	// reached directly.
	if !ownJump && d.jump.set && d.jump.val == d.name.val {
		d.jump = field{}
	}
	tags := slices.Clone(own)
	if d.group != nil {
		tags = append(tags, d.group.name)
	}
	for _, g := range tagged {
		tags = append(append(tags, g.name), g.tags...)
	}
	tags = append(tags, defaults.tags...)
	slices.Sort(tags)
	d.tags = slices.Compact(tags)
}

func (c *ctx) readLinks(n *yaml.Node) []linkDraft {
	items, _ := c.sequence(n, "links")
	var out []linkDraft
	for _, it := range items {
		vals, ats, ok := c.strs(it, "a link")
		if !ok {
			continue
		}
		if d := c.deref(it); d.Kind != yaml.SequenceNode || len(vals) != 2 {
			c.problemf(at(it), explainLink, "a link needs exactly two ends [device:interface, device:interface], not %d", len(vals))
			continue
		}
		l := linkDraft{at: at(it)}
		good := true
		for i, v := range vals {
			dev, port, found := strings.Cut(v, ":")
			if !found || dev == "" || port == "" {
				c.problemf(ats[i], explainLink, "link end %q is not device:interface", v)
				good = false
				continue
			}
			if !ifaceOK(port) {
				c.problemf(ats[i], explainLink, "link end %q: %q is not an interface name", v, port)
				good = false
				continue
			}
			l.ends[i] = endDraft{dev: dev, port: port, at: ats[i]}
		}
		if good {
			out = append(out, l)
		}
	}
	return out
}

// ExpectKeys are the keys of expect: what each means.
var ExpectKeys = map[string]string{
	"stp_root":     "the device that should be the spanning-tree root",
	"site_subnets": "the site's own prefixes (one or a list)",
}

func expectNames() []string {
	var out []string
	for k := range ExpectKeys {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (c *ctx) readExpect(n *yaml.Node) []expectDraft {
	ps, _ := c.mapping(n, "expect")
	var out []expectDraft
	for _, p := range ps {
		if _, ok := ExpectKeys[p.key]; !ok {
			c.unknownKey(p, "expect", expectNames())
			continue
		}
		vals, ats, ok := c.strs(p.v, "expect "+p.key)
		if !ok {
			continue
		}
		out = append(out, expectDraft{key: p.key, vals: vals, ats: ats, at: at(p.k)})
	}
	return out
}

// commandList reads a device's commands: a list of command lines, each
// checked against the platform's catalog once the platform is known.
func (c *ctx) commandList(n *yaml.Node, where string) ([]string, []pos) {
	d := c.deref(n)
	if isNull(d) {
		return nil, nil
	}
	if d.Kind != yaml.SequenceNode {
		c.problemf(at(n), explainCommands, "%s should be a list of command lines, not %s", where, kindName(d))
		return nil, nil
	}
	var out []string
	var ats []pos
	for _, e := range d.Content {
		v, ok := c.scalar(e, "a command")
		if !ok {
			continue
		}
		out = append(out, v)
		ats = append(ats, at(e))
	}
	return out, ats
}
