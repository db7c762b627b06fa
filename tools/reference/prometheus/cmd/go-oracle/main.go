// Command go-oracle says whether Go takes each input as Prometheus and
// Alertmanager read it: a regex with Go's regexp, an alert template with
// Prometheus's template parser, a notification template with
// Alertmanager's function map, a receiver URL as Alertmanager's config
// parses it, a rule file or file_sd pattern as Prometheus and promtool
// check it. tests/it/go_oracle.rs compares its verdicts with lloom-monctl's
// own checks.
//
// Input: one JSON object a line, {"kind": "regex"|"prometheus"|
// "alertmanager"|"url"|"rule-file"|"file-sd", "text": "..."}. Output: one JSON object a line, in order,
// {"ok": true} or {"ok": false, "error": "..."}.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	texttemplate "text/template"

	amtemplate "github.com/prometheus/alertmanager/template"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/template"
)

type query struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

type verdict struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// The variables promtool declares in front of each alert template
// (model/rulefmt, testTemplateParsing).
// Prometheus's patterns for rule files (config/config.go) and file_sd
// files (discovery/file/file.go).
var (
	patRulePath   = regexp.MustCompile(`^[^*]*(\*[^/]*)?$`)
	patFileSDName = regexp.MustCompile(`^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`)
)

const alertDefs = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}" +
	"{{$externalURL := .ExternalURL}}{{$value := .Value}}"

func judge(q query) error {
	switch q.Kind {
	case "regex":
		// Go must take it alone, and anchored as relabelling and
		// label matchers anchor it.
		if _, err := regexp.Compile(q.Text); err != nil {
			return err
		}
		_, err := regexp.Compile("^(?s:" + q.Text + ")$")
		return err
	case "prometheus":
		data := template.AlertTemplateData(map[string]string{}, map[string]string{}, "", promql.Sample{})
		return template.NewTemplateExpander(context.TODO(), alertDefs+q.Text, "__alert_oracle",
			data, model.Time(0), nil, nil, nil).ParseTest()
	case "alertmanager":
		// As Template.ExecuteTextString parses a receiver's field.
		_, err := texttemplate.New("").Option("missingkey=zero").
			Funcs(texttemplate.FuncMap(amtemplate.DefaultFuncs)).Parse(q.Text)
		return err
	case "url":
		// As Alertmanager's config.parseURL.
		u, err := url.Parse(q.Text)
		if err != nil {
			return err
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return fmt.Errorf("unsupported scheme %q for URL", u.Scheme)
		}
		if u.Host == "" {
			return errors.New("missing host for URL")
		}
		return nil
	case "rule-file", "file-sd":
		pat := patRulePath
		if q.Kind == "file-sd" {
			pat = patFileSDName
		}
		if !pat.MatchString(q.Text) {
			return fmt.Errorf("path %q does not match %s", q.Text, pat)
		}
		// promtool globs each pattern.
		_, err := filepath.Match(q.Text, "")
		return err
	}
	return fmt.Errorf("unknown kind %q", q.Kind)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			fmt.Fprintln(os.Stderr, "go-oracle: bad input line:", err)
			os.Exit(2)
		}
		v := verdict{OK: true}
		if err := judge(q); err != nil {
			v = verdict{OK: false, Error: err.Error()}
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(os.Stderr, "go-oracle:", err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "go-oracle:", err)
		os.Exit(2)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "go-oracle:", err)
		os.Exit(2)
	}
}
