package diagnose

import (
	"os"
	"strings"
	"testing"
)

// TestRulesDocumented keeps docs/rules.md in step with the rules: every
// rule ID has its section with an example.
func TestRulesDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range Rules() {
		sec := "\n## " + r.ID + "\n"
		i := strings.Index(doc, sec)
		if i < 0 {
			t.Errorf("%s: no section in docs/rules.md", r.ID)
			continue
		}
		body := doc[i+len(sec):]
		if j := strings.Index(body, "\n## "); j >= 0 {
			body = body[:j]
		}
		if !strings.Contains(body, "```") || !strings.Contains(body, r.ID) {
			t.Errorf("%s: its section has no example finding", r.ID)
		}
	}
}
