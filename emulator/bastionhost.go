package emulator

import (
	"encoding/json"
	"encoding/xml"
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

// twoFactorMethods parses TwoFactorMethods, a JSON array string holding
// exactly one of sms, email, dingtalk, totp. ok is false when the value is
// sent and is not that.
func twoFactorMethods(r *request) (method string, ok bool) {
	v := r.param("TwoFactorMethods")
	if v == "" {
		return "", true
	}
	var methods []string
	if json.Unmarshal([]byte(v), &methods) != nil || len(methods) != 1 ||
		!oneOf(methods[0], "sms", "email", "dingtalk", "totp") {
		return "", false
	}
	return methods[0], true
}

// twoFactorEnabledWith reports whether TwoFactorStatus is Enable with one
// of methods. With Global the emulator's global setting applies, which is
// two-factor authentication disabled.
func twoFactorEnabledWith(r *request, methods ...string) bool {
	m, _ := twoFactorMethods(r)
	return r.param("TwoFactorStatus") == "Enable" && oneOf(m, methods...)
}

// invalidUnless returns InvalidParameter naming name unless ok holds.
func invalidUnless(ok bool, name string) *apiError {
	return breaks(!ok, errBastionhostInvalid(name))
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
	{"bastionhost.UserName.pattern", func(r *request) *apiError {
		return invalidUnless(bastionhostUserName.MatchString(r.param("UserName")), "UserName")
	}},
	{"bastionhost.UserName.max-length", func(r *request) *apiError {
		return invalidUnless(!tooLong(r.param("UserName"), 128), "UserName")
	}},
	{"bastionhost.Password.conditional-required", func(r *request) *apiError {
		return invalidUnless(bastionhostSource(r) != "Local" || r.param("Password") != "", "Password")
	}},
	{"bastionhost.Password.length", func(r *request) *apiError {
		v := r.param("Password")
		return invalidUnless(v == "" || !lengthOutside(v, 8, 128), "Password")
	}},
	{"bastionhost.Password.complexity", func(r *request) *apiError {
		classes, _ := passwordClasses(r.param("Password"))
		return invalidUnless(r.param("Password") == "" || countClasses(classes) == 4, "Password")
	}},
	{"bastionhost.DisplayName.max-length", func(r *request) *apiError {
		return invalidUnless(!tooLong(r.param("DisplayName"), 128), "DisplayName")
	}},
	{"bastionhost.Comment.max-length", func(r *request) *apiError {
		return invalidUnless(!tooLong(r.param("Comment"), 500), "Comment")
	}},
	{"bastionhost.Email.conditional-required", func(r *request) *apiError {
		return invalidUnless(r.param("Email") != "" || !twoFactorEnabledWith(r, "email"), "Email")
	}},
	{"bastionhost.Mobile.conditional-required", func(r *request) *apiError {
		return invalidUnless(r.param("Mobile") != "" || !twoFactorEnabledWith(r, "sms", "dingtalk"), "Mobile")
	}},
	{"bastionhost.SourceUserId.conditional-required", func(r *request) *apiError {
		needed := oneOf(bastionhostSource(r), "Ram", "AD", "LDAP")
		return invalidUnless(!needed || r.param("SourceUserId") != "", "SourceUserId")
	}},
	{"bastionhost.MobileCountryCode.enum", func(r *request) *apiError {
		v := r.param("MobileCountryCode")
		return invalidUnless(v == "" || oneOf(v, bastionhostCountryCodes...), "MobileCountryCode")
	}},
	{"bastionhost.EffectiveStartTime.type", func(r *request) *apiError {
		v := r.param("EffectiveStartTime")
		return invalidUnless(v == "" || decimalInteger.MatchString(v), "EffectiveStartTime")
	}},
	{"bastionhost.EffectiveEndTime.type", func(r *request) *apiError {
		v := r.param("EffectiveEndTime")
		return invalidUnless(v == "" || decimalInteger.MatchString(v), "EffectiveEndTime")
	}},
	{"bastionhost.NeedResetPassword.type", func(r *request) *apiError {
		v := r.param("NeedResetPassword")
		return invalidUnless(v == "" || oneOf(v, "true", "false"), "NeedResetPassword")
	}},
	{"bastionhost.TwoFactorStatus.enum", func(r *request) *apiError {
		v := r.param("TwoFactorStatus")
		return invalidUnless(v == "" || oneOf(v, "Global", "Disable", "Enable"), "TwoFactorStatus")
	}},
	{"bastionhost.TwoFactorMethods.enum", func(r *request) *apiError {
		_, ok := twoFactorMethods(r)
		return invalidUnless(ok, "TwoFactorMethods")
	}},
	{"bastionhost.TwoFactorMethods.conditional-required", func(r *request) *apiError {
		enabled := r.param("TwoFactorStatus") == "Enable"
		return invalidUnless(!enabled || r.param("TwoFactorMethods") != "", "TwoFactorMethods")
	}},
	{"bastionhost.LanguageStatus.enum", func(r *request) *apiError {
		v := r.param("LanguageStatus")
		return invalidUnless(v == "" || oneOf(v, "Global", "Custom"), "LanguageStatus")
	}},
	{"bastionhost.Language.enum", func(r *request) *apiError {
		v := r.param("Language")
		return invalidUnless(v == "" || oneOf(v, "zh-cn", "en"), "Language")
	}},
	{"bastionhost.Language.conditional-required", func(r *request) *apiError {
		custom := r.param("LanguageStatus") == "Custom"
		return invalidUnless(!custom || r.param("Language") != "", "Language")
	}},
}

// bastionhostResponse is Bastionhost CreateUser's success body.
type bastionhostResponse struct {
	XMLName   xml.Name `json:"-" xml:"CreateUserResponse"`
	UserID    string   `json:"UserId" xml:"UserId"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
}

// createBastionhostUser is Bastionhost CreateUser: the account's rate limit
// first (every call that is not throttled counts), then the rules, then the
// instance's state (it exists, the name is new in it).
func (e *Emulator) createBastionhostUser(acct *account, req *request, requestID string) (any, *apiError) {
	acct.mu.Lock()
	allowed := acct.bastionRL.allow(e.now(), bastionhostCalls, bastionhostPer)
	acct.mu.Unlock()
	if !allowed {
		return nil, errThrottlingUser
	}
	if err := firstBroken(bastionhostRules, req); err != nil {
		return nil, err
	}
	acct.mu.Lock()
	defer acct.mu.Unlock()
	instance, exists := acct.bastions[req.param("InstanceId")]
	if !exists {
		return nil, errBastionhostInvalid("InstanceId")
	}
	name := req.param("UserName")
	if instance.users[name] {
		return nil, errBastionhostUserExists
	}
	instance.users[name] = true
	instance.lastID++
	return &bastionhostResponse{UserID: strconv.FormatInt(instance.lastID, 10), RequestID: requestID}, nil
}
