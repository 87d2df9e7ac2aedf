package bundle

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// AddCapture lists a capture file already written inside the bundle folder
// dir in its bundle.yaml, so that opening the bundle again decodes it and
// the capture findings come with the others. The file name is relative to
// the bundle. bundle.yaml is rewritten atomically (temporary file and
// rename), keeping its comments and the order of everything else; a capture
// already listed is not listed twice.
func AddCapture(dir string, c CaptureMeta) error {
	if err := checkRelPath(c.File); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.File))); err != nil {
		return fmt.Errorf("bundle: capture %s: %w", c.File, err)
	}
	path := filepath.Join(dir, "bundle.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("bundle: %s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("bundle: %s: not a mapping", path)
	}
	top := doc.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "captures" {
			list = top.Content[i+1]
		}
	}
	if list == nil {
		list = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		top.Content = append(top.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "captures"}, list)
	}
	if list.Kind != yaml.SequenceNode {
		return fmt.Errorf("bundle: %s:%d: captures is not a list", path, list.Line)
	}
	for _, n := range list.Content {
		var have CaptureMeta
		if n.Decode(&have) == nil && have.File == c.File {
			return nil
		}
	}
	var entry yaml.Node
	if err := entry.Encode(c); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	entry.Style = yaml.FlowStyle
	list.Content = append(list.Content, &entry)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".bundle.yaml.tmp-")
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("bundle: %w", err)
	}
	if err := tmp.Chmod(FileMode); err != nil {
		tmp.Close()
		return fmt.Errorf("bundle: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}

// CaptureName is a file name for a capture saved into a bundle's captures
// folder: device, interface and time, with anything but letters, digits,
// '-', '.' and '_' replaced.
func CaptureName(device, iface, stamp string) string {
	parts := []string{}
	for _, p := range []string{device, iface, stamp} {
		if p != "" {
			parts = append(parts, safeName(p))
		}
	}
	return "captures/" + strings.Join(parts, "-") + ".pcapng"
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
}
