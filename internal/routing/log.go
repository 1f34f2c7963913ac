package routing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/vernost/vernost"
)

// The event log is JSON lines: {"type":"enqueue","event":{…}} per event, so
// that a run can be stored, inspected and replayed with Replay.

var eventTypes = map[string]func() Event{
	"agent_login": func() Event { return &AgentLogin{} },
	"agent_state": func() Event { return &AgentState{} },
	"enqueue":     func() Event { return &Enqueue{} },
	"accept":      func() Event { return &Accept{} },
	"reject":      func() Event { return &Reject{} },
	"complete":    func() Event { return &Complete{} },
	"cancel":      func() Event { return &Cancel{} },
	"transfer":    func() Event { return &Transfer{} },
	"advance":     func() Event { return &Advance{} },
}

func eventType(ev Event) string {
	switch ev.(type) {
	case AgentLogin:
		return "agent_login"
	case AgentState:
		return "agent_state"
	case Enqueue:
		return "enqueue"
	case Accept:
		return "accept"
	case Reject:
		return "reject"
	case Complete:
		return "complete"
	case Cancel:
		return "cancel"
	case Transfer:
		return "transfer"
	case Advance:
		return "advance"
	}
	return ""
}

type logLine struct {
	Type  string          `json:"type"`
	Event json.RawMessage `json:"event"`
}

// maxLogLine bounds one line of an event log (an agent with many skills is
// a few kilobytes).
const maxLogLine = 1 << 20

// WriteLog writes events as JSON lines.
func WriteLog(w io.Writer, events []Event) error {
	bw := bufio.NewWriter(w)
	for i, ev := range events {
		if ev != nil {
			ev = valueOf(ev)
		}
		typ := eventType(ev)
		if typ == "" {
			return vernost.Invalid(fmt.Sprintf("events[%d]", i), "unknown event type %T", ev)
		}
		body, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("encode event %d: %w", i, err)
		}
		line, err := json.Marshal(logLine{Type: typ, Event: body})
		if err != nil {
			return fmt.Errorf("encode event %d: %w", i, err)
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ReadLog reads an event log written by WriteLog. Errors name the line.
func ReadLog(r io.Reader) ([]Event, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLogLine)
	var events []Event
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		ev, err := parseLogLine(sc.Bytes())
		if err != nil {
			return nil, vernost.Invalid(fmt.Sprintf("line %d", n), "%s", err)
		}
		events = append(events, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, vernost.Invalid("log", "%s", err)
	}
	return events, nil
}

func parseLogLine(b []byte) (Event, error) {
	var line logLine
	if err := json.Unmarshal(b, &line); err != nil {
		return nil, err
	}
	mk := eventTypes[line.Type]
	if mk == nil {
		return nil, fmt.Errorf("unknown event type %q", line.Type)
	}
	if len(line.Event) == 0 {
		return nil, fmt.Errorf("%s: no event", line.Type)
	}
	p := mk()
	if err := json.Unmarshal(line.Event, p); err != nil {
		return nil, fmt.Errorf("%s: %w", line.Type, err)
	}
	return valueOf(p), nil
}

// valueOf turns a pointer to an event into the event value the engine
// handles; nil for a nil pointer.
func valueOf(ev Event) Event {
	switch p := ev.(type) {
	case *AgentLogin:
		if p != nil {
			return *p
		}
	case *AgentState:
		if p != nil {
			return *p
		}
	case *Enqueue:
		if p != nil {
			return *p
		}
	case *Accept:
		if p != nil {
			return *p
		}
	case *Reject:
		if p != nil {
			return *p
		}
	case *Complete:
		if p != nil {
			return *p
		}
	case *Cancel:
		if p != nil {
			return *p
		}
	case *Transfer:
		if p != nil {
			return *p
		}
	case *Advance:
		if p != nil {
			return *p
		}
	default:
		return ev
	}
	return nil
}
