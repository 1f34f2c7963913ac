package sim

import (
	"time"

	"github.com/vernost/vernost/internal/routing"
)

// kind is what a simulated event does when its time comes.
type kind uint8

const (
	arrive     kind = iota // a customer of queue n makes contact
	answer                 // agent accepts (n=1) or rejects (n=0) the offer of contact
	finish                 // agent's handle time on contact is over
	giveUp                 // the customer of contact runs out of patience
	shiftStart             // agent logs in for shift n
	shiftEnd               // agent logs out at the end of shift n
	comeBack               // agent returns from away
	wake                   // the engine's next timer is due (offer, step or wrap-up); epoch is run.wakeGen
	wrapEnd                // agent's wrap-up time is over, as the simulator counts it
)

// event is one entry of the simulation's agenda. Events about a contact
// carry the contact's epoch at scheduling time: when the contact has moved
// on since (offer revoked, transferred), the event is stale and dropped.
type event struct {
	at      time.Duration // since the start of the day
	seq     uint64        // ties break in scheduling order, for reproducibility
	kind    kind
	contact int32 // index into run.contacts; -1 for none
	agent   routing.AgentID
	n       int32
	epoch   uint32
}

func (e *event) before(o *event) bool {
	if e.at != o.at {
		return e.at < o.at
	}
	return e.seq < o.seq
}

// agenda is a binary min-heap of events by time. It is written out rather
// than built on container/heap to avoid boxing every event in an interface:
// the loop pushes and pops several events per contact.
type agenda struct {
	items []event
	seq   uint64
}

func (h *agenda) len() int { return len(h.items) }

func (h *agenda) push(e event) {
	h.seq++
	e.seq = h.seq
	h.items = append(h.items, e)
	i := len(h.items) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h.items[i].before(&h.items[parent]) {
			break
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *agenda) pop() event {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, r, small := 2*i+1, 2*i+2, i
		if l < last && h.items[l].before(&h.items[small]) {
			small = l
		}
		if r < last && h.items[r].before(&h.items[small]) {
			small = r
		}
		if small == i {
			break
		}
		h.items[i], h.items[small] = h.items[small], h.items[i]
		i = small
	}
	return top
}
