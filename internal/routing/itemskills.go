package routing

import (
	"encoding/binary"
	"slices"
)

// skillList is an item's skills as listed and as sorted requirements,
// shared by every item that lists the same skills at the same levels in the
// same order. Items come from a catalog of topics (an IVR menu, a chat
// form), so an Enqueue usually finds its lists here and allocates neither.
// Both slices are read-only: a transfer replaces them, never edits them.
//
// Lists are kept for the engine's life, as queues are: one entry per
// distinct list, a few dozen bytes each.
type skillList struct {
	spec []SkillLevel
	reqs []skillReq
}

// itemSkills returns the shared lists for checked skills, interning the
// skill names.
func (e *Engine) itemSkills(skills []SkillLevel) skillList {
	if len(skills) == 0 {
		return skillList{spec: slices.Clone(skills)}
	}
	k := e.listBuf[:0]
	for _, s := range skills {
		k = binary.AppendUvarint(k, uint64(e.internSkill(s.Skill)))
		k = append(k, byte(s.Level))
	}
	e.listBuf = k
	if l, ok := e.lists[string(k)]; ok {
		return l
	}
	l := skillList{spec: slices.Clone(skills), reqs: e.internSkills(skills)}
	e.lists[string(k)] = l
	return l
}
