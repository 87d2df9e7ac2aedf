package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// Defaults used when neither the ssh config nor DialOpts say otherwise.
const (
	DefaultConnectTimeout    = 20 * time.Second
	DefaultKeepaliveInterval = 30 * time.Second
	DefaultMaxSessions       = 4
)

// DialOpts are the caller's side of a connection.
type DialOpts struct {
	// Prompter asks for passwords, passphrases and keyboard-interactive
	// answers; nil means only agent and unencrypted keys are used.
	Prompter Prompter
	// Logger receives connection events, never secrets; nil discards.
	Logger *slog.Logger
	// MaxSessions bounds the channels (Exec calls and shells) open at once
	// on the connection; 0 means DefaultMaxSessions.
	MaxSessions int
	// ConnectTimeout applies when the config has no ConnectTimeout; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// KeepaliveInterval applies when the config has no ServerAliveInterval;
	// 0 means DefaultKeepaliveInterval, negative disables keepalives.
	KeepaliveInterval time.Duration
}

// Client is one SSH connection to a device, possibly through jump hosts.
// Its methods are safe for concurrent use; at most MaxSessions channels are
// open at once, further calls wait for a free slot.
type Client struct {
	r     Resolved
	conn  *ssh.Client   // the device
	chain []*ssh.Client // every hop, the device last
	sem   chan struct{}
	log   *slog.Logger

	done      chan struct{}
	closeOnce sync.Once
	mu        sync.Mutex
	err       error
}

// Dial connects to r, through its jump hosts, checking every host key
// against known_hosts before authenticating. ctx bounds the connection's
// whole life: cancelling it, during the dial or later, closes the
// connection, its hops and every channel on it. The connect phase of each
// hop (TCP and key exchange) is bounded by ConnectTimeout; time spent
// waiting for the user at a prompt does not count.
func Dial(ctx context.Context, r Resolved, opts DialOpts) (*Client, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	target := r
	target.Jumps = nil
	hops := append(append([]Resolved(nil), r.Jumps...), target)

	var chain []*ssh.Client
	closeChain := func() {
		for i := len(chain) - 1; i >= 0; i-- {
			chain[i].Close()
		}
	}
	for i, h := range hops {
		isTarget := i == len(hops)-1
		wrap := func(err error) error {
			closeChain()
			if !isTarget {
				return &JumpError{Hop: h.Name, Err: err}
			}
			return err
		}
		timeout := h.ConnectTimeout
		if timeout == 0 {
			timeout = opts.ConnectTimeout
		}
		if timeout <= 0 {
			timeout = DefaultConnectTimeout
		}
		hl := log.With("host", h.Name, "addr", h.Addr())
		var conn net.Conn
		var err error
		if i == 0 {
			hl.Debug("dialling")
			conn, err = dialTCP(ctx, h.Addr(), timeout)
		} else {
			hl.Debug("dialling through jump host", "via", hops[i-1].Name)
			conn, err = dialVia(ctx, chain[i-1], h.Addr(), timeout)
		}
		if err != nil {
			return nil, wrap(dialError(ctx, h, err, i > 0))
		}
		c, err := handshake(ctx, conn, h, opts.Prompter, timeout, hl)
		if err != nil {
			return nil, wrap(err)
		}
		hl.Info("connected", "user", h.User, "server", string(c.ServerVersion()))
		chain = append(chain, c)
	}

	max := opts.MaxSessions
	if max <= 0 {
		max = DefaultMaxSessions
	}
	c := &Client{
		r:     r,
		conn:  chain[len(chain)-1],
		chain: chain,
		sem:   make(chan struct{}, max),
		log:   log.With("host", r.Name),
		done:  make(chan struct{}),
	}
	go c.watch(ctx)
	interval := r.ServerAliveInterval
	if interval == 0 {
		interval = opts.KeepaliveInterval
		if interval == 0 {
			interval = DefaultKeepaliveInterval
		}
	}
	if interval > 0 {
		go c.keepalive(interval, max1(r.ServerAliveCountMax))
	}
	return c, nil
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// dialError types a TCP or direct-tcpip failure.
func dialError(ctx context.Context, h Resolved, err error, viaJump bool) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: dial: %w", h.Name, ctx.Err())
	}
	op := "dial"
	if viaJump {
		op = "dial through jump host"
	}
	return &ConnectionError{Host: h.Name, Op: op, Err: err}
}

