package runner

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"
)

// TestMACCacheAsNew: an HMAC from the cache, reused across secrets, both
// algorithms and goroutines, gives what a newly keyed one gives.
func TestMACCacheAsNew(t *testing.T) {
	var macs macCache
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := macKey{v1: i%2 == 0, secret: fmt.Sprintf("secret-%d", (g+i)%3)}
				msg := []byte(fmt.Sprintf("message %d %d", g, i))
				want := hmac.New(sha256.New, []byte(k.secret))
				if k.v1 {
					want = hmac.New(sha1.New, []byte(k.secret+"&"))
				}
				want.Write(msg)
				mac := macs.get(k)
				mac.Write(msg)
				if got := mac.Sum(nil); !hmac.Equal(got, want.Sum(nil)) {
					t.Errorf("%+v: cached HMAC of %q differs", k, msg)
				}
				macs.put(k, mac)
			}
		}()
	}
	wg.Wait()
}
