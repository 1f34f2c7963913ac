// Package demo invents realistic customers for the demo organisation and
// for load tests: Russian and English names with correct gender forms and
// patronymics, phones and emails as people type them, personas, facts and
// consents — the same people for the same seed, every time.
//
// It describes people with plain fields and imports no domain package; the
// callers (the demo seeder, bench/) turn a Person into whatever they store.
package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/vernost/vernost/internal/textkey"
)

// Fact is one thing worth knowing about a customer.
type Fact struct {
	Kind string // FactHobby, FactFamily, FactFavourite, FactPromise
	Text string
}

// IdentityInput is an identity as the customer gave it, not normalised.
// Kind uses the identity package's names: "phone", "email", "telegram",
// "external" ("system:id").
type IdentityInput struct {
	Kind string
	Raw  string
}

// Person is one invented customer.
type Person struct {
	Seq        int // 1 for a generator's first person
	FamilyName string
	GivenName  string
	Patronymic string // "" for English names
	Gender     string // "female" or "male"
	BirthDate  time.Time
	Language   string // "ru" or "en"

	PreferredName string // what to call them: "Анна Сергеевна", "Аня", "Mr Blunt", "Jim"
	Formal        bool   // "вы" and name with patronymic (or title and surname)
	Pronunciation string // a hint for the operator, "ударение: КоролЁв", or ""

	Persona          string // PersonaStatus, PersonaFriendly, PersonaDigital, PersonaStandard
	PreferredChannel string // ChannelPhone, ChannelSMS, ChannelEmail, ChannelTelegram
	Identities       []IdentityInput
	Facts            []Fact
	Wish             string   // "what is the best we could do for you?", or ""
	Consents         []string // channels the customer agreed to receive campaigns on
	Manager          string   // login of the personal manager (see Operators), or ""
}

// Generator makes a deterministic sequence of people from Seed. The zero
// value with a Seed set is ready to use. Phones, emails, Telegram handles
// and external ids are unique across the first 10,000,000 people.
type Generator struct {
	Seed int64

	rng      *rand.Rand
	seq      int
	managers []string
}

// ageReference is the date ages are counted from, fixed so that a seed
// gives the same birth dates in any year.
var ageReference = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Next returns the next person.
func (g *Generator) Next() Person {
	if g.rng == nil {
		g.rng = rand.New(rand.NewPCG(uint64(g.Seed), 0x9e3779b97f4a7c15))
		g.managers = managers()
	}
	g.seq++
	rng := g.rng
	p := Person{Seq: g.seq, Gender: "female", Language: "ru"}
	if rng.IntN(2) == 0 {
		p.Gender = "male"
	}
	english := rng.IntN(100) < 15
	if english {
		g.englishName(&p)
	} else {
		g.russianName(&p)
	}

	young := rng.IntN(100) < 35
	age := 35 + rng.IntN(51)
	if young {
		age = 18 + rng.IntN(17)
	}
	p.BirthDate = ageReference.AddDate(-age-1, 0, rng.IntN(365))
	p.Persona = pickPersona(rng, young)

	g.identities(&p, english)
	g.addressAndChannel(&p, english)
	g.factsAndWishes(&p)
	return p
}

func (g *Generator) russianName(p *Person) {
	rng := g.rng
	father := maleNames[rng.IntN(len(maleNames))]
	family := familyNames[rng.IntN(len(familyNames))]
	if p.Gender == "male" {
		m := maleNames[rng.IntN(len(maleNames))]
		p.GivenName, p.Patronymic, p.FamilyName = m.Name, father.Son, family
	} else {
		f := femaleNames[rng.IntN(len(femaleNames))]
		p.GivenName, p.Patronymic, p.FamilyName = f.Name, father.Daughter, femaleFamily(family)
	}
	if hint, ok := stressHints[family]; ok && rng.IntN(2) == 0 {
		if p.Gender == "female" {
			hint = femaleFamily(hint)
		}
		// A hint must spell the same name (the feminine rules only know
		// lower-case endings, so a stressed ending cannot be derived).
		if strings.EqualFold(hint, p.FamilyName) {
			p.Pronunciation = "ударение: " + hint
		}
	}
}

func (g *Generator) englishName(p *Person) {
	rng := g.rng
	if rng.IntN(10) > 0 {
		p.Language = "en"
	}
	if p.Gender == "male" {
		p.GivenName = englishMale[rng.IntN(len(englishMale))]
	} else {
		p.GivenName = englishFemale[rng.IntN(len(englishFemale))]
	}
	p.FamilyName = englishFamily[rng.IntN(len(englishFamily))]
	p.Pronunciation = englishHints[p.FamilyName]
}

// pickPersona: the young lean digital, the older towards status.
func pickPersona(rng *rand.Rand, young bool) string {
	n := rng.IntN(100)
	if young {
		switch {
		case n < 45:
			return PersonaDigital
		case n < 70:
			return PersonaFriendly
		case n < 95:
			return PersonaStandard
		}
		return PersonaStatus
	}
	switch {
	case n < 30:
		return PersonaStatus
	case n < 55:
		return PersonaFriendly
	case n < 95:
		return PersonaStandard
	}
	return PersonaDigital
}

// latinName renders a name for emails and handles: transliterated,
// lower-case, letters only. Names from our lists are looked up, since this
// runs for every generated person.
func latinName(s string) string {
	if l, ok := latinNames[s]; ok {
		return l
	}
	return transliterate(s)
}

var latinNames = func() map[string]string {
	m := map[string]string{}
	add := func(names ...string) {
		for _, n := range names {
			m[n] = transliterate(n)
		}
	}
	for _, n := range maleNames {
		add(n.Name)
	}
	for _, n := range femaleNames {
		add(n.Name)
	}
	for _, n := range familyNames {
		add(n, femaleFamily(n))
	}
	add(englishMale...)
	add(englishFemale...)
	add(englishFamily...)
	return m
}()

func transliterate(s string) string {
	t := strings.ToLower(textkey.Translit(s))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, t)
}
