// Command dashboard-decode decodes each Grafana dashboard JSON file named on
// its command line strictly (unknown fields and wrong types are errors) with
// the Go types of github.com/grafana/grafana-foundation-sdk/go, panels and
// Prometheus queries through their registered plugin types, then runs the
// SDK's validation. It prints one line per file and exits 1 if any fails.
package main

import (
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

func main() {
	plugins.RegisterDefaultPlugins()
	failed := false
	for _, path := range os.Args[1:] {
		if err := decode(path); err != nil {
			fmt.Printf("FAIL %s: %v\n", path, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func decode(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var board dashboard.Dashboard
	if err := board.UnmarshalJSONStrict(data); failed(err) {
		return fmt.Errorf("strict decode: %w", err)
	}
	if err := board.Validate(); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if len(board.Panels) == 0 {
		return fmt.Errorf("no panel")
	}
	fmt.Printf("ok %s: %d panels\n", path, len(board.Panels))
	return nil
}

// failed says whether err is an error: the SDK's strict decoders return their
// error list as an `error` even when it is empty (a nil cog.BuildErrors).
func failed(err error) bool {
	if errs, ok := err.(cog.BuildErrors); ok {
		return len(errs) > 0
	}
	return err != nil
}
