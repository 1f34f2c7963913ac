package sim

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vernost/vernost"
)

// baseYAML is the smallest valid scenario; the table below breaks it one
// key at a time.
const baseYAML = `
name: base
interval: 30m
intervals: 2
queues:
  - name: calls
    channel: call
    skills: {general: 1}
    arrivals: {per_interval: [10, 20]}
    handle_time: {kind: exponential, mean: 3m}
    target: 20s
  - name: billing
    channel: call
    skills: {billing: 2}
    arrivals: {per_hour: 5}
    handle_time: {kind: lognormal, mean: 3m, stddev: 1m}
    patience: {kind: constant, mean: 2m}
    target: 20s
agents:
  - name: team
    count: 2
    skills: {general: 1, billing: 3}
`

func TestParseValidScenario(t *testing.T) {
	s, err := ParseYAML([]byte(baseYAML))
	if err != nil {
		t.Fatalf("ParseYAML(base) = %v, want no error", err)
	}
	if s.Interval.Std() != 30*time.Minute || s.Intervals != 2 || len(s.Queues) != 2 || s.Agents[0].Count != 2 {
		t.Errorf("decoded %+v, want interval 30m, 2 intervals, 2 queues, 2 agents", s)
	}
	if s.Queues[1].Patience == nil || s.Queues[1].Patience.Mean.Std() != 2*time.Minute {
		t.Errorf("queues[1].patience = %+v, want constant 2m", s.Queues[1].Patience)
	}
	// The same document as JSON decodes to the same scenario.
	js := toJSON(t, mustDoc(t))
	sj, err := ParseJSON(js)
	if err != nil {
		t.Fatalf("ParseJSON(base as JSON) = %v, want no error", err)
	}
	a, _ := json.Marshal(s)
	b, _ := json.Marshal(sj)
	if string(a) != string(b) {
		t.Errorf("YAML and JSON decode differently:\n yaml %s\n json %s", a, b)
	}
}

