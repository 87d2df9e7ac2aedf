package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// termPrompter asks for passwords and passphrases on the controlling
// terminal (/dev/tty), with echo off. Answers go straight to the SSH
// library; they are not kept, logged or shown.
type termPrompter struct {
	mu sync.Mutex // one question at a time, whatever the number of devices
}

func newTermPrompter() *termPrompter { return &termPrompter{} }

var errNoTerminal = errors.New("no terminal to ask on: use ssh-agent or an unencrypted key, or run nettui in a terminal")

func (p *termPrompter) ask(ctx context.Context, question string, secret bool) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errNoTerminal
	}
	defer tty.Close()
	type answer struct {
		s   string
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		fmt.Fprint(tty, question)
		if secret {
			b, err := term.ReadPassword(int(tty.Fd()))
			fmt.Fprintln(tty)
			ch <- answer{string(b), err}
			return
		}
		s, err := bufio.NewReader(tty).ReadString('\n')
		ch <- answer{strings.TrimRight(s, "\r\n"), err}
	}()
	select {
	case a := <-ch:
		return a.s, a.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *termPrompter) Password(ctx context.Context, prompt string) (string, error) {
	return p.ask(ctx, prompt, true)
}

func (p *termPrompter) Passphrase(ctx context.Context, file string) (string, error) {
	return p.ask(ctx, fmt.Sprintf("Enter passphrase for key '%s': ", file), true)
}

func (p *termPrompter) KeyboardInteractive(ctx context.Context, name, instruction string, questions []string, echos []bool) ([]string, error) {
	if instruction != "" {
		if _, err := p.ask(ctx, instruction+"\n(press Enter) ", false); err != nil {
			return nil, err
		}
	}
	out := make([]string, len(questions))
	for i, q := range questions {
		a, err := p.ask(ctx, q, i >= len(echos) || !echos[i])
		if err != nil {
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}
