package specs_test

import (
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// Facts of seeds/bastionhost-CreateUser.txt.

func TestBastionhostParams(t *testing.T) {
	_, op := loadOp(t, "bastionhost")
	assert.Check(t, is.Equal(op.Product, "yundun-bastionhost"), "yundun-bastionhost:CreateUser")
	q, s := specs.InQuery, specs.StylePlain
	str := specs.KindString
	assertParams(t, op, []paramFact{
		{path: "InstanceId", in: q, kind: str, style: s, required: true,
			reason: "InstanceIdstringYes The ID of the bastion host to which you want to add a user."},
		{path: "RegionId", in: q, kind: str, style: s,
			reason: "RegionIdstringNo The region ID of the bastion host to which you want to add a user."},
		{path: "Source", in: q, kind: str, style: s, required: true, enum: []string{"Local", "Ram", "AD", "LDAP"},
			reason: "SourcestringYes The type of the user that you want to add. Valid values: Local Ram AD LDAP"},
		{path: "UserName", in: q, kind: str, style: s, required: true, min: 1, max: 128, pattern: `^[A-Za-z0-9_]+$`,
			reason: "The logon name must be 1 to 128 characters in length and can contain only letters, digits, and underscores (_)."},
		{path: "Password", in: q, kind: str, style: s, min: 8, max: 128, secret: true,
			reason: "The logon password must be 8 to 128 characters in length."},
		{path: "DisplayName", in: q, kind: str, style: s, max: 128,
			reason: "The display name can be up to 128 characters in length."},
		{path: "Comment", in: q, kind: str, style: s, max: 500,
			reason: "The remarks can be up to 500 characters in length."},
		{path: "Email", in: q, kind: str, style: s, format: "email",
			pattern: `^[^@\t\n\f\r ]+@[^@\t\n\f\r ]+$`,
			strict:  `^[a-z0-9]{1,20}([._][a-z0-9]{1,10}){0,2}@[a-z0-9]{1,20}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}$`,
			reason:  "The email address of the user that you want to add."},
		{path: "Mobile", in: q, kind: str, style: s,
			reason: "The mobile phone number of the user that you want to add."},
		{path: "SourceUserId", in: q, kind: str, style: s,
			reason: "The unique ID of the user that you want to add."},
		{path: "MobileCountryCode", in: q, kind: str, style: s, def: "CN",
			enum: []string{"CN", "HK", "MO", "TW", "RU", "SG", "MY", "ID", "DE", "AU",
				"US", "AE", "JP", "GB", "IN", "KR", "PH", "CH", "SE", "SA"},
			reason: "Default value: CN. Valid values: CN HK MO TW RU SG MY ID DE AU US AE JP GB IN KR PH CH SE SA"},
		{path: "EffectiveStartTime", in: q, kind: specs.KindInteger, style: s, format: "int64",
			reason: "EffectiveStartTimelongNo Specify a UNIX timestamp. Unit: seconds."},
		{path: "EffectiveEndTime", in: q, kind: specs.KindInteger, style: s, format: "int64",
			reason: "EffectiveEndTimelongNo Specify a UNIX timestamp. Unit: seconds."},
		{path: "NeedResetPassword", in: q, kind: specs.KindBoolean, style: s, def: "false",
			reason: "NeedResetPasswordbooleanNo If you leave this parameter empty, the default value false is used."},
		{path: "TwoFactorStatus", in: q, kind: str, style: s, def: "Global", enum: []string{"Global", "Disable", "Enable"},
			reason: "Valid values: Global Disable Enable. If you leave this parameter empty, the default value Global is used."},
		{path: "TwoFactorMethods", in: q, kind: specs.KindArray, style: specs.StyleJSON, max: 1,
			reason: "The two-factor authentication method. You can select only one method. [\"sms\"]"},
		{path: "TwoFactorMethods[]", in: q, kind: str, style: s, enum: []string{"sms", "email", "dingtalk", "totp"},
			reason: "sms email dingtalk totp OTP"},
		{path: "LanguageStatus", in: q, kind: str, style: s, def: "Global", enum: []string{"Global", "Custom"},
			reason: "Global Custom. If you leave this parameter empty, the default value Global is used."},
		{path: "Language", in: q, kind: str, style: s, enum: []string{"zh-cn", "en"},
			reason: "Valid values: zh-cn: simplified Chinese. en: English."},
	})
	src, _ := op.Param("Source")
	assert.Check(t, src.EnumCaseInsensitive, "SourcestringYes … local (the example is lower case)")
}

func TestBastionhostRules(t *testing.T) {
	_, op := loadOp(t, "bastionhost")
	missing := func(name string) []string {
		return []string{"400 MissingParameter", "400 Missing" + name, "400 InvalidParameter"}
	}
	invalid := []string{"400 InvalidParameter"}
	assertRules(t, op, []ruleFact{
		{id: "bastionhost.InstanceId.required", ambiguity: "bastionhost.missing-required",
			broken: missing("InstanceId"), reason: "InstanceIdstringYes"},
		{id: "bastionhost.InstanceId.exists", scope: "account", broken: []string{"4xx"},
			reason: "The ID of the bastion host to which you want to add a user."},
		{id: "bastionhost.Source.required", ambiguity: "bastionhost.missing-required",
			broken: missing("Source"), reason: "SourcestringYes"},
		{id: "bastionhost.Source.enum", ambiguity: "bastionhost.source-case", broken: invalid,
			reason: "The type of the user that you want to add. Valid values:"},
		{id: "bastionhost.UserName.required", ambiguity: "bastionhost.missing-required",
			broken: missing("UserName"), reason: "UserNamestringYes"},
		{id: "bastionhost.UserName.min-length", limit: 1, ambiguity: "bastionhost.missing-required",
			broken: missing("UserName"), reason: "The logon name must be 1 to 128 characters in length"},
		{id: "bastionhost.UserName.max-length", limit: 128, broken: invalid,
			reason: "The logon name must be 1 to 128 characters in length"},
		{id: "bastionhost.UserName.pattern", broken: invalid,
			reason: "can contain only letters, digits, and underscores (_)."},
		{id: "bastionhost.UserName.unique", scope: "instance", broken: []string{"400 UserAlreadyExists"},
			reason: "The user already exists."},
		{id: "bastionhost.Password.min-length", limit: 8, broken: invalid,
			reason: "The logon password must be 8 to 128 characters in length."},
		{id: "bastionhost.Password.max-length", limit: 128, broken: invalid,
			reason: "The logon password must be 8 to 128 characters in length."},
		{id: "bastionhost.Password.conditional-required", when: "Source=Local", broken: invalid,
			reason: "This parameter is required if Source is set to Local."},
		{id: "bastionhost.Password.complexity", limit: 4, ambiguity: "bastionhost.password-special, bastionhost.password-space",
			unsure: " ", broken: invalid,
			reason: "It must contain uppercase letters, lowercase letters, digits, and special characters."},
		{id: "bastionhost.DisplayName.max-length", limit: 128, broken: invalid,
			reason: "The display name can be up to 128 characters in length."},
		{id: "bastionhost.Comment.max-length", limit: 500, broken: invalid,
			reason: "The remarks can be up to 500 characters in length."},
		{id: "bastionhost.Email.format", ambiguity: "bastionhost.email-format", broken: []string{"accept", "400 InvalidParameter"},
			reason: "The email address of the user that you want to add."},
		{id: "bastionhost.Email.conditional-required", when: "TwoFactorStatus=Enable & TwoFactorMethods=email",
			ambiguity: "bastionhost.global-two-factor", broken: invalid,
			reason: "This parameter is required if TwoFactorStatus is set to Enable and TwoFactorMethods is set to email"},
		{id: "bastionhost.Mobile.conditional-required", when: "TwoFactorStatus=Enable & TwoFactorMethods=sms|dingtalk",
			ambiguity: "bastionhost.global-two-factor", broken: invalid,
			reason: "This parameter is required if TwoFactorStatus is set to Enable and TwoFactorMethods is set to sms or dingtalk"},
		{id: "bastionhost.SourceUserId.conditional-required", when: "Source=Ram|AD|LDAP", broken: invalid,
			reason: "This parameter is required if Source is set to Ram."},
		{id: "bastionhost.MobileCountryCode.enum", broken: invalid,
			reason: "The location where the mobile phone number of the user is registered. Default value: CN. Valid values:"},
		{id: "bastionhost.EffectiveStartTime.type", broken: invalid,
			reason: "The start time of the validity period of the user. Specify a UNIX timestamp. Unit: seconds."},
		{id: "bastionhost.EffectiveEndTime.type", broken: invalid,
			reason: "The end time of the validity period of the user. Specify a UNIX timestamp. Unit: seconds."},
		{id: "bastionhost.NeedResetPassword.type", broken: invalid,
			reason: "Specifies whether password reset is required upon the next logon. Valid values:"},
		{id: "bastionhost.TwoFactorStatus.enum", broken: invalid,
			reason: "Specifies whether two-factor authentication is enabled for the user. Valid values:"},
		{id: "bastionhost.TwoFactorMethods.type", broken: invalid, reason: `["sms"]`},
		{id: "bastionhost.TwoFactorMethods.enum", ambiguity: "bastionhost.totp-value", broken: invalid,
			reason: "The two-factor authentication method. You can select only one method. Valid values:"},
		{id: "bastionhost.TwoFactorMethods.max-items", limit: 1, broken: invalid,
			reason: "You can select only one method."},
		{id: "bastionhost.TwoFactorMethods.conditional-required", when: "TwoFactorStatus=Enable", broken: invalid,
			reason: "If TwoFactorStatus is set to Enable, you must select one of the preceding values for TwoFactorMethods."},
		{id: "bastionhost.LanguageStatus.enum", broken: invalid,
			reason: "Specifies whether to send notifications in the language specified in the global settings or a custom language."},
		{id: "bastionhost.Language.enum", broken: invalid,
			reason: "This parameter is required if LanguageStatus is set to Custom. Valid values:"},
		{id: "bastionhost.Language.conditional-required", when: "LanguageStatus=Custom", broken: invalid,
			reason: "This parameter is required if LanguageStatus is set to Custom."},
		{id: "bastionhost.rate-limit", limit: 10, scope: "account",
			broken: []string{"400 Throttling", "400 Throttling.User", "400 Throttling.Api"},
			reason: "You can call this operation up to 10 times per second per account. If the number of the calls per second exceeds a limit, throttling is triggered."},
	})
	pw, _ := op.Rule("bastionhost.Password.complexity")
	assert.Check(t, is.DeepEqual(pw.Classes, []string{"upper", "lower", "digit", "special"}),
		"It must contain uppercase letters, lowercase letters, digits, and special characters.")
}

func TestBastionhostRateLimit(t *testing.T) {
	_, op := loadOp(t, "bastionhost")
	assert.DeepEqual(t, op.RateLimit, &specs.RateLimit{
		Calls: 10, Per: time.Second, Scope: "account", Status: 400,
		Codes: []string{"Throttling", "Throttling.User", "Throttling.Api"},
		Quote: "You can call this operation up to 10 times per second per account. If the number of the calls per second exceeds a limit, throttling is triggered.",
	})
}

func TestBastionhostErrors(t *testing.T) {
	_, op := loadOp(t, "bastionhost")
	assertErrors(t, op, []errorFact{
		{code: "InvalidParameter", status: 400, message: "The argument is invalid.",
			reason: "400InvalidParameterThe argument is invalid.The argument is invalid."},
		{code: "UserAlreadyExists", status: 400, message: "The user already exists.",
			reason: "400UserAlreadyExistsThe user already exists.The user already exists."},
		{code: "InternalError", status: 500, message: "An unknown error occurred.",
			reason: "500InternalErrorAn unknown error occurred.An unknown error occurred."},
	})
	for _, r := range op.Rules {
		for _, o := range r.Broken {
			assert.Check(t, o.Code != "InternalError", "%s: InternalError is triggered by no rule", r.ID)
		}
	}
}

func TestBastionhostResponse(t *testing.T) {
	_, op := loadOp(t, "bastionhost")
	assert.Check(t, is.DeepEqual(op.Response.Formats, []string{"JSON"}), "Sample success responses JSONformat")
	assert.Check(t, is.DeepEqual(schemaFields(op.Response.Schema), []string{
		"RequestId string required",
		"UserId string required",
	}), "UserIdstring The ID of the user that is added. RequestIdstring The request ID.")
	assert.Check(t, op.Response.RequestID.MatchString("EC9BF0F4-8983-491A-BC8C-1B4DD94976DE"),
		`"RequestId": "EC9BF0F4-8983-491A-BC8C-1B4DD94976DE"`)
}
