package emulator

import (
	"encoding/json"
	"encoding/xml"
	"math/rand/v2"
	"regexp"
	"strconv"
)

// RAM CreateUser errors, as the seed lists them.
var (
	errRAMUserNameChars    = &apiError{400, "InvalidParameter.UserName.InvalidChars", `The parameter - "UserName" contains invalid chars.`}
	errRAMUserNameLength   = &apiError{400, "InvalidParameter.UserName.Length", `The parameter - "UserName" beyond the length limit.`}
	errRAMDisplayNameChars = &apiError{400, "InvalidParameter.DisplayName.InvalidChars", `The parameter - "DisplayName" contains invalid chars.`}
	errRAMDisplayNameLen   = &apiError{400, "InvalidParameter.DisplayName.Length", `The parameter - "DisplayName" beyond the length limit.`}
	errRAMCommentsLength   = &apiError{400, "InvalidParameter.Comments.Length", `The parameter - "Comments" beyond the length limit.`}
	errRAMMobilePhone      = &apiError{400, "InvalidParameter.MobilePhone.Format", `The format of the parameter - "MobilePhone" is incorrect.`}
	errRAMEmail            = &apiError{400, "InvalidParameter.Email.Format", `The format of the parameter - "Email" is incorrect.`}
	errRAMUserExists       = &apiError{409, "EntityAlreadyExists.User", "The user does already EXIST."}
	errRAMUserLimit        = &apiError{409, "LimitExceeded.User", "The count of users beyond the current limits."}
)

// RAM formats, from the seed.
var (
	// ramUserName: "格式:^[a-zA-Z0-9\.@\-_]+$", "最多包含64个字符".
	ramUserName = regexp.MustCompile(`^[a-zA-Z0-9.@\-_]+$`)
	// ramDisplayName: "格式:^[a-zA-Z0-9\.@\-\u4e00-\u9fa5]+$", "最多包含12个字符或汉字".
	ramDisplayName = regexp.MustCompile(`^[a-zA-Z0-9.@\-\x{4e00}-\x{9fa5}]+$`)
	// ramMobilePhone: "国际区号-号码;例如:86-18600008888", read as digits,
	// a hyphen, digits.
	ramMobilePhone = regexp.MustCompile(`^[0-9]+-[0-9]+$`)
)

// ramRules are RAM CreateUser's rules in document order; the first broken
// one answers.
var ramRules = []rule{
	{"ram.UserName.required", func(r *request) *apiError {
		return breaks(r.param("UserName") == "", errMissing("UserName"))
	}},
	{"ram.UserName.pattern", func(r *request) *apiError {
		return breaks(!ramUserName.MatchString(r.param("UserName")), errRAMUserNameChars)
	}},
	{"ram.UserName.max-length", func(r *request) *apiError {
		return breaks(tooLong(r.param("UserName"), 64), errRAMUserNameLength)
	}},
	{"ram.DisplayName.pattern", func(r *request) *apiError {
		v := r.param("DisplayName")
		return breaks(v != "" && !ramDisplayName.MatchString(v), errRAMDisplayNameChars)
	}},
	{"ram.DisplayName.max-length", func(r *request) *apiError {
		return breaks(tooLong(r.param("DisplayName"), 12), errRAMDisplayNameLen)
	}},
	{"ram.MobilePhone.pattern", func(r *request) *apiError {
		v := r.param("MobilePhone")
		return breaks(v != "" && !ramMobilePhone.MatchString(v), errRAMMobilePhone)
	}},
	{"ram.Email.format", func(r *request) *apiError {
		v := r.param("Email")
		return breaks(v != "" && !emailAddress.MatchString(v), errRAMEmail)
	}},
	{"ram.Comments.max-length", func(r *request) *apiError {
		return breaks(tooLong(r.param("Comments"), 128), errRAMCommentsLength)
	}},
}

// breaks returns err when broken holds, nil otherwise.
func breaks(broken bool, err *apiError) *apiError {
	if broken {
		return err
	}
	return nil
}

// ramUser is a created RAM user, as the response shows it (built for the
// answer, not kept).
type ramUser struct {
	UserID      string `json:"UserId" xml:"UserId"`
	UserName    string `json:"UserName" xml:"UserName"`
	DisplayName string `json:"DisplayName,omitempty" xml:"DisplayName,omitempty"`
	MobilePhone string `json:"MobilePhone,omitempty" xml:"MobilePhone,omitempty"`
	Email       string `json:"Email,omitempty" xml:"Email,omitempty"`
	Comments    string `json:"Comments,omitempty" xml:"Comments,omitempty"`
	CreateDate  string `json:"CreateDate" xml:"CreateDate"`
}

// ramResponse is RAM CreateUser's success body.
type ramResponse struct {
	XMLName   xml.Name `json:"-" xml:"CreateUserResponse"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
	User      *ramUser `json:"User" xml:"User"`
}

// createRAMUser is RAM CreateUser: the rules, then the account's state
// (unique name, quota).
func (e *Emulator) createRAMUser(acct *account, req *request, requestID string) (any, *apiError) {
	if err := e.firstBroken(ramRules, req); err != nil {
		return nil, err
	}
	if e.faults.has(FaultServerErrorOnLongComment) && !tooShort(req.param("Comments"), 100) {
		return nil, errInternal
	}
	acct.mu.Lock()
	defer acct.mu.Unlock()
	name := req.param("UserName")
	key := e.keys.key(name)
	if acct.ramUsers.has(key) && !e.faults.has(FaultRAMDuplicateAllowed) {
		return nil, errRAMUserExists
	}
	if len(acct.ramUsers) >= e.opts.RAMUserQuota && !e.faults.has(FaultRAMQuotaIgnored) {
		return nil, errRAMUserLimit
	}
	u := &ramUser{
		UserID:      acct.newRAMUserID(),
		UserName:    name,
		DisplayName: req.param("DisplayName"),
		MobilePhone: req.param("MobilePhone"),
		Email:       req.param("Email"),
		Comments:    req.param("Comments"),
		CreateDate:  e.now().UTC().Format(timestampForm),
	}
	acct.ramUsers.add(key)
	if e.faults.has(FaultUserIDNumber) {
		return &ramNumberResponse{RequestID: requestID, User: ramNumberUser{u, json.Number(u.UserID)}}, nil
	}
	return &ramResponse{RequestID: requestID, User: u}, nil
}

// ramNumberUser is a ramUser whose UserId is a JSON number
// (FaultUserIDNumber): the outer field hides the embedded one.
type ramNumberUser struct {
	*ramUser
	UserID json.Number `json:"UserId" xml:"UserId"`
}

// ramNumberResponse is ramResponse under FaultUserIDNumber.
type ramNumberResponse struct {
	XMLName   xml.Name      `json:"-" xml:"CreateUserResponse"`
	RequestID string        `json:"RequestId" xml:"RequestId"`
	User      ramNumberUser `json:"User" xml:"User"`
}

// newRAMUserID returns a fresh 16-digit decimal UserId, unique in the
// account. The caller holds acct.mu.
func (acct *account) newRAMUserID() string {
	for {
		id := uint64(1_000_000_000_000_000 + rand.Int64N(9_000_000_000_000_000))
		if !acct.ramIDs.has(id) {
			acct.ramIDs.add(id)
			return strconv.FormatUint(id, 10)
		}
	}
}
