package emulator

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxEDSUsers bounds a CreateUsers batch (the seed states no bound; the
// emulator's reading refuses absurd batches with a 400).
const maxEDSUsers = 100

// edsEndUserID: "can contain lowercase letters, digits, and underscores (_)".
var edsEndUserID = regexp.MustCompile(`^[a-z0-9_]+$`)

// errEDSInternal is the seed's only error code, INTERNAL_ERROR ("Internal
// error."), naming the parameter at fault.
func errEDSInternal(name string) *apiError {
	return &apiError{400, "INTERNAL_ERROR", "Internal error. " + name + " is invalid."}
}

// errEDSFull answers a batch that would take the account past
// Options.EDSUserQuota: the seed documents no quota, and INTERNAL_ERROR is
// its only error code (the emulator's reading; specs/eds-user.yaml records
// the ambiguity).
func errEDSFull(quota int) *apiError {
	return &apiError{400, "INTERNAL_ERROR", fmt.Sprintf("Internal error. The account holds its maximum of %d users.", quota)}
}

// newEDSUsers counts the distinct EndUserIds, given as keys, of users the
// account does not hold yet. The caller holds acct.mu.
func newEDSUsers(acct *account, keys []uint64) int {
	fresh := make(keySet, len(keys))
	for _, k := range keys {
		if !acct.edsUsers.has(k) {
			fresh.add(k)
		}
	}
	return len(fresh)
}

// edsUser is one element of Users, by field name.
type edsUser map[string]string

// edsUsers decodes the flattened Users.N.Field parameters, 1-based and
// without gaps. A key that breaks the flattening is the parameter at fault.
func edsUsers(req *request) ([]edsUser, *apiError) {
	var users []edsUser
	for _, p := range req.pairs() {
		rest, isUsers := strings.CutPrefix(p.key, "Users.")
		if !isUsers {
			if p.key == "Users" {
				return nil, errEDSInternal("Users")
			}
			continue
		}
		index, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(index)
		if err != nil || n < 1 || n > maxEDSUsers || strconv.Itoa(n) != index {
			return nil, errEDSInternal(p.key)
		}
		for len(users) < n {
			users = append(users, nil)
		}
		if users[n-1] == nil {
			users[n-1] = edsUser{}
		}
		if _, seen := users[n-1][field]; !seen {
			users[n-1][field] = p.value
		}
	}
	for i, u := range users {
		if u == nil {
			return nil, errEDSInternal(fmt.Sprintf("Users.%d", i+1))
		}
	}
	return users, nil
}

// edsUserRules are the rules of one element of Users, in document order:
// each names the field it checks and its validity test.
var edsUserRules = []struct {
	name, field string
	valid       func(r *request, v string) bool
}{
	{"eds-user.Users[].EndUserId.required", "EndUserId", func(_ *request, v string) bool { return v != "" }},
	{"eds-user.Users[].EndUserId.min-length", "EndUserId", func(_ *request, v string) bool { return !tooShort(v, 3) }},
	{"eds-user.Users[].EndUserId.max-length", "EndUserId", func(_ *request, v string) bool { return !tooLong(v, 24) }},
	{"eds-user.Users[].EndUserId.pattern", "EndUserId", func(r *request, v string) bool { return edsEndUserID.MatchString(r.folded(v)) }},
	{"eds-user.Users[].Email.format", "Email", func(_ *request, v string) bool { return v == "" || emailAddress.MatchString(v) }},
	{"eds-user.Users[].Password.min-length", "Password", func(_ *request, v string) bool { return v == "" || !tooShort(v, 10) }},
	{"eds-user.Users[].Password.complexity", "Password", func(r *request, v string) bool { return v == "" || edsPasswordComplex(r, v) }},
}

// edsPasswordComplex: "contain at least three of the following character
// types: uppercase letters, lowercase letters, digits, and special
// characters (excluding spaces)", read as: no spaces at all.
func edsPasswordComplex(r *request, v string) bool {
	classes, hasSpace := passwordClasses(v, r.foldCase)
	return !hasSpace && countClasses(classes) >= 3
}

// edsRequestRules are the rules of the top-level parameters after Users, in
// document order. The top-level Password follows the per-user password
// rules (the emulator's reading).
var edsRequestRules = []rule{
	{"eds-user.Password.min-length", func(r *request) *apiError {
		v := r.param("Password")
		return breaks(v != "" && tooShort(v, 10), errEDSInternal("Password"))
	}},
	{"eds-user.Password.complexity", func(r *request) *apiError {
		v := r.param("Password")
		return breaks(v != "" && !edsPasswordComplex(r, v), errEDSInternal("Password"))
	}},
	{"eds-user.AutoLockTime.format", func(r *request) *apiError {
		v := r.param("AutoLockTime")
		_, err := time.Parse(time.DateOnly, v)
		return breaks(v != "" && err != nil, errEDSInternal("AutoLockTime"))
	}},
}

// validateEDSUsers applies the per-user rules, user by user, then the
// top-level ones.
// A rule switched off by a fault of its name is skipped.
func (e *Emulator) validateEDSUsers(users []edsUser, req *request) *apiError {
	for i, u := range users {
		for _, r := range edsUserRules {
			if !e.faults.has(r.name) && !r.valid(req, u[r.field]) {
				return errEDSInternal(fmt.Sprintf("Users.%d.%s", i+1, r.field))
			}
		}
	}
	return e.firstBroken(edsRequestRules, req)
}

// edsCreatedUser is one element of CreateResult.CreatedUsers.
type edsCreatedUser struct {
	EndUserID    string `json:"EndUserId" xml:"EndUserId"`
	Email        string `json:"Email,omitempty" xml:"Email,omitempty"`
	Phone        string `json:"Phone,omitempty" xml:"Phone,omitempty"`
	Remark       string `json:"Remark,omitempty" xml:"Remark,omitempty"`
	RealNickName string `json:"RealNickName,omitempty" xml:"RealNickName,omitempty"`
}

// edsFailedUser is one element of CreateResult.FailedUsers.
type edsFailedUser struct {
	EndUserID    string `json:"EndUserId" xml:"EndUserId"`
	Email        string `json:"Email,omitempty" xml:"Email,omitempty"`
	Phone        string `json:"Phone,omitempty" xml:"Phone,omitempty"`
	ErrorCode    string `json:"ErrorCode" xml:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage" xml:"ErrorMessage"`
}

// edsCreateResult is CreateResult: both lists, empty rather than absent.
type edsCreateResult struct {
	CreatedUsers []edsCreatedUser `json:"CreatedUsers" xml:"CreatedUsers"`
	FailedUsers  []edsFailedUser  `json:"FailedUsers" xml:"FailedUsers"`
}

// edsResponse is CreateUsers' success body.
type edsResponse struct {
	XMLName      xml.Name        `json:"-" xml:"CreateUsersResponse"`
	RequestID    string          `json:"RequestId" xml:"RequestId"`
	CreateResult edsCreateResult `json:"CreateResult" xml:"CreateResult"`
}

// createEDSUsers is eds-user CreateUsers: every user valid or the whole
// request is refused; so is a batch whose new users would take the account
// past its quota; then each new EndUserId is created and each one that
// exists in the account, or repeats an earlier one of the batch, fails with
// ExistedEndUserId.
func (e *Emulator) createEDSUsers(acct *account, req *request, requestID string) (any, *apiError) {
	users, err := edsUsers(req)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, errMissing("Users")
	}
	if err := e.validateEDSUsers(users, req); err != nil {
		return nil, err
	}
	result := edsCreateResult{CreatedUsers: []edsCreatedUser{}, FailedUsers: []edsFailedUser{}}
	keys := make([]uint64, len(users))
	for i, u := range users {
		keys[i] = e.keys.key(u["EndUserId"])
	}
	acct.mu.Lock()
	defer acct.mu.Unlock()
	if len(acct.edsUsers)+newEDSUsers(acct, keys) > e.opts.EDSUserQuota {
		return nil, errEDSFull(e.opts.EDSUserQuota)
	}
	for i, u := range users {
		id := u["EndUserId"]
		if acct.edsUsers.has(keys[i]) && !e.faults.has(FaultEDSDuplicateCreated) {
			result.FailedUsers = append(result.FailedUsers, edsFailedUser{
				EndUserID: id, Email: u["Email"], Phone: u["Phone"],
				ErrorCode: "ExistedEndUserId", ErrorMessage: "The username " + id + " is used by another user.",
			})
			continue
		}
		acct.edsUsers.add(keys[i])
		result.CreatedUsers = append(result.CreatedUsers, edsCreatedUser{
			EndUserID: id, Email: u["Email"], Phone: u["Phone"], Remark: u["Remark"], RealNickName: u["RealNickName"],
		})
	}
	if e.faults.has(FaultEDSVanishedUser) && len(result.CreatedUsers) > 0 {
		result.CreatedUsers = result.CreatedUsers[:len(result.CreatedUsers)-1]
	}
	return &edsResponse{RequestID: requestID, CreateResult: result}, nil
}
