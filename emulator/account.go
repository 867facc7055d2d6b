package emulator

import (
	"sync"
	"time"
)

// account is the state of one AccessKeyId: its RAM users, its eds-user
// users, its bastion hosts' users and its Bastionhost call window. One
// mutex guards it all, so concurrent creates of one name have one winner.
// Users are remembered as the keys of their names (keyer) and nothing
// else: a create's answer is built from its request, and uniqueness and
// the quotas need only the names; an account costs about 20 bytes a user.
type account struct {
	mu       sync.Mutex
	ramUsers keySet // keys of UserNames
	ramIDs   keySet // UserIds handed out (the numbers themselves)
	edsUsers keySet // keys of EndUserIds
	bastions map[string]*bastionhost
	// bastionRL is the Bastionhost call window.
	bastionRL callWindow
	// stuck is FaultThrottleSticky's memory: the account was throttled.
	stuck bool
}

// bastionhost is one bastion host instance: the keys of its users' names
// and the last UserId handed out.
type bastionhost struct {
	users  keySet
	lastID int64
}

// newAccount returns an empty account holding the given bastion hosts.
func newAccount(instances []string) *account {
	a := &account{
		ramUsers: keySet{},
		ramIDs:   keySet{},
		edsUsers: keySet{},
		bastions: make(map[string]*bastionhost, len(instances)),
	}
	for _, id := range instances {
		a.bastions[id] = &bastionhost{users: keySet{}}
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
