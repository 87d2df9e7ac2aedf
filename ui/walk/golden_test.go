package walk

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/nettui/nettui/ui/uitest"
)

// host runs the view alone as a program: full window, ctrl+c quits.
type host struct{ m Model }

func (h host) Init() tea.Cmd { return h.m.Init() }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.m.SetSize(msg.Width, msg.Height)
		return h, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return h, tea.Quit
		}
	}
	var cmd tea.Cmd
	h.m, cmd = h.m.Update(msg)
	return h, cmd
}

func (h host) View() string { return h.m.View() }

// golden runs the view on the demo site, from the finding id/subject, at
// w×h, sends keys, quits and compares the final screen with
// testdata/<test>.golden (go test -update rewrites it).
func golden(t *testing.T, id, subject string, w, h int, ks ...string) {
	t.Helper()
	m := open(t, Config{}, id, subject, w, h)
	tm := teatest.NewTestModel(t, host{m}, teatest.WithInitialTermSize(w, h))
	for _, msg := range uitest.Keys(ks...) {
		tm.Send(msg)
	}
	tm.Send(uitest.Key("ctrl+c"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	teatest.RequireEqualOutput(t, []byte(fm.View()))
}

// TestGoldenPicker: w on the VM-Prod finding: the VLAN walkthrough first.
func TestGoldenPicker(t *testing.T) {
	golden(t, "VLAN-PARTIAL-UPLINK", "esx01/vSwitch0/VM-Prod (VLAN 120)", 110, 30)
}

// TestGoldenStep: the trunk step of the VLAN walkthrough is next, the
// switch ports of the uplinks the step before, with their CDP lines.
func TestGoldenStep(t *testing.T) {
	golden(t, "VLAN-PARTIAL-UPLINK", "esx01/vSwitch0/VM-Prod (VLAN 120)", 110, 40,
		"enter", "enter", "enter", "enter", "enter")
}

// TestGoldenQuestion: a question with its choices, the finding's port
// group under the cursor.
func TestGoldenQuestion(t *testing.T) {
	golden(t, "VLAN-PARTIAL-UPLINK", "esx02/vSwitch0/vMotion (VLAN 20)", 110, 30, "enter")
}

// TestGoldenTranscript: the VLAN walkthrough concluded: the cause, what to
// type, what was not checked and the transcript.
func TestGoldenTranscript(t *testing.T) {
	golden(t, "VLAN-PARTIAL-UPLINK", "esx01/vSwitch0/VM-Prod (VLAN 120)", 110, 45,
		"enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
}
