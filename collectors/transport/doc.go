// Package transport is the SSH client layer: it resolves a device through
// the user's ssh configuration, connects (through ProxyJump hosts when
// configured) with host keys checked against known_hosts, authenticates with
// the agent, key files or prompted secrets, and runs commands either on exec
// channels or in an interactive PTY shell read up to the device prompt.
//
// Safety:
//   - Host keys are always checked. An unknown key aborts the connection
//     during key exchange with *UnknownHostKeyError; trusting it is the
//     user's explicit choice (AcceptHostKey). A changed key aborts with
//     *ChangedHostKeyError and is never replaced here. StrictHostKeyChecking
//     "no" in the ssh config is not honoured.
//   - Secrets from the Prompter go only to the SSH library; they are not
//     stored, logged or returned.
//   - This package runs the commands it is given and decides nothing about
//     which are allowed: callers pass only commands from the platform
//     catalog's read-only allow-list (see Command).
//
// Typical use:
//
//	r, err := transport.Resolve(transport.Config{}, transport.Target{Name: "sw1", Host: "10.0.0.1"})
//	c, err := transport.Dial(ctx, r, transport.DialOpts{Prompter: p, Logger: log})
//	defer c.Close()
//	res, err := c.Exec(ctx, cmd, transport.RunOpts{Timeout: time.Minute})
//	kind, hint := transport.Classify(err)
package transport
