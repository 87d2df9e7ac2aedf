package netmodel

import "strings"

// Severity of a finding. Unknown means a rule could not decide for lack of data.
type Severity int

// Severities, in increasing order.
const (
	SevInfo Severity = iota
	SevUnknown
	SevWarning
	SevCritical
)

var sevNames = [...]string{"info", "unknown", "warning", "critical"}

func (s Severity) String() string {
	if int(s) < len(sevNames) {
		return sevNames[s]
	}
	return "invalid"
}

// ParseSeverity reads a severity name.
func ParseSeverity(s string) (Severity, bool) {
	for i, n := range sevNames {
		if strings.EqualFold(n, s) {
			return Severity(i), true
		}
	}
	return 0, false
}

// MarshalText writes the severity name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return &ParseError{Msg: "unknown severity " + string(b)}
	}
	*s = v
	return nil
}

// Evidence cites the raw lines a finding rests on.
type Evidence struct {
	Device string `json:"device"`
	File   string `json:"file"`
	Start  int    `json:"line_start"`
	End    int    `json:"line_end"`
	Text   string `json:"text"`
	Note   string `json:"note,omitempty"`
}

// Fix is what to type on one device.
type Fix struct {
	Device   string   `json:"device"`
	Platform Platform `json:"platform,omitempty"`
	Commands []string `json:"commands"`
	Note     string   `json:"note,omitempty"`
}

// Finding is one verdict of a rule.
type Finding struct {
	ID       string     `json:"id"`
	Severity Severity   `json:"severity"`
	Title    string     `json:"title"`
	Subject  string     `json:"subject"`
	Why      string     `json:"why"`
	Evidence []Evidence `json:"evidence"`
	Fix      []Fix      `json:"fix"`
	// Status: "" / "open"; later "new" or "resolved" across re-collections.
	Status string `json:"status,omitempty"`
}

// Key identifies a finding across runs: rule and subject.
func (f Finding) Key() string { return f.ID + "|" + f.Subject }
