//go:build !linux

package fakedevice

import (
	"context"
	"errors"
	"os"
	"time"
)

// OpenTerminal returns nil: single-key input is only supported on Linux.
func OpenTerminal(*os.File) Terminal { return nil }

// Drain waits a little so that written output can reach the client.
func Drain(_ *os.File, _ time.Duration) { time.Sleep(50 * time.Millisecond) }

// KillSSHSession is only supported on Linux.
func KillSSHSession() error { return errors.New("reset fault: only supported on Linux") }

// WatchParent returns a context that is cancelled when this process's
// parent goes away, checking every interval.
func WatchParent(ctx context.Context, interval time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	parent := os.Getppid()
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if os.Getppid() != parent {
					cancel()
					return
				}
			}
		}
	}()
	return ctx, cancel
}
