// Command alloy-parse parses each file named on its command line with Grafana
// Alloy's own parser (github.com/grafana/alloy/syntax/parser), the one the
// Alloy binary reads config.alloy with. It prints one line per file and exits
// 1 if any file fails to parse.
package main

import (
	"fmt"
	"os"

	"github.com/grafana/alloy/syntax/ast"
	"github.com/grafana/alloy/syntax/parser"
)

func main() {
	failed := false
	for _, path := range os.Args[1:] {
		if err := parse(path); err != nil {
			fmt.Printf("FAIL %s: %v\n", path, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func parse(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	file, err := parser.ParseFile(path, data)
	if err != nil {
		return err
	}
	blocks := 0
	for _, stmt := range file.Body {
		if _, ok := stmt.(*ast.BlockStmt); ok {
			blocks++
		}
	}
	if blocks == 0 {
		return fmt.Errorf("no block")
	}
	fmt.Printf("ok %s: %d blocks\n", path, blocks)
	return nil
}
