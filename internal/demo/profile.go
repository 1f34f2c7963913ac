package demo

import "slices"

// addressAndChannel sets how to address p, the preferred channel, the
// consents and, for some, a personal manager.
func (g *Generator) addressAndChannel(p *Person, english bool) {
	rng := g.rng
	p.Formal = p.Persona == PersonaStatus || p.Persona == PersonaStandard
	switch {
	case english && p.Formal:
		title := "Mr"
		if p.Gender == "female" {
			title = "Ms"
			if rng.IntN(3) == 0 {
				title = "Mrs"
			}
		}
		p.PreferredName = title + " " + p.FamilyName
	case english:
		p.PreferredName = p.GivenName
		if short, ok := englishShort[p.GivenName]; ok && p.Persona == PersonaFriendly {
			p.PreferredName = short
		}
	case p.Formal:
		p.PreferredName = p.GivenName + " " + p.Patronymic
	case p.Persona == PersonaFriendly:
		p.PreferredName = shortRussian(p.GivenName)
	default:
		p.PreferredName = p.GivenName
	}

	has := func(kind string) bool {
		return slices.ContainsFunc(p.Identities, func(i IdentityInput) bool { return i.Kind == kind })
	}
	switch {
	case p.Persona == PersonaDigital && has("telegram"):
		p.PreferredChannel = ChannelTelegram
	case p.Persona == PersonaDigital && has("email"):
		p.PreferredChannel = ChannelEmail
	case has("phone") && p.Persona == PersonaStandard && rng.IntN(3) == 0:
		p.PreferredChannel = ChannelSMS
	case has("phone"):
		p.PreferredChannel = ChannelPhone
	case has("email"):
		p.PreferredChannel = ChannelEmail
	case has("telegram"):
		p.PreferredChannel = ChannelTelegram
	default:
		p.PreferredChannel = ChannelPhone // known only by an external id: we call when we learn the number
	}

	if has("email") && rng.IntN(100) < 60 {
		p.Consents = append(p.Consents, ChannelEmail)
	}
	if has("phone") && rng.IntN(100) < 50 {
		p.Consents = append(p.Consents, ChannelSMS)
	}
	if has("phone") && rng.IntN(100) < 25 {
		p.Consents = append(p.Consents, ChannelPhone)
	}
	if has("telegram") && rng.IntN(100) < 60 {
		p.Consents = append(p.Consents, ChannelTelegram)
	}

	chance := 5
	if p.Persona == PersonaStatus {
		chance = 40
	}
	if rng.IntN(100) < chance {
		p.Manager = g.managers[rng.IntN(len(g.managers))]
	}
}

// shortRussian finds the everyday form of a Russian given name.
func shortRussian(given string) string {
	for _, m := range maleNames {
		if m.Name == given {
			return m.Short
		}
	}
	for _, f := range femaleNames {
		if f.Name == given {
			return f.Short
		}
	}
	return given
}

// factsAndWishes gives p one to three facts of different kinds and, to
// some, a wish.
func (g *Generator) factsAndWishes(p *Person) {
	rng := g.rng
	texts := factTexts[p.Language]
	kinds := []string{FactHobby, FactFamily, FactFavourite, FactPromise}
	rng.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	n := 1 + rng.IntN(3)
	p.Facts = make([]Fact, 0, n)
	for _, kind := range kinds[:n] {
		list := texts[kind]
		p.Facts = append(p.Facts, Fact{Kind: kind, Text: list[rng.IntN(len(list))]})
	}
	if rng.IntN(100) < 30 {
		list := wishes[p.Language]
		p.Wish = list[rng.IntN(len(list))]
	}
}
