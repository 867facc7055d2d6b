package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/runner"
)

// parseAccounts reads --account values, "AK:SECRET" each; an AccessKeyId
// given twice is an error.
func parseAccounts(values []string) ([]runner.Account, error) {
	var out []runner.Account
	seen := map[string]bool{}
	for _, v := range values {
		id, secret, ok := strings.Cut(v, ":")
		if !ok || id == "" || secret == "" {
			return nil, errors.New("--account: want AK:SECRET")
		}
		if seen[id] {
			return nil, fmt.Errorf("--account: AccessKeyId %s given twice", id)
		}
		seen[id] = true
		out = append(out, runner.Account{AccessKeyID: id, AccessKeySecret: secret})
	}
	return out, nil
}
