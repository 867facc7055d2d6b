// Command acsconform is a conformance test suite and contract fuzzer for
// three Alibaba Cloud "create user" operations. See README.md.
package main

import "os"

func main() {
	if headroomWanted(os.Args[1:], os.Getenv) {
		keepHeapHeadroom()
	}
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}
