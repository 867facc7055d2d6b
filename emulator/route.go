package emulator

// operation is one served API: its ID (the specs' operation ID), its
// Action and Version on the wire, its product code and its handler.
type operation struct {
	id, action, version, product string
	handle                       func(e *Emulator, acct *account, req *request, requestID string) (any, *apiError)
}

// operations are the three operations served. RAM and Bastionhost share
// the Action CreateUser; the Version tells them apart.
var operations = []operation{
	{"ram", "CreateUser", "2015-05-01", "ram", (*Emulator).createRAMUser},
	{"eds-user", "CreateUsers", "2021-03-08", "eds-user", (*Emulator).createEDSUsers},
	{"bastionhost", "CreateUser", "2019-12-09", "yundun-bastionhost", (*Emulator).createBastionhostUser},
}

// route finds the operation a request names: Action and Version from the
// x-acs-action/x-acs-version headers (V3) when sent, else from the
// parameters (V1).
func route(req *request) (*operation, *apiError) {
	action, version := actionAndVersion(req)
	for i := range operations {
		if operations[i].action == action && operations[i].version == version {
			return &operations[i], nil
		}
	}
	return nil, errActionNotFound
}

// actionAndVersion reads the Action and Version a request names.
func actionAndVersion(req *request) (string, string) {
	h := req.http.Header
	if action := h.Get("x-acs-action"); action != "" {
		return action, h.Get("x-acs-version")
	}
	return req.param("Action"), req.param("Version")
}
