package parse

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nettui/nettui/internal/netmodel"
)

func TestZZCorpusTiming(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("ZZ_DIR") + "/*")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		lines := strings.Split(string(b), "\n")
		if len(lines) < 3 {
			continue
		}
		idxS := strings.TrimSuffix(strings.TrimPrefix(lines[1], "uint16("), ")")
		idx, _ := strconv.Atoi(idxS)
		raw, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "string("), ")"))
		if err != nil {
			continue
		}
		ents := Entries()
		e := ents[idx%len(ents)]
		t0 := time.Now()
		c := Clean(raw)
		d := &netmodel.Device{}
		e.Apply(strings.NewReader(c.Text()), d, "f", "a")
		t1 := time.Since(t0)
		Detect(c, "")
		t2 := time.Since(t0)
		if t2 > 50*time.Millisecond {
			fmt.Println(filepath.Base(f), e.Platform, e.Capability, len(raw), t1, t2)
		}
	}
}
