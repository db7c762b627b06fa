// Small checkers of tests/it/official_parsers.rs: Alloy's own parser and the
// Grafana Foundation SDK's dashboard types. Built by ../build.
module lloom-monctl/tools/reference/checkers

go 1.24

require (
	github.com/grafana/alloy/syntax v0.1.0
	github.com/grafana/grafana-foundation-sdk/go v0.0.22
)

require (
	github.com/fatih/color v1.15.0 // indirect
	github.com/mattn/go-colorable v0.1.13 // indirect
	github.com/mattn/go-isatty v0.0.17 // indirect
	golang.org/x/sys v0.6.0 // indirect
)
