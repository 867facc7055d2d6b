package runner

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/acsconform/acsconform/emulator"
)

// Embedded emulator settings.
const (
	// EmbeddedAccounts is how many accounts StartEmbedded creates: a second
	// enables the cross-account checks, and the rest spread the paced
	// traffic of rate-limited operations (paced per account) so that a
	// default run takes seconds, not minutes.
	EmbeddedAccounts = 16
	// EmbeddedRAMUserQuota is the RAM user quota the embedded emulator is
	// given and declares, small so that the quota check is quick.
	EmbeddedRAMUserQuota = 50
)

// StartEmbedded starts the reference emulator on 127.0.0.1 (a free port)
// with EmbeddedAccounts freshly generated accounts, whose secrets are
// random per run and never printed, and returns the Target describing it:
// signatures checked, its default Bastionhost instance and its RAM user
// quota declared. stop shuts it down (also done when ctx ends); it may be
// called more than once.
func StartEmbedded(ctx context.Context) (t Target, stop func() error, err error) {
	return StartEmbeddedWith(ctx, nil)
}

// StartEmbeddedWith is StartEmbedded with the named emulator fault
// injections switched on (emulator.Faults lists them), for proving the
// suite; an unknown name is an error.
func StartEmbeddedWith(ctx context.Context, faults []string) (t Target, stop func() error, err error) {
	accounts := make([]Account, EmbeddedAccounts)
	secrets := make(map[string]string, len(accounts))
	for i := range accounts {
		accounts[i] = Account{AccessKeyID: "LTAIacs" + randomText(8, hex.EncodeToString), AccessKeySecret: randomText(24, base64.RawURLEncoding.EncodeToString)}
		secrets[accounts[i].AccessKeyID] = accounts[i].AccessKeySecret
	}
	srv, err := emulator.Start(emulator.Options{Accounts: secrets, RAMUserQuota: EmbeddedRAMUserQuota, Faults: faults})
	if err != nil {
		return Target{}, nil, fmt.Errorf("runner: starting the embedded emulator: %w", err)
	}
	instances := srv.Emulator.BastionhostInstances()
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
	return Target{
		URL:                 srv.URL(),
		Accounts:            accounts,
		BastionhostInstance: instances[0],
		RAMUserQuota:        EmbeddedRAMUserQuota,
		ChecksSignatures:    true,
	}, stop, nil
}

// randomText is n random bytes written by encode.
func randomText(n int, encode func([]byte) string) string {
	b := make([]byte, n)
	rand.Read(b)
	return encode(b)
}
