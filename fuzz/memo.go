package fuzz

import "sync"

// memo holds values computed once per key from what never changes (the
// model's operations and parameters, their patterns, sizes drawn from
// them), safe for concurrent use. Two callers may compute a missing value
// at once and either result is kept, so compute must be deterministic and
// its result never changed by callers.
type memo[K comparable, V any] struct{ m sync.Map }

// get returns the value of k, computing it on first use.
func (c *memo[K, V]) get(k K, compute func(K) V) V {
	if v, ok := c.m.Load(k); ok {
		return v.(V)
	}
	v := compute(k)
	c.m.Store(k, v)
	return v
}
