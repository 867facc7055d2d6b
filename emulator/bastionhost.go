package emulator

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Bastionhost CreateUser's documented rate limit: "up to 10 times per second
// per account".
const (
	bastionhostCalls = 10
	bastionhostPer   = time.Second
)

// Bastionhost CreateUser errors, as the seed lists them.
var errBastionhostUserExists = &apiError{400, "UserAlreadyExists", "The user already exists."}

// errBastionhostInvalid is InvalidParameter ("The argument is invalid.")
// naming the parameter at fault.
func errBastionhostInvalid(name string) *apiError {
	return &apiError{400, "InvalidParameter", "The argument is invalid. " + name + " is invalid."}
}

// errBastionhostFull answers a create in an instance holding
// Options.BastionhostUserQuota users: the seed documents no quota, so the
// emulator answers its client-side code, InvalidParameter, naming the
// instance. The specs record no ambiguity for it and the suite would call
// it a finding: the default quota is a bound on memory that the
// documented 10 calls a second per account take hours to reach.
func errBastionhostFull(quota int) *apiError {
	return &apiError{400, "InvalidParameter", fmt.Sprintf("The argument is invalid. InstanceId holds its maximum of %d users.", quota)}
}

// bastionhostUserName: "1 to 128 characters in length and can contain only
// letters, digits, and underscores (_)".
var bastionhostUserName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// bastionhostSources are Source's valid values, matched case-insensitively
// (the seed's own example is "local").
var bastionhostSources = []string{"Local", "Ram", "AD", "LDAP"}

// bastionhostCountryCodes are MobileCountryCode's valid values.
var bastionhostCountryCodes = []string{
	"CN", "HK", "MO", "TW", "RU", "SG", "MY", "ID", "DE", "AU",
	"US", "AE", "JP", "GB", "IN", "KR", "PH", "CH", "SE", "SA",
}

// bastionhostSource returns Source in its documented spelling, "" when it
// is none of the valid values.
func bastionhostSource(r *request) string {
	for _, s := range bastionhostSources {
		if strings.EqualFold(r.param("Source"), s) {
			return s
		}
	}
	return ""
}

// twoFactorMethods parses TwoFactorMethods, a string holding a JSON array
// of strings. ok is false when the value is sent and is not such an array.
func twoFactorMethods(r *request) (methods []string, ok bool) {
	v := r.param("TwoFactorMethods")
	if v == "" {
		return nil, true
	}
	return methods, json.Unmarshal([]byte(v), &methods) == nil && methods != nil
}

// twoFactorEnabledWith reports whether TwoFactorStatus is Enable and
// TwoFactorMethods names one of methods. With Global the emulator's global
// setting applies, which names no method, so nothing more is required.
func twoFactorEnabledWith(r *request, methods ...string) bool {
	sent, _ := twoFactorMethods(r)
	if r.param("TwoFactorStatus") != "Enable" {
		return false
	}
	for _, m := range sent {
		if oneOf(m, methods...) {
			return true
		}
	}
	return false
}

// invalidUnless returns InvalidParameter naming name unless ok holds.
func invalidUnless(ok bool, name string) *apiError {
	return breaks(!ok, errBastionhostInvalid(name))
}

// optional returns a rule check that passes when the parameter is not sent
// and otherwise requires valid(value), InvalidParameter naming it if not.
func optional(name string, valid func(string) bool) func(r *request) *apiError {
	return func(r *request) *apiError {
		v := r.param(name)
		return invalidUnless(v == "" || valid(v), name)
	}
}

// enum returns a validity test: the value is one of values, exactly.
func enum(values ...string) func(string) bool {
	return func(v string) bool { return oneOf(v, values...) }
}

// maxRunes returns a validity test: at most max characters.
func maxRunes(max int) func(string) bool {
	return func(v string) bool { return !tooLong(v, max) }
}

