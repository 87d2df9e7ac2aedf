package ui

import (
	"context"
	"time"
)

// NewWithClock is New with a clock for the elapsed time.
func NewWithClock(opts Options, now func() time.Time) Model {
	return newModel(context.Background(), opts, now)
}

// Prompting reports how many prompts are queued.
func (m Model) Prompting() int { return len(m.prompts) }

// Confirming is the device whose host key the dialog asks about.
func (m Model) Confirming() string { return m.confirm }

// Collecting reports whether a collection runs.
func (m Model) Collecting() bool { return m.live.running }

// List is the findings shown, with their Status.
func (m Model) List() []string {
	out := make([]string, len(m.list))
	for i, f := range m.list {
		out[i] = f.Key()
		if f.Status != "" {
			out[i] += " " + f.Status
		}
	}
	return out
}