func TestParseRejectsBadScenarios(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(doc map[string]any)
		wantField string
		wantMsg   string // a piece of the reason
	}{
		{"unknown top key", set("colour", "red"), "colour", "unknown key"},
		{"unknown nested key", set("queues[0].arrivals.per_intervall", 3), "queues[0].arrivals.per_intervall", "unknown key (known: curve, per_day, per_hour, per_interval)"},
		{"negative rate", set("queues[0].arrivals.per_interval[1]", -2), "queues[0].arrivals.per_interval[1]", "negative rate -2"},
		{"agent without skills", del("agents[0].skills"), "agents[0].skills", "at least one skill"},
		{"agent with empty skills", set("agents[0].skills", map[string]any{}), "agents[0].skills", "at least one skill"},
		{"text for a number", set("intervals", "two"), "intervals", `want a whole number, got the text "two"`},
		{"fraction for a count", set("agents[0].count", 2.5), "agents[0].count", "want a whole number"},
		{"duration without unit", set("queues[0].handle_time.mean", 180), "queues[0].handle_time.mean", "want a string, got the number 180"},
		{"duration in words", set("queues[0].handle_time.mean", "3 minutes"), "queues[0].handle_time.mean", "want a duration"},
		{"bad clock", set("start", "8am"), "start", "time of day"},
		{"list for a map", set("agents[0].skills", []any{"general"}), "agents[0].skills", "want a mapping"},
		{"no interval", del("interval"), "interval", "must be above 0"},
		{"interval over a day", set("interval", "25h"), "interval", "at most 24h"},
		{"no intervals", del("intervals"), "intervals", "from 1 to"},
		{"per_interval too short", set("queues[0].arrivals.per_interval", []any{1}), "queues[0].arrivals.per_interval", "want 2 entries"},
		{"two arrival forms", set("queues[0].arrivals.per_hour", 4), "queues[0].arrivals", "exactly one of"},
		{"no arrivals", del("queues[0].arrivals"), "queues[0].arrivals", "exactly one of"},
		{"curve without per_day", set("queues[1].arrivals.curve", []any{1, 2}), "queues[1].arrivals.curve", "only shapes per_day"},
		{"curve of zeros", edits(del("queues[1].arrivals.per_hour"), set("queues[1].arrivals.per_day", 100), set("queues[1].arrivals.curve", []any{0, 0})), "queues[1].arrivals.curve", "add up to 0"},
		{"too many contacts", set("queues[1].arrivals.per_hour", 1e9), "queues", "limit"},
		{"unknown distribution", set("queues[0].handle_time.kind", "gamma"), "queues[0].handle_time.kind", `got "gamma"`},
		{"exponential with stddev", set("queues[0].handle_time.stddev", "1m"), "queues[0].handle_time.stddev", "not used by kind exponential"},
		{"zero mean", set("queues[0].handle_time.mean", "0s"), "queues[0].handle_time.mean", "must be positive"},
		{"lognormal both forms", set("queues[1].handle_time.mu", 5), "queues[1].handle_time", "either mean and stddev, or mu and sigma"},
		{"lognormal mu only", edits(del("queues[1].handle_time.mean"), del("queues[1].handle_time.stddev"), set("queues[1].handle_time.mu", 5)), "queues[1].handle_time", "both mu and sigma"},
		{"lognormal sigma 0", edits(del("queues[1].handle_time.mean"), del("queues[1].handle_time.stddev"), set("queues[1].handle_time.mu", 5), set("queues[1].handle_time.sigma", 0)), "queues[1].handle_time.sigma", "above 0"},
		{"empirical empty", set("queues[0].handle_time", map[string]any{"kind": "empirical", "sample": []any{}}), "queues[0].handle_time.sample", "want 1 to"},
		{"empirical negative", set("queues[0].handle_time", map[string]any{"kind": "empirical", "sample": []any{"1m", "-2s"}}), "queues[0].handle_time.sample[1]", "negative duration -2s"},
		{"negative patience", set("queues[1].patience.mean", "-1m"), "queues[1].patience.mean", "must be positive"},
		{"no target", del("queues[0].target"), "queues[0].target", "must be positive"},
		{"channel not routed", set("queues[0].channel", "fax"), "queues[0].channel", `"fax" is not in routing.capacity`},
		{"skill level 6", set("queues[0].skills.general", 6), "queues[0].skills.general", "from 1 to 5, got 6"},
		{"queue named twice", set("queues[1].name", "calls"), "queues[1].name", "named twice"},
		{"unnamed queue", del("queues[0].name"), "queues[0].name", "needs a name"},
		{"no queues", del("queues"), "queues", "at least one queue"},
		{"manager share without managers", set("queues[0].manager_share", 0.2), "queues[0].manager_share", "personal_managers"},
		{"manager share over 1", set("queues[0].manager_share", 1.5), "queues[0].manager_share", "from 0 to 1"},
		{"transfer to nowhere", set("queues[0].transfer", map[string]any{"probability": 0.1, "to": "sales"}), "queues[0].transfer.to", `no queue named "sales"`},
		{"transfer to itself", set("queues[0].transfer", map[string]any{"probability": 0.1, "to": "calls"}), "queues[0].transfer.to", "itself"},
		{"transfer across channels", edits(set("queues[1].channel", "chat"), set("queues[0].transfer", map[string]any{"probability": 0.1, "to": "billing"})), "queues[0].transfer.to", "is chat, not call"},
		{"unknown policy", set("queues[0].policy", "vip"), "queues[0].policy", `no policy named "vip"`},
		{"policy step target", set("routing.policies", []any{map[string]any{"name": "p", "steps": []any{map[string]any{"target": "boss"}}}}), "routing.policies[0].steps[0].target", `got "boss"`},
		{"team step without team", set("routing.policies", []any{map[string]any{"name": "p", "steps": []any{map[string]any{"target": "team"}}}}), "routing.policies[0].steps[0].team", "needs a team"},
		{"policy without steps", set("routing.policies", []any{map[string]any{"name": "p"}}), "routing.policies[0].steps", "at least one step"},
		{"bad strategy", set("routing.policies", []any{map[string]any{"name": "p", "steps": []any{map[string]any{"target": "any", "choose": "random"}}}}), "routing.policies[0].steps[0].choose", `got "random"`},
		{"negative capacity", set("routing.capacity", map[string]any{"call": -1}), "routing.capacity.call", "got -1"},
		{"wrap-up for unrouted channel", set("routing.wrap_up", map[string]any{"fax": "10s"}), "routing.wrap_up.fax", "not in routing.capacity"},
		{"negative offer timeout", set("routing.offer_timeout", "-5s"), "routing.offer_timeout", "negative duration"},
		{"negative aging", set("routing.aging_per_minute", -1), "routing.aging_per_minute", "0 or more"},
		{"zero agents", set("agents[0].count", 0), "agents[0].count", "from 1 to"},
		{"no agents", del("agents"), "agents", "at least one agent group"},
		{"agent capacity unrouted", set("agents[0].capacity", map[string]any{"fax": 1}), "agents[0].capacity.fax", "not in routing.capacity"},
		{"reject probability", set("agents[0].reject_probability", 1.5), "agents[0].reject_probability", "from 0 to 1, got 1.5"},
		{"reject and miss over 1", edits(set("agents[0].reject_probability", 0.6), set("agents[0].miss_probability", 0.6)), "agents[0].miss_probability", "more than 1"},
		{"answer after the offer expired", set("agents[0].answer_delay", "30s"), "agents[0].answer_delay", "below the offer timeout 30s"},
		{"shift ends before it starts", set("agents[0].shifts", []any{map[string]any{"start": "2h", "end": "1h"}}), "agents[0].shifts[0].end", "after the start"},
		{"shifts overlap", set("agents[0].shifts", []any{map[string]any{"start": "0h", "end": "2h"}, map[string]any{"start": "1h", "end": "3h"}}), "agents[0].shifts[1].start", "overlaps"},
		{"negative shift start", set("agents[0].shifts", []any{map[string]any{"start": "-1h", "end": "2h"}}), "agents[0].shifts[0].start", "negative offset"},
		{"empty team name", set("agents[0].teams", []any{""}), "agents[0].teams[0]", "needs a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := mustDoc(t)
			tt.edit(doc)
			for format, parse := range map[string]func([]byte) (*Scenario, error){
				"yaml": ParseYAML, "json": ParseJSON,
			} {
				data := toYAML(t, doc)
				if format == "json" {
					data = toJSON(t, doc)
				}
				_, err := parse(data)
				if got := vernost.ErrorCode(err); got != vernost.EInvalid {
					t.Fatalf("%s: error = %v (code %q), want code %q", format, err, got, vernost.EInvalid)
				}
				if got := vernost.ErrorField(err); got != tt.wantField {
					t.Errorf("%s: field = %q, want %q (error %v)", format, got, tt.wantField, err)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) {
					t.Errorf("%s: error = %q, want it to contain %q", format, err, tt.wantMsg)
				}
			}
		})
	}
}

