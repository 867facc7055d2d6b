package emulator

import (
	"sync"
	"time"
)

// account is the state of one AccessKeyId: its RAM users, its eds-user
// users, its bastion hosts' users and its Bastionhost call window. One
// mutex guards it all, so concurrent creates of one name have one winner.
type account struct {
	mu        sync.Mutex
	ramUsers  map[string]*ramUser
	ramIDs    map[string]bool
	edsUsers  map[string]bool
	bastions  map[string]*bastionhost
	bastionRL callWindow
	// stuck is FaultThrottleSticky's memory: the account was throttled.
	stuck bool
}

// bastionhost is one bastion host instance: its users by name and the last
// UserId handed out.
type bastionhost struct {
	users  map[string]bool
	lastID int64
}

// newAccount returns an empty account holding the given bastion hosts.
func newAccount(instances []string) *account {
	a := &account{
		ramUsers: make(map[string]*ramUser),
		ramIDs:   make(map[string]bool),
		edsUsers: make(map[string]bool),
		bastions: make(map[string]*bastionhost, len(instances)),
	}
	for _, id := range instances {
		a.bastions[id] = &bastionhost{users: make(map[string]bool)}
	}
	return a
}

// callWindow is a sliding-window rate limiter: it remembers the times of
// the last calls it allowed, at most limit of them.
type callWindow struct {
	times []time.Time // ring buffer of allowed calls
	next  int
}

// allow reports whether a call at now keeps at most limit allowed calls in
// any window of length per, and records it if so. Refused calls are not
// recorded.
func (w *callWindow) allow(now time.Time, limit int, per time.Duration) bool {
	if len(w.times) < limit {
		w.times = append(w.times, now)
		return true
	}
	if now.Sub(w.times[w.next]) < per {
		return false
	}
	w.times[w.next] = now
	w.next = (w.next + 1) % limit
	return true
}
