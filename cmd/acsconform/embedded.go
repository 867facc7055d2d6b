package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// Embedded emulator settings.
const (
	// embeddedAccounts is how many accounts startEmbedded creates: a second
	// enables the cross-account checks, and the rest spread the paced
	// traffic of rate-limited operations (paced per account) so that a
	// default run takes seconds, not minutes.
	embeddedAccounts = 64
	// embeddedRAMUserQuota is the RAM user quota the embedded emulator is
	// given and declares, small so that the quota check is quick.
	embeddedRAMUserQuota = 50
	// embeddedEDSUserQuota is how many eds-user users each account of the
	// embedded emulator holds before it refuses new ones (400
	// INTERNAL_ERROR, its reading of eds-user.account-user-limit, which
	// the suite reports as a warning): a bound on memory (64 accounts of
	// 2000 users, about 20 bytes each) that a long campaign reaches.
	embeddedEDSUserQuota = 2000
)

// embeddedTarget is the running reference emulator as the suite sees it:
// the transport target and what it declares.
type embeddedTarget struct {
	target   runner.Target
	declared specs.Declarations
}

// startEmbedded starts the reference emulator on 127.0.0.1 (a free port)
// with embeddedAccounts freshly generated accounts, whose secrets are
// random per run and never printed, and the named fault injections
// (emulator.Faults lists them; an unknown name is an error). It returns the
// target (signatures checked) with its declarations: its Bastionhost
// instances and its RAM user quota. stop shuts it down (also done when ctx
// ends); it may be called more than once.
func startEmbedded(ctx context.Context, faults []string) (t embeddedTarget, stop func() error, err error) {
	accounts := make([]runner.Account, embeddedAccounts)
	for i := range accounts {
		accounts[i] = runner.Account{AccessKeyID: "LTAIacs" + randomText(8, hex.EncodeToString), AccessKeySecret: randomText(24, base64.RawURLEncoding.EncodeToString)}
	}
	return startEmbeddedWith(ctx, faults, accounts)
}

// startEmbeddedWith is startEmbedded with the accounts the emulator
// accepts given (acsconform proxy --account).
func startEmbeddedWith(ctx context.Context, faults []string, accounts []runner.Account) (t embeddedTarget, stop func() error, err error) {
	secrets := make(map[string]string, len(accounts))
	for _, a := range accounts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	srv, err := emulator.Start(emulator.Options{Accounts: secrets, RAMUserQuota: embeddedRAMUserQuota, EDSUserQuota: embeddedEDSUserQuota, Faults: faults})
	if err != nil {
		return t, nil, fmt.Errorf("starting the embedded emulator: %w", err)
	}
	stopped := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			srv.Close()
		case <-stopped:
		}
	}()
	var once sync.Once
	stop = func() error {
		once.Do(func() { close(stopped) })
		return srv.Close()
	}
	t.target = runner.Target{URL: srv.URL(), Accounts: accounts, ChecksSignatures: true}
	t.declared.Declare(specs.RuleExists, srv.Emulator.BastionhostInstances()...)
	t.declared.SetLimit(specs.RuleQuota, embeddedRAMUserQuota)
	return t, stop, nil
}

// randomText is n random bytes written by encode.
func randomText(n int, encode func([]byte) string) string {
	b := make([]byte, n)
	rand.Read(b)
	return encode(b)
}
