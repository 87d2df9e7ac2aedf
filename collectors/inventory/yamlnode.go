package inventory

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kv is one key and value of a YAML mapping.
type kv struct {
	key string
	k   *yaml.Node
	v   *yaml.Node
}

func at(n *yaml.Node) pos {
	if n == nil {
		return pos{}
	}
	return pos{n.Line, n.Column}
}

// deref follows YAML aliases.
func (c *ctx) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// kindName names a node's shape for problems.
func kindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return "an empty value"
	}
	return "a single value"
}

// isNull reports whether n is absent or an explicit null.
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// pairs lists a mapping's keys and values. Merge keys (<<: *anchor) are
// expanded with lower precedence than the keys written beside them; a key
// written twice is reported and its first value kept.
func (c *ctx) pairs(n *yaml.Node, where string) []kv {
	return c.pairsDepth(n, where, 0)
}

func (c *ctx) pairsDepth(n *yaml.Node, where string, depth int) []kv {
	n = c.deref(n)
	if n == nil || n.Kind != yaml.MappingNode || !c.spend(len(n.Content)/2+1) {
		return nil
	}
	var own, merged []kv
	firstAt := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := c.deref(n.Content[i]), n.Content[i+1]
		if k == nil || k.Kind != yaml.ScalarNode {
			c.problemf(at(n.Content[i]), explainType, "a key in %s is %s; keys are names", where, kindName(k))
			continue
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			if depth > 8 {
				continue
			}
			src := c.deref(v)
			var srcs []*yaml.Node
			if src != nil && src.Kind == yaml.SequenceNode {
				srcs = src.Content
			} else {
				srcs = []*yaml.Node{src}
			}
			for _, s := range srcs {
				merged = append(merged, c.pairsDepth(s, where, depth+1)...)
			}
			continue
		}
		if first, dup := firstAt[k.Value]; dup {
			c.problemf(at(n.Content[i]), explainDupKey, "key %q is given twice in %s (first at line %d)", k.Value, where, first.Line)
			continue
		}
		firstAt[k.Value] = k
		own = append(own, kv{key: k.Value, k: n.Content[i], v: v})
	}
	for _, m := range merged {
		if _, ok := firstAt[m.key]; ok {
			continue
		}
		firstAt[m.key] = m.k
		own = append(own, m)
	}
	return own
}

// unknownKey reports a key that is not one of allowed.
func (c *ctx) unknownKey(p kv, where string, allowed []string) {
	c.problemf(at(p.k), explainUnknown, "unknown key %q in %s%s", p.key, where, didYouMean(p.key, allowed))
}

// mapping checks that n is a mapping (or empty) and returns its pairs.
func (c *ctx) mapping(n *yaml.Node, where string) ([]kv, bool) {
	d := c.deref(n)
	if isNull(d) {
		return nil, true
	}
	if d.Kind != yaml.MappingNode {
		c.problemf(at(n), explainType, "%s should be a mapping (key: value lines), not %s", where, kindName(d))
		return nil, false
	}
	return c.pairs(d, where), true
}

// sequence checks that n is a list (or empty) and returns its items.
func (c *ctx) sequence(n *yaml.Node, where string) ([]*yaml.Node, bool) {
	d := c.deref(n)
	if isNull(d) {
		return nil, true
	}
	if d.Kind != yaml.SequenceNode {
		c.problemf(at(n), explainType, "%s should be a list, not %s", where, kindName(d))
		return nil, false
	}
	if !c.spend(len(d.Content) + 1) {
		return nil, false
	}
	return d.Content, true
}

// scalar returns a single value ("" for an explicit null).
func (c *ctx) scalar(n *yaml.Node, where string) (string, bool) {
	d := c.deref(n)
	if isNull(d) {
		return "", true
	}
	if d.Kind != yaml.ScalarNode {
		c.problemf(at(n), explainType, "%s should be a single value, not %s", where, kindName(d))
		return "", false
	}
	return d.Value, true
}

// strs reads a list of values, or one value (split at commas).
func (c *ctx) strs(n *yaml.Node, where string) ([]string, []pos, bool) {
	d := c.deref(n)
	if isNull(d) {
		return nil, nil, true
	}
	if d.Kind == yaml.ScalarNode {
		var out []string
		var ats []pos
		for _, s := range strings.Split(d.Value, ",") {
			out = append(out, strings.TrimSpace(s))
			ats = append(ats, at(n))
		}
		return out, ats, true
	}
	items, ok := c.sequence(n, where)
	if !ok {
		return nil, nil, false
	}
	var out []string
	var ats []pos
	for _, it := range items {
		s, ok := c.scalar(it, "an item of "+where)
		if !ok {
			return nil, nil, false
		}
		out = append(out, s)
		ats = append(ats, at(it))
	}
	return out, ats, true
}

// tags reads and checks a tag list.
func (c *ctx) tags(n *yaml.Node, where string) []string {
	vals, ats, ok := c.strs(n, where)
	if !ok {
		return nil
	}
	var out []string
	for i, t := range vals {
		if !tagOK(t) {
			c.problemf(ats[i], explainTag, "tag %q is not a usable tag", t)
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// yamlLine reads the line number out of a yaml.v3 error message.
func yamlLine(msg string) int {
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 0
	}
	n := 0
	if _, err := fmt.Sscanf(msg[i+5:], "%d", &n); err != nil {
		return 0
	}
	return n
}