func dialTCP(ctx context.Context, addr string, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && ctx.Err() == nil {
			return nil, fmt.Errorf("no answer within %s: %w", timeout, ErrTimeout)
		}
		return nil, err
	}
	return conn, nil
}

// dialVia opens a direct-tcpip channel to addr through c.
func dialVia(ctx context.Context, c *ssh.Client, addr string, timeout time.Duration) (net.Conn, error) {
	type res struct {
		conn net.Conn
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		conn, err := c.Dial("tcp", addr)
		ch <- res{conn, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	abandon := func() {
		go func() {
			if r := <-ch; r.conn != nil {
				r.conn.Close()
			}
		}()
	}
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-ctx.Done():
		abandon()
		return nil, ctx.Err()
	case <-t.C:
		abandon()
		return nil, fmt.Errorf("no answer within %s: %w", timeout, ErrTimeout)
	}
}

// watchdog closes a connection when its timer fires; the timer is paused
// while the user is being prompted.
type watchdog struct {
	mu    sync.Mutex
	d     time.Duration
	t     *time.Timer
	fired bool
	done  bool
	conn  io.Closer
}

func newWatchdog(d time.Duration, conn io.Closer) *watchdog {
	w := &watchdog{d: d, conn: conn}
	w.t = time.AfterFunc(d, w.fire)
	return w
}

func (w *watchdog) fire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	w.fired = true
	w.conn.Close()
}

// pause stops (true) or restarts (false) the timer.
func (w *watchdog) pause(p bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done || w.fired {
		return
	}
	if p {
		w.t.Stop()
	} else {
		w.t.Reset(w.d)
	}
}

// stop ends the watch and reports whether the timer had fired.
func (w *watchdog) stop() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	w.t.Stop()
	return w.fired
}

// handshake runs key exchange and authentication over conn.
func handshake(ctx context.Context, conn net.Conn, h Resolved, p Prompter, timeout time.Duration, log *slog.Logger) (*ssh.Client, error) {
	hk, err := newHostKeyChecker(h, log)
	if err != nil {
		conn.Close()
		return nil, err
	}
	sup, ins := ssh.SupportedAlgorithms(), ssh.InsecureAlgorithms()
	var cfg ssh.ClientConfig
	all := func(a, b []string) []string { return append(append([]string(nil), a...), b...) }
	if cfg.HostKeyAlgorithms, err = algoList("HostKeyAlgorithms", h.HostKeyAlgorithms, sup.HostKeys, all(sup.HostKeys, ins.HostKeys)); err != nil {
		conn.Close()
		return nil, err
	}
	cfg.HostKeyAlgorithms = hostKeyAlgorithms(cfg.HostKeyAlgorithms, hk.knownTypes())
	if h.KexAlgorithms != "" {
		if cfg.KeyExchanges, err = algoList("KexAlgorithms", h.KexAlgorithms, sup.KeyExchanges, all(sup.KeyExchanges, ins.KeyExchanges)); err != nil {
			conn.Close()
			return nil, err
		}
	}
	if h.Ciphers != "" {
		if cfg.Ciphers, err = algoList("Ciphers", h.Ciphers, sup.Ciphers, all(sup.Ciphers, ins.Ciphers)); err != nil {
			conn.Close()
			return nil, err
		}
	}
	if h.MACs != "" {
		if cfg.MACs, err = algoList("MACs", h.MACs, sup.MACs, all(sup.MACs, ins.MACs)); err != nil {
			conn.Close()
			return nil, err
		}
	}
	for _, w := range h.Warnings {
		log.Warn("ssh config", "note", w)
	}

	wd := newWatchdog(timeout, conn)
	var keyOK atomic.Bool
	cfg.User = h.User
	cfg.HostKeyCallback = func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := hk.check(hostname, remote, key)
		keyOK.Store(err == nil)
		return err
	}
	cfg.BannerCallback = func(msg string) error {
		log.Debug("server banner", "banner", msg)
		return nil
	}
	st := &authState{}
	cfg.AuthCallback = st.callback
	cfg.Auth = authMethods(ctx, h, p, log, wd.pause, st)

	stopCtx := context.AfterFunc(ctx, func() { conn.Close() })
	sc, chans, reqs, err := ssh.NewClientConn(conn, h.Addr(), &cfg)
	stopCtx()
	fired := wd.stop()
	st.release()
	if err != nil {
		conn.Close()
		switch {
		case errors.Is(err, ErrHostKey):
			return nil, unwrapHostKeyErr(err)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("%s: %w", h.Name, ctx.Err())
		case fired:
			return nil, &ConnectionError{Host: h.Name, Op: "handshake", Err: fmt.Errorf("no answer within %s: %w", timeout, ErrTimeout)}
		case keyOK.Load() && isAuthFailure(err):
			ae := st.asError(h, err)
			log.Warn("authentication failed", "user", h.User, "tried", ae.Tried, "keys", ae.Keys)
			return nil, ae
		default:
			return nil, &ConnectionError{Host: h.Name, Op: "handshake", Err: err}
		}
	}
	return ssh.NewClient(sc, chans, reqs), nil
}

