package diagnose

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nettui/nettui/internal/netmodel"
)

// ReportFormat is the version of the JSON report layout (docs/report.md).
const ReportFormat = 1

// Report is the machine-readable result of a diagnosis.
type Report struct {
	Format       int                     `json:"format"`
	Site         string                  `json:"site"`
	Source       string                  `json:"source"`
	Findings     []netmodel.Finding      `json:"findings"`
	Devices      []DeviceReport          `json:"devices"`
	Unrecognised []netmodel.Unrecognised `json:"unrecognised"`
	Summary      Summary                 `json:"summary"`
}

// DeviceReport says what was read of one device.
type DeviceReport struct {
	Name     string                 `json:"name"`
	Platform string                 `json:"platform"`
	Status   string                 `json:"status"`
	Error    string                 `json:"error,omitempty"`
	Parsed   []string               `json:"parsed"`
	Errors   []*netmodel.ParseError `json:"parse_errors"`
}

// Summary counts findings by severity.
type Summary struct {
	Critical int `json:"critical"`
	Warning  int `json:"warning"`
	Unknown  int `json:"unknown"`
	Info     int `json:"info"`
	Total    int `json:"total"`
}

// Count tallies findings by severity.
func Count(fs []netmodel.Finding) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Severity {
		case netmodel.SevCritical:
			s.Critical++
		case netmodel.SevWarning:
			s.Warning++
		case netmodel.SevUnknown:
			s.Unknown++
		default:
			s.Info++
		}
	}
	s.Total = len(fs)
	return s
}

// Filter keeps findings at or above min.
func Filter(fs []netmodel.Finding, min netmodel.Severity) []netmodel.Finding {
	out := []netmodel.Finding{}
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// NewReport assembles the report of findings (already filtered) over s.
func NewReport(s *netmodel.Snapshot, source string, findings []netmodel.Finding) *Report {
	r := &Report{Format: ReportFormat, Site: s.Site, Source: source, Findings: findings, Unrecognised: s.Unrecognised, Summary: Count(findings)}
	if r.Findings == nil {
		r.Findings = []netmodel.Finding{}
	}
	if r.Unrecognised == nil {
		r.Unrecognised = []netmodel.Unrecognised{}
	}
	for i := range r.Findings {
		if r.Findings[i].Evidence == nil {
			r.Findings[i].Evidence = []netmodel.Evidence{}
		}
		if r.Findings[i].Fix == nil {
			r.Findings[i].Fix = []netmodel.Fix{}
		}
	}
	for _, d := range s.Devices {
		dr := DeviceReport{Name: d.Name, Platform: string(d.Platform), Status: d.Status, Error: d.Error, Parsed: d.Capabilities, Errors: d.Errors}
		if dr.Parsed == nil {
			dr.Parsed = []string{}
		}
		if dr.Errors == nil {
			dr.Errors = []*netmodel.ParseError{}
		}
		r.Devices = append(r.Devices, dr)
	}
	if r.Devices == nil {
		r.Devices = []DeviceReport{}
	}
	return r
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// WriteText writes the report for a person reading a terminal or a ticket.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	site := r.Site
	if site == "" {
		site = "(unnamed site)"
	}
	fmt.Fprintf(&b, "nettui diagnosis of %s (%s)\n", site, r.Source)
	fmt.Fprintf(&b, "%d findings: %d critical, %d warning, %d unknown, %d info\n", r.Summary.Total, r.Summary.Critical, r.Summary.Warning, r.Summary.Unknown, r.Summary.Info)
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n%s %s  %s\n  %s\n", strings.ToUpper(f.Severity.String()), f.ID, f.Subject, f.Title)
		for _, l := range strings.Split(f.Why, "\n") {
			fmt.Fprintf(&b, "  %s\n", l)
		}
		if len(f.Evidence) > 0 {
			b.WriteString("  evidence:\n")
		}
		for _, e := range f.Evidence {
			note := ""
			if e.Note != "" {
				note = "  — " + e.Note
			}
			if e.Start == e.End {
				fmt.Fprintf(&b, "    %s %s:%d%s\n", e.Device, e.File, e.Start, note)
			} else {
				fmt.Fprintf(&b, "    %s %s:%d-%d%s\n", e.Device, e.File, e.Start, e.End, note)
			}
			for i, l := range strings.Split(e.Text, "\n") {
				fmt.Fprintf(&b, "      %5d | %s\n", e.Start+i, l)
			}
		}
		if len(f.Fix) > 0 {
			b.WriteString("  fix:\n")
		}
		for _, fx := range f.Fix {
			fmt.Fprintf(&b, "    on %s (%s):\n", fx.Device, platformName(fx.Platform))
			for _, c := range fx.Commands {
				fmt.Fprintf(&b, "      %s\n", c)
			}
			if fx.Note != "" {
				fmt.Fprintf(&b, "      # %s\n", fx.Note)
			}
		}
	}
	var problems []string
	for _, d := range r.Devices {
		if d.Status == netmodel.StatusFailed {
			problems = append(problems, fmt.Sprintf("%s: not collected: %s", d.Name, d.Error))
		}
		for _, e := range d.Errors {
			problems = append(problems, e.Error())
		}
	}
	for _, u := range r.Unrecognised {
		problems = append(problems, fmt.Sprintf("%s: not recognised: %s", u.Path, u.Reason))
	}
	if len(problems) > 0 {
		b.WriteString("\ninput problems (the rest was diagnosed):\n")
		for _, p := range problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ExitCode maps findings at or above the threshold to the exit status of
// `nettui diagnose`: 0 none, 1 warnings (or lesser findings), 2 critical.
func ExitCode(findings []netmodel.Finding) int {
	code := 0
	for _, f := range findings {
		if f.Severity == netmodel.SevCritical {
			return 2
		}
		code = 1
	}
	return code
}
