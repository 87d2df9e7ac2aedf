package transport

import (
	"context"
	"io"
	"sync"
)

// Stream runs cmd on its own exec channel and returns its standard output
// as it arrives (a remote packet capture: tcpdump -U -w -). The command
// passes the allow-list gate like any other. Closing the stream, or
// cancelling ctx, closes the channel, which ends the remote command; the
// channel's slot is freed then. Standard error is discarded.
func (c *Client) Stream(ctx context.Context, cmd Command) (io.ReadCloser, error) {
	line, err := commandLine(cmd)
	if err != nil {
		return nil, err
	}
	if err := c.acquire(ctx); err != nil {
		return nil, err
	}
	sess, err := c.conn.NewSession()
	if err != nil {
		c.release()
		return nil, c.sessionErr("stream", line, err)
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		sess.Close()
		c.release()
		return nil, c.sessionErr("stream", line, err)
	}
	if err := sess.Start(line); err != nil {
		sess.Close()
		c.release()
		return nil, c.sessionErr("stream", line, err)
	}
	c.log.Debug("stream started", "command", line)
	s := &stream{r: out}
	s.close = func() {
		sess.Close()
		c.release()
	}
	stop := context.AfterFunc(ctx, func() { s.Close() })
	s.stop = stop
	return s, nil
}

type stream struct {
	r     io.Reader
	once  sync.Once
	close func()
	stop  func() bool
}

func (s *stream) Read(p []byte) (int, error) { return s.r.Read(p) }

func (s *stream) Close() error {
	s.once.Do(func() {
		if s.stop != nil {
			s.stop()
		}
		s.close()
	})
	return nil
}
