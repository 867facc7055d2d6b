package specs_test

import (
	"testing"
	"unicode"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// Facts of seeds/ecd-CreateUsers.txt.

// invalidUser is what the docs allow for a request with one invalid user
// (ambiguity eds-user.invalid-user-outcome).
var invalidUser = []string{"400 INTERNAL_ERROR", "4xx", "batch"}

func TestEDSParams(t *testing.T) {
	_, op := loadOp(t, "eds-user")
	assert.Check(t, is.Equal(op.Action, "CreateUsers"), "ecd:CreateUsers")
	assert.Check(t, is.Equal(op.Product, "eds-user"), "Elastic Desktop Service users (eds-user) (PROTOCOL.md)")
	assertParams(t, op, []paramFact{
		{path: "AutoLockTime", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain, format: "date",
			pattern: `^[0-9]{4}-?[0-9]{2}-?[0-9]{2}([T ][^\n]*)?$`,
			strict:  `^20[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$`,
			reason:  "AutoLockTime | string | No | The date on which the convenience users are automatically locked. | 2023-03-03 |"},
		{path: "Users", in: specs.InBody, kind: specs.KindArray, style: specs.StyleFlat, required: true,
			reason: "Users | array<object> | Yes | The information about the convenience user. | CreateUsers |"},
		{path: "Users[]", in: specs.InBody, kind: specs.KindObject, style: specs.StylePlain,
			reason: "object | Yes | Details of the convenience user."},
		{path: "Users[].EndUserId", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain, required: true,
			min: 3, max: 24, pattern: `^[a-z0-9_]+$`,
			reason: "EndUserId | string | Yes | The username of the convenience user. The name can contain lowercase letters, digits, and underscores (_), and must be 3 to 24 characters in length."},
		{path: "Users[].Email", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain, format: "email",
			pattern: `^[^@\t\n\f\r ]+@[^@\t\n\f\r ]+$`,
			strict:  `^[a-z0-9]{1,20}([._][a-z0-9]{1,10}){0,2}@[a-z0-9]{1,20}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}$`,
			reason:  "string | No | The email address of the convenience user."},
		{path: "Users[].Phone", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain,
			reason: "Phone | string | No | Mobile numbers are not supported on the international site (alibabacloud.com)."},
		{path: "Users[].Password", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain, min: 10, secret: true,
			reason: "Password | string | No | The user password. Note The password must be at least 10 characters in length"},
		{path: "Users[].OwnerType", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain, enum: []string{"Normal"},
			reason: "OwnerType | string | No | The type of the account ownership. Valid values:"},
		{path: "Users[].OrgId", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain,
			reason: "OrgId | string | No | The organization to which the convenience user belongs."},
		{path: "Users[].Remark", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain,
			reason: "Remark | string | No | The remarks on the convenience user."},
		{path: "Users[].RealNickName", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain,
			reason: "RealNickName | string | No | The display name of the end user."},
		{path: "Password", in: specs.InBody, kind: specs.KindString, style: specs.StylePlain, min: 10, secret: true,
			reason: "Password | string | No | The initial password."},
	})
}

func TestEDSRules(t *testing.T) {
	_, op := loadOp(t, "eds-user")
	topPassword := []string{"accept", "400 INTERNAL_ERROR", "4xx"}
	const topRow = "Password | string | No | The initial password. If this parameter is left empty, an email for password reset is sent to the specified email address. | Test123**** |"
	notChecked := append([]string{"accept"}, invalidUser...)
	assertRules(t, op, []ruleFact{
		{id: "eds-user.AutoLockTime.format", ambiguity: "eds-user.auto-lock-time-format",
			broken: []string{"accept", "400 INTERNAL_ERROR", "4xx"},
			reason: "The date on which the convenience users are automatically locked."},
		{id: "eds-user.Users.required", ambiguity: "eds-user.missing-users",
			broken: []string{"400 MissingUsers", "400 MissingParameter", "400 INTERNAL_ERROR"},
			reason: "Users | array<object> | Yes | The information about the convenience user. | CreateUsers |"},
		{id: "eds-user.Users[].EndUserId.required",
			broken: []string{"400 INTERNAL_ERROR", "4xx"},
			reason: "EndUserId | string | Yes | The username of the convenience user."},
		{id: "eds-user.Users[].EndUserId.min-length", limit: 3, ambiguity: "eds-user.invalid-user-outcome",
			broken: invalidUser, reason: "must be 3 to 24 characters in length."},
		{id: "eds-user.Users[].EndUserId.max-length", limit: 24, ambiguity: "eds-user.invalid-user-outcome",
			broken: invalidUser, reason: "must be 3 to 24 characters in length."},
		{id: "eds-user.Users[].EndUserId.pattern", ambiguity: "eds-user.invalid-user-outcome",
			broken: invalidUser, reason: "The name can contain lowercase letters, digits, and underscores (_)"},
		{id: "eds-user.Users[].EndUserId.unique", scope: "account", broken: []string{"batch ExistedEndUserId"},
			reason: `"ErrorCode": "ExistedEndUserId",`},
		{id: "eds-user.Users[].EndUserId.batch-unique", ambiguity: "eds-user.batch-duplicate",
			broken: []string{"batch ExistedEndUserId", "4xx"},
			reason: `"ErrorMessage": "The username test is used by another user."`},
		{id: "eds-user.Users[].Email.format", ambiguity: "eds-user.invalid-user-outcome, eds-user.email-format",
			broken: notChecked, reason: "The email address of the convenience user."},
		{id: "eds-user.Users[].OwnerType.enum", ambiguity: "eds-user.owner-type-values",
			broken: notChecked, reason: "OwnerType | string | No | The type of the account ownership. Valid values:"},
		{id: "eds-user.Users[].Password.min-length", limit: 10, ambiguity: "eds-user.invalid-user-outcome",
			broken: invalidUser, reason: "The password must be at least 10 characters in length"},
		{id: "eds-user.Users[].Password.complexity", limit: 3, ambiguity: "eds-user.invalid-user-outcome, eds-user.password-space", unsure: unicodeSpaces,
			broken: invalidUser,
			reason: "contain at least three of the following character types: uppercase letters, lowercase letters, digits, and special characters (excluding spaces)."},
		{id: "eds-user.Password.min-length", limit: 10, ambiguity: "eds-user.password-listed-twice",
			broken: topPassword, reason: topRow},
		{id: "eds-user.Password.complexity", limit: 3, ambiguity: "eds-user.password-listed-twice, eds-user.password-space", unsure: unicodeSpaces,
			broken: topPassword, reason: topRow},
	})
	r, _ := op.Rule("eds-user.Users[].Password.complexity")
	assert.Check(t, is.DeepEqual(r.Classes, []string{"upper", "lower", "digit", "special"}),
		"uppercase letters, lowercase letters, digits, and special characters (excluding spaces)")
	assert.Check(t, op.RateLimit == nil, "the seed documents no rate limit")
}

func TestEDSErrors(t *testing.T) {
	_, op := loadOp(t, "eds-user")
	assertErrors(t, op, []errorFact{
		{code: "INTERNAL_ERROR", status: 400, message: "Internal error.",
			reason: "400 | INTERNAL_ERROR | Internal error. |"},
		{code: "ExistedEndUserId", status: 200, batch: true, message: "The username test is used by another user.",
			reason: `"ErrorCode": "ExistedEndUserId", "ErrorMessage": "The username test is used by another user."`},
	})
}

func TestEDSResponse(t *testing.T) {
	_, op := loadOp(t, "eds-user")
	r := op.Response
	assert.Check(t, is.DeepEqual(r.Formats, []string{"JSON"}), "Sample success responses JSON format")
	assert.Check(t, is.Equal(r.XMLRoot, ""), "no XML form is documented")
	assert.Check(t, is.DeepEqual(schemaFields(r.Schema), []string{
		"CreateResult object",
		"CreateResult.CreatedUsers array",
		"CreateResult.CreatedUsers[].Email string",
		"CreateResult.CreatedUsers[].EndUserId string",
		"CreateResult.CreatedUsers[].Phone string",
		"CreateResult.CreatedUsers[].RealNickName string",
		"CreateResult.CreatedUsers[].Remark string",
		"CreateResult.FailedUsers array",
		"CreateResult.FailedUsers[].Email string",
		"CreateResult.FailedUsers[].EndUserId string",
		"CreateResult.FailedUsers[].ErrorCode string",
		"CreateResult.FailedUsers[].ErrorMessage string",
		"CreateResult.FailedUsers[].Phone string",
		"RequestId string required",
	}), `"CreateResult": {"CreatedUsers": [...], "FailedUsers": [...]}`)
}

// unicodeSpaces is every character unicode.IsSpace reports: the seed's
// "(excluding spaces)" may mean any white space, so eds-user passwords list
// them all as unsure.
const unicodeSpaces = "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

// TestUnicodeSpacesIsEveryWhiteSpace keeps unicodeSpaces honest.
func TestUnicodeSpacesIsEveryWhiteSpace(t *testing.T) {
	var want []rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			want = append(want, r)
		}
	}
	assert.Equal(t, unicodeSpaces, string(want))
}
