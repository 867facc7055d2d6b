package specs_test

import (
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// Facts of seeds/ram-CreateUser.zh.txt.

func TestRAMParams(t *testing.T) {
	_, op := loadOp(t, "ram")
	assert.Check(t, is.Equal(op.Action, "CreateUser"), "操作接口名,系统规定参数,取值:CreateUser")
	assert.Check(t, is.Equal(op.Version, "2015-05-01"), "RAM CreateUser 2015-05-01 (PROTOCOL.md)")
	assertParams(t, op, []paramFact{
		{path: "UserName", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain, required: true,
			max: 64, pattern: `^[a-zA-Z0-9\.@\-_]+$`,
			reason: "类型:String 必须:是 描述:指定用户名,最多包含64个字符 格式:^[a-zA-Z0-9\\.@\\-_]+$"},
		{path: "DisplayName", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain,
			max: 12, pattern: `^[a-zA-Z0-9\.@\-一-龥]+$`,
			reason: "描述:显示名称,最多包含12个字符或汉字 格式:^[a-zA-Z0-9\\.@\\-\\u4e00-\\u9fa5]+$"},
		{path: "MobilePhone", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain,
			pattern: `^[0-9]+-[0-9]+$`, strict: `^86-1[3-9][0-9]{9}$`,
			reason: "描述:RAM用户手机号 格式:国际区号-号码;例如:86-18600008888"},
		{path: "Email", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain, format: "email",
			pattern: `^[^@\t\n\f\r ]+@[^@\t\n\f\r ]+$`,
			strict:  `^[a-z0-9]{1,20}([._][a-z0-9]{1,10}){0,2}@[a-z0-9]{1,20}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}$`,
			reason:  "描述:RAM用户的邮箱"},
		{path: "Comments", in: specs.InQuery, kind: specs.KindString, style: specs.StylePlain, max: 128,
			reason: "描述:备注, 最大长度128个字符。"},
	})
}

func TestRAMRules(t *testing.T) {
	_, op := loadOp(t, "ram")
	assertRules(t, op, []ruleFact{
		{id: "ram.UserName.required", ambiguity: "ram.empty-user-name",
			broken: []string{"400 MissingUserName", "400 MissingParameter"},
			reason: "必须:是"},
		{id: "ram.UserName.max-length", limit: 64, broken: []string{"400 InvalidParameter.UserName.Length"},
			reason: "描述:指定用户名,最多包含64个字符"},
		{id: "ram.UserName.pattern", broken: []string{"400 InvalidParameter.UserName.InvalidChars"},
			reason: "格式:^[a-zA-Z0-9\\.@\\-_]+$"},
		{id: "ram.UserName.unique", scope: "account", broken: []string{"409 EntityAlreadyExists.User"},
			reason: "The user does already EXIST."},
		{id: "ram.DisplayName.max-length", limit: 12, broken: []string{"400 InvalidParameter.DisplayName.Length"},
			reason: "描述:显示名称,最多包含12个字符或汉字"},
		{id: "ram.DisplayName.pattern", broken: []string{"400 InvalidParameter.DisplayName.InvalidChars"},
			reason: "格式:^[a-zA-Z0-9\\.@\\-\\u4e00-\\u9fa5]+$"},
		{id: "ram.MobilePhone.pattern", ambiguity: "ram.mobile-phone-format",
			broken: []string{"400 InvalidParameter.MobilePhone.Format"},
			reason: "格式:国际区号-号码;例如:86-18600008888"},
		{id: "ram.Email.format", ambiguity: "ram.email-format", broken: []string{"400 InvalidParameter.Email.Format"},
			reason: "描述:RAM用户的邮箱"},
		{id: "ram.Comments.max-length", limit: 128, broken: []string{"400 InvalidParameter.Comments.Length"},
			reason: "描述:备注, 最大长度128个字符。"},
		{id: "ram.quota", scope: "account", broken: []string{"409 LimitExceeded.User"},
			reason: "The count of users beyond the current limits."},
	})
	assert.Check(t, op.RateLimit == nil, "the seed documents no rate limit")
	r, _ := op.Rule("ram.UserName.required")
	var empty []string
	for _, o := range r.Empty {
		empty = append(empty, outcomeText(o))
	}
	assert.Check(t, is.DeepEqual(empty, []string{"400 InvalidParameter.UserName.InvalidChars", "400 InvalidParameter.UserName.Length"}),
		"必须:是, sent empty: the readings of ram.empty-user-name")
}

func TestRAMErrors(t *testing.T) {
	_, op := loadOp(t, "ram")
	assertErrors(t, op, []errorFact{
		{code: "InvalidParameter.UserName.InvalidChars", status: 400,
			message: `The parameter - "UserName" contains invalid chars.`,
			reason:  `InvalidParameter.UserName.InvalidChars HTTP Status:400 Error Message:The parameter - "UserName" contains invalid chars.`},
		{code: "InvalidParameter.UserName.Length", status: 400,
			message: `The parameter - "UserName" beyond the length limit.`,
			reason:  `InvalidParameter.UserName.Length HTTP Status:400 Error Message:The parameter - "UserName" beyond the length limit.`},
		{code: "InvalidParameter.DisplayName.InvalidChars", status: 400,
			message: `The parameter - "DisplayName" contains invalid chars.`,
			reason:  `InvalidParameter.DisplayName.InvalidChars HTTP Status:400 Error Message:The parameter - "DisplayName" contains invalid chars.`},
		{code: "InvalidParameter.DisplayName.Length", status: 400,
			message: `The parameter - "DisplayName" beyond the length limit.`,
			reason:  `InvalidParameter.DisplayName.Length HTTP Status:400 Error Message:The parameter - "DisplayName" beyond the length limit.`},
		{code: "InvalidParameter.Comments.Length", status: 400,
			message: `The parameter - "Comments" beyond the length limit.`,
			reason:  `InvalidParameter.Comments.Length HTTP Status:400 Error Message:The parameter - "Comments" beyond the length limit.`},
		{code: "InvalidParameter.MobilePhone.Format", status: 400,
			message: `The format of the parameter - "MobilePhone" is incorrect.`,
			reason:  `InvalidParameter.MobilePhone.Format HTTP Status:400 Error Message:The format of the parameter - "MobilePhone" is incorrect.`},
		{code: "InvalidParameter.Email.Format", status: 400,
			message: `The format of the parameter - "Email" is incorrect.`,
			reason:  `InvalidParameter.Email.Format HTTP Status:400 Error Message:The format of the parameter - "Email" is incorrect.`},
		{code: "EntityAlreadyExists.User", status: 409, message: "The user does already EXIST.",
			reason: "EntityAlreadyExists.User HTTP Status:409 Error Message:The user does already EXIST."},
		{code: "LimitExceeded.User", status: 409, message: "The count of users beyond the current limits.",
			reason: "LimitExceeded.User HTTP Status:409 Error Message:The count of users beyond the current limits."},
	})
}

func TestRAMResponse(t *testing.T) {
	_, op := loadOp(t, "ram")
	r := op.Response
	assert.Check(t, is.DeepEqual(r.Formats, []string{"JSON", "XML"}), "返回示例 XML格式 … JSON格式")
	assert.Check(t, is.Equal(r.XMLRoot, "CreateUserResponse"), "<CreateUserResponse>")
	assert.Check(t, is.DeepEqual(r.MediaTypes["XML"], []string{"application/xml", "text/xml"}),
		"XML responses are text/xml or application/xml (PROTOCOL.md)")
	assert.Check(t, r.RequestID.MatchString("04F0F334-1335-436C-A1D7-6C044FE73368"),
		"<RequestId>04F0F334-1335-436C-A1D7-6C044FE73368</RequestId>")
	assert.Check(t, is.DeepEqual(schemaFields(r.Schema), []string{
		"RequestId string required",
		"User object required",
		"User.Comments string",
		"User.CreateDate string date-time",
		"User.DisplayName string",
		"User.Email string",
		"User.MobilePhone string",
		"User.UserId string required",
		"User.UserName string required",
	}), "User 类型:User Type 描述:用户信息; the XML and JSON examples")
}