func TestParseRejectsBrokenFiles(t *testing.T) {
	tests := []struct {
		name    string
		parse   func([]byte) (*Scenario, error)
		data    string
		wantMsg string
	}{
		{"empty yaml", ParseYAML, "", "the file is empty"},
		{"yaml comment only", ParseYAML, "# nothing\n", "the file is empty"},
		{"yaml list at the top", ParseYAML, "- a\n- b\n", "want a mapping of keys at the top"},
		{"yaml syntax", ParseYAML, "name: [unclosed\n", "not valid YAML"},
		{"json syntax names the line", ParseJSON, "{\n\"name\": \"x\",\n}", "line 3"},
		{"json two values", ParseJSON, `{"name": "x"} {"name": "y"}`, "more than one value"},
		{"json null", ParseJSON, "null", "the file is empty"},
		{"json unknown key", ParseJSON, `{"name": "x", "agentz": []}`, "agentz: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.parse([]byte(tt.data))
			if vernost.ErrorCode(err) != vernost.EInvalid || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error = %v, want an invalid-input error containing %q", err, tt.wantMsg)
			}
		})
	}
}

func TestLoadChoosesFormatByExtension(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "s.json")
	if err := os.WriteFile(jsonPath, toJSON(t, mustDoc(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(jsonPath); err != nil {
		t.Errorf("Load(%s) = %v, want no error", jsonPath, err)
	}
	yamlPath := filepath.Join(dir, "s.yml")
	if err := os.WriteFile(yamlPath, []byte(baseYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(yamlPath); err != nil {
		t.Errorf("Load(%s) = %v, want no error", yamlPath, err)
	}
	_, err := Load(filepath.Join(dir, "missing.yaml"))
	if got := vernost.ErrorCode(err); got != vernost.ENotFound {
		t.Errorf("Load(missing) code = %q (%v), want %q", got, err, vernost.ENotFound)
	}
}

// mustDoc returns baseYAML as a generic document to edit.
func mustDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(baseYAML), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func toYAML(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	b, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func toJSON(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var pathStep = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// walkTo follows a path like "queues[0].arrivals" in a generic document,
// creating missing mappings, and calls f with the parent and the last step.
func walkTo(doc map[string]any, path string, f func(parent any, key string, index int)) {
	steps := pathStep.FindAllStringSubmatch(path, -1)
	var cur any = doc
	for i, st := range steps {
		last := i == len(steps)-1
		key, index := st[1], -1
		if st[2] != "" {
			index, _ = strconv.Atoi(st[2])
		}
		if last {
			f(cur, key, index)
			return
		}
		switch c := cur.(type) {
		case map[string]any:
			if c[key] == nil {
				c[key] = map[string]any{}
			}
			cur = c[key]
		case []any:
			cur = c[index]
		}
	}
}

func set(path string, v any) func(map[string]any) {
	return func(doc map[string]any) {
		walkTo(doc, path, func(parent any, key string, index int) {
			if index >= 0 {
				parent.([]any)[index] = v
				return
			}
			parent.(map[string]any)[key] = v
		})
	}
}

func del(path string) func(map[string]any) {
	return func(doc map[string]any) {
		walkTo(doc, path, func(parent any, key string, _ int) { delete(parent.(map[string]any), key) })
	}
}

func edits(fs ...func(map[string]any)) func(map[string]any) {
	return func(doc map[string]any) {
		for _, f := range fs {
			f(doc)
		}
	}
}