// unwrapHostKeyErr returns the typed host key error inside the library's
// "ssh: handshake failed: ..." wrapping.
func unwrapHostKeyErr(err error) error {
	var u *UnknownHostKeyError
	var c *ChangedHostKeyError
	var r *RevokedHostKeyError
	switch {
	case errors.As(err, &u):
		return u
	case errors.As(err, &c):
		return c
	case errors.As(err, &r):
		return r
	}
	return err
}

// Resolved returns what the client was dialled with.
func (c *Client) Resolved() Resolved { return c.r }

// Done is closed when the connection is closed or lost.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err says why the connection ended (ErrClosed after Close, a
// *ConnectionError if it was lost), or nil while it is up.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close closes the connection, its hops and every channel on it.
func (c *Client) Close() error {
	c.closeWith(ErrClosed)
	return nil
}

func (c *Client) closeWith(err error) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.err = err
		c.mu.Unlock()
		close(c.done)
		for i := len(c.chain) - 1; i >= 0; i-- {
			c.chain[i].Close()
		}
		if err != ErrClosed {
			c.log.Warn("connection closed", "err", err)
		} else {
			c.log.Debug("connection closed")
		}
	})
}

func (c *Client) watch(ctx context.Context) {
	lost := make(chan error, 1)
	go func() { lost <- c.conn.Wait() }()
	select {
	case <-ctx.Done():
		c.closeWith(&ConnectionError{Host: c.r.Name, Op: "connection", Err: ctx.Err()})
	case err := <-lost:
		if err == nil {
			err = io.EOF
		}
		c.closeWith(&ConnectionError{Host: c.r.Name, Op: "connection", Err: err})
	case <-c.done:
	}
}

// keepalive sends keepalive@openssh.com every interval and declares the
// connection dead after max consecutive intervals without an answer.
func (c *Client) keepalive(interval time.Duration, max int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var pending chan error
	misses := 0
	for {
		select {
		case <-c.done:
			return
		case err := <-pending:
			pending = nil
			if err != nil {
				c.closeWith(&ConnectionError{Host: c.r.Name, Op: "keepalive", Err: err})
				return
			}
			misses = 0
		case <-t.C:
			if pending != nil {
				misses++
				if misses >= max {
					c.closeWith(&ConnectionError{Host: c.r.Name, Op: "keepalive",
						Err: fmt.Errorf("%d keepalives unanswered at %s intervals: %w", misses, interval, ErrTimeout)})
					return
				}
				continue
			}
			ch := make(chan error, 1)
			pending = ch
			go func() {
				_, _, err := c.conn.SendRequest("keepalive@openssh.com", true, nil)
				ch <- err
			}()
		}
	}
}

// alive probes the connection with a keepalive (bounded by wait).
func (c *Client) alive(wait time.Duration) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	ch := make(chan error, 1)
	go func() {
		_, _, err := c.conn.SendRequest("keepalive@openssh.com", true, nil)
		ch <- err
	}()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case err := <-ch:
		if err != nil {
			c.closeWith(&ConnectionError{Host: c.r.Name, Op: "connection", Err: err})
			return false
		}
		return true
	case <-c.done:
		return false
	case <-t.C:
		return false
	}
}

// acquire takes a channel slot.
func (c *Client) acquire(ctx context.Context) error {
	select {
	case <-c.done:
		return c.closedErr()
	default:
	}
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.done:
		return c.closedErr()
	}
}

func (c *Client) release() { <-c.sem }

func (c *Client) closedErr() error {
	if err := c.Err(); err != nil {
		return err
	}
	return ErrClosed
}
