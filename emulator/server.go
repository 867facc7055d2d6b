package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server timeouts and bounds.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 90 * time.Second
	maxHeaderBytes    = 1 << 20
	// shutdownGrace is how long Close waits for requests in flight.
	shutdownGrace = 5 * time.Second
)

// Server is an emulator listening on a TCP address.
type Server struct {
	// Emulator is the handler served.
	Emulator *Emulator
	http     *http.Server
	listener net.Listener
	done     chan error
	once     sync.Once
	closeErr error
}

// Start starts an emulator configured by opts on opts.Addr (127.0.0.1:0
// when empty) and serves it until Close.
func Start(opts Options) (*Server, error) { return start(opts, nil) }

// start is Start; tune, when set (tests), adjusts the emulator before it
// serves.
func start(opts Options, tune func(*Emulator)) (*Server, error) {
	if err := opts.Check(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	em := New(opts)
	if tune != nil {
		tune(em)
	}
	s := &Server{
		Emulator: em,
		listener: ln,
		done:     make(chan error, 1),
		http: &http.Server{
			Handler:           em,
			ReadHeaderTimeout: readHeaderTimeout,
			ReadTimeout:       readTimeout,
			WriteTimeout:      writeTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    maxHeaderBytes,
		},
	}
	go func() { s.done <- s.http.Serve(ln) }()
	return s, nil
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// Addr is the address listened on, 127.0.0.1:PORT.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Close shuts the server down gracefully: it stops accepting, ends the
// waits of the hang and trickle faults (Emulator.Shutdown), lets the
// requests in flight finish for up to five seconds, then closes. Calling
// it again returns the first call's result.
func (s *Server) Close() error {
	s.once.Do(func() { s.closeErr = s.shutdown() })
	return s.closeErr
}

// shutdown stops the server once.
func (s *Server) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	s.Emulator.Shutdown()
	err := s.http.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.http.Close())
	}
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}
