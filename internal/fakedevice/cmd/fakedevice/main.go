// Command fakedevice is a fake network device, run by sshd as the
// ForceCommand of a listening port:
//
//	ForceCommand /path/to/fakedevice -dir /path/to/device
//
// The device directory holds device.yaml and the canned outputs (see package
// internal/fakedevice). The command of an exec request comes from
// $SSH_ORIGINAL_COMMAND; without it an interactive CLI runs on stdin.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/nettui/nettui/internal/fakedevice"
)

func main() {
	dir := flag.String("dir", os.Getenv("FAKEDEVICE_DIR"), "device `directory` holding device.yaml (default $FAKEDEVICE_DIR)")
	flag.Parse()
	if *dir == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	dev, err := fakedevice.Load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakedevice:", err)
		os.Exit(2)
	}
	name := os.Getenv("USER")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	ctx, cancel := fakedevice.WatchParent(context.Background(), 100*time.Millisecond)
	cmd, has := os.LookupEnv("SSH_ORIGINAL_COMMAND")
	code := fakedevice.Run(ctx, dev, fakedevice.Session{
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Command:    cmd,
		HasCommand: has,
		User:       name,
		Terminal:   fakedevice.OpenTerminal(os.Stdin),
		Reset: func() error {
			// Let the bytes before the reset reach the client first.
			fakedevice.Drain(os.Stdout, time.Second)
			return fakedevice.KillSSHSession()
		},
		LogPath: filepath.Join(*dir, fakedevice.LogFile),
	})
	cancel()
	os.Exit(code)
}
