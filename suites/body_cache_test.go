package suites

import (
	"fmt"
	"sync"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/runner"
)

// decodeBody keeps the latest documents: the same body decodes to the same
// document as a fresh decoding, in each format, however many other bodies
// came between, from any number of goroutines.
func TestDecodeBodyKeepsDocuments(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3*keptDocs; i++ {
				ex := &runner.Exchange{RespBody: []byte(fmt.Sprintf(`{"RequestId":"%d-%d","Code":"C%d"}`, g, i, i))}
				for range 2 {
					doc, err := decodeBody(ex, formatJSON)
					assert.NilError(t, err)
					assert.Equal(t, doc.text("Code"), fmt.Sprintf("C%d", i))
					fresh, _ := decodeFresh(ex.RespBody, formatJSON)
					assert.DeepEqual(t, doc, fresh)
					_, err = decodeBody(ex, formatXML)
					assert.ErrorContains(t, err, "")
				}
			}
		}()
	}
	wg.Wait()
	xml := &runner.Exchange{RespBody: []byte(`<Error><Code>X</Code></Error>`)}
	doc, err := decodeBody(xml, formatXML)
	assert.NilError(t, err)
	assert.Equal(t, doc.Root, "Error")
	assert.Equal(t, doc.text("Code"), "X")
	_, err = decodeBody(xml, formatJSON)
	assert.ErrorContains(t, err, "not JSON")
	_, err = decodeBody(&runner.Exchange{RespBody: []byte("  ")}, formatJSON)
	assert.Error(t, err, "empty body")
}
