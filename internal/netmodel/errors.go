package netmodel

import "fmt"

// ParseError is a located problem in a device's output.
type ParseError struct {
	Device  string `json:"device"`
	File    string `json:"file"`
	Command string `json:"command,omitempty"`
	Line    int    `json:"line"` // 0 when the whole file is concerned
	Msg     string `json:"error"`
}

func (e *ParseError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	cmd := ""
	if e.Command != "" {
		cmd = fmt.Sprintf(" (%s)", e.Command)
	}
	return fmt.Sprintf("%s: %s%s: %s", e.Device, loc, cmd, e.Msg)
}