// requiredWhen returns a conditional requirement: when cond holds, name
// must be sent.
func requiredWhen(name string, cond func(r *request) bool) func(r *request) *apiError {
	return func(r *request) *apiError {
		return invalidUnless(!cond(r) || r.param(name) != "", name)
	}
}

// bastionhostRules are Bastionhost CreateUser's rules in document order;
// the first broken one answers. The instance's existence is state, checked
// after them.
var bastionhostRules = []rule{
	{"bastionhost.InstanceId.required", func(r *request) *apiError {
		return breaks(r.param("InstanceId") == "", errMissing("InstanceId"))
	}},
	{"bastionhost.Source.required", func(r *request) *apiError {
		return breaks(r.param("Source") == "", errMissing("Source"))
	}},
	{"bastionhost.Source.enum", func(r *request) *apiError {
		return invalidUnless(bastionhostSource(r) != "", "Source")
	}},
	{"bastionhost.UserName.required", func(r *request) *apiError {
		return breaks(r.param("UserName") == "", errMissing("UserName"))
	}},
	{"bastionhost.UserName.max-length", optional("UserName", maxRunes(128))},
	{"bastionhost.UserName.pattern", optional("UserName", bastionhostUserName.MatchString)},
	{"bastionhost.Password.conditional-required", requiredWhen("Password", func(r *request) bool {
		return bastionhostSource(r) == "Local"
	})},
	{"bastionhost.Password.min-length", optional("Password", func(v string) bool { return !tooShort(v, 8) })},
	{"bastionhost.Password.max-length", optional("Password", maxRunes(128))},
	{"bastionhost.Password.complexity", func(r *request) *apiError {
		v := r.param("Password")
		classes, _ := passwordClasses(v, r.foldCase)
		return invalidUnless(v == "" || countClasses(classes) == 4, "Password")
	}},
	{"bastionhost.DisplayName.max-length", optional("DisplayName", maxRunes(128))},
	{"bastionhost.Comment.max-length", optional("Comment", maxRunes(500))},
	{"bastionhost.Email.format", optional("Email", emailAddress.MatchString)},
	{"bastionhost.Email.conditional-required", requiredWhen("Email", func(r *request) bool {
		return twoFactorEnabledWith(r, "email")
	})},
	{"bastionhost.Mobile.conditional-required", requiredWhen("Mobile", func(r *request) bool {
		return twoFactorEnabledWith(r, "sms", "dingtalk")
	})},
	{"bastionhost.SourceUserId.conditional-required", requiredWhen("SourceUserId", func(r *request) bool {
		return oneOf(bastionhostSource(r), "Ram", "AD", "LDAP")
	})},
	{"bastionhost.MobileCountryCode.enum", optional("MobileCountryCode", enum(bastionhostCountryCodes...))},
	{"bastionhost.EffectiveStartTime.type", optional("EffectiveStartTime", isInt64)},
	{"bastionhost.EffectiveEndTime.type", optional("EffectiveEndTime", isInt64)},
	{"bastionhost.NeedResetPassword.type", optional("NeedResetPassword", enum("true", "false"))},
	{"bastionhost.TwoFactorStatus.enum", optional("TwoFactorStatus", enum("Global", "Disable", "Enable"))},
	{"bastionhost.TwoFactorMethods.type", func(r *request) *apiError {
		_, ok := twoFactorMethods(r)
		return invalidUnless(ok, "TwoFactorMethods")
	}},
	{"bastionhost.TwoFactorMethods.enum", func(r *request) *apiError {
		methods, _ := twoFactorMethods(r)
		for _, m := range methods {
			if !oneOf(m, "sms", "email", "dingtalk", "totp") {
				return errBastionhostInvalid("TwoFactorMethods")
			}
		}
		return nil
	}},
	{"bastionhost.TwoFactorMethods.max-items", func(r *request) *apiError {
		methods, _ := twoFactorMethods(r)
		return invalidUnless(len(methods) <= 1, "TwoFactorMethods")
	}},
	{"bastionhost.TwoFactorMethods.conditional-required", func(r *request) *apiError {
		methods, _ := twoFactorMethods(r)
		return invalidUnless(r.param("TwoFactorStatus") != "Enable" || len(methods) == 1, "TwoFactorMethods")
	}},
	{"bastionhost.LanguageStatus.enum", optional("LanguageStatus", enum("Global", "Custom"))},
	{"bastionhost.Language.enum", optional("Language", enum("zh-cn", "en"))},
	{"bastionhost.Language.conditional-required", requiredWhen("Language", func(r *request) bool {
		return r.param("LanguageStatus") == "Custom"
	})},
}

// bastionhostResponse is Bastionhost CreateUser's success body.
type bastionhostResponse struct {
	XMLName   xml.Name `json:"-" xml:"CreateUserResponse"`
	UserID    string   `json:"UserId" xml:"UserId"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
}

// createBastionhostUser is Bastionhost CreateUser: the account's rate limit
// first (every call that is not throttled counts), then the rules, then the
// instance's state (it exists, the name is new in it, it is not full).
func (e *Emulator) createBastionhostUser(acct *account, req *request, requestID string) (any, *apiError) {
	if !e.allowBastionhostCall(acct) {
		return nil, e.throttled()
	}
	if err := e.firstBroken(bastionhostRules, req); err != nil {
		return nil, err
	}
	acct.mu.Lock()
	defer acct.mu.Unlock()
	instance, exists := acct.bastions[req.param("InstanceId")]
	if !exists {
		return nil, errBastionhostInvalid("InstanceId")
	}
	name := e.keys.key(req.param("UserName"))
	if e.bastionhostNameTaken(acct, instance, name) && !e.faults.has(FaultBastionhostDuplicateAllowed) {
		return nil, errBastionhostUserExists
	}
	if len(instance.users) >= e.opts.BastionhostUserQuota {
		return nil, errBastionhostFull(e.opts.BastionhostUserQuota)
	}
	instance.users.add(name)
	instance.lastID++
	return &bastionhostResponse{UserID: strconv.FormatInt(instance.lastID, 10), RequestID: requestID}, nil
}

// bastionhostNameTaken reports whether the name whose key is name is a
// user of the instance, or under FaultBastionhostUniquePerAccount of any of
// the account's instances. The caller holds acct.mu.
func (e *Emulator) bastionhostNameTaken(acct *account, instance *bastionhost, name uint64) bool {
	if !e.faults.has(FaultBastionhostUniquePerAccount) {
		return instance.users.has(name)
	}
	for _, b := range acct.bastions {
		if b.users.has(name) {
			return true
		}
	}
	return false
}

// allowBastionhostCall reports whether the account's call window admits a
// call now, and counts it if so. FaultBastionhostNoThrottle admits every
// call; FaultThrottleShared uses one window for every account;
// FaultThrottleHalfRate admits half the documented calls;
// FaultThrottleSticky refuses every call once one was refused.
func (e *Emulator) allowBastionhostCall(acct *account) bool {
	if e.faults.has(FaultBastionhostNoThrottle) {
		return true
	}
	if e.faults.has(FaultThrottleShared) {
		acct = e.shared
	}
	limit := bastionhostCalls
	if e.faults.has(FaultThrottleHalfRate) {
		limit /= 2
	}
	acct.mu.Lock()
	defer acct.mu.Unlock()
	if acct.stuck {
		return false
	}
	allowed := acct.bastionRL.allow(e.now(), limit, bastionhostPer)
	acct.stuck = !allowed && e.faults.has(FaultThrottleSticky)
	return allowed
}

// throttled is the answer to a throttled call: 400 Throttling.User, or
// HTTP 429 under FaultThrottle429.
func (e *Emulator) throttled() *apiError {
	if e.faults.has(FaultThrottle429) {
		err := *errThrottlingUser
		err.Status = 429
		return &err
	}
	return errThrottlingUser
}
