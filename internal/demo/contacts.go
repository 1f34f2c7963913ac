package demo

import (
	"fmt"
	"strconv"
	"strings"
)

// Russian mobile operator codes; every number under them is a valid mobile
// number for libphonenumber (a test checks).
var ruMobileCodes = []int{
	900, 901, 902, 903, 904, 905, 906, 908, 909, 910, 911, 912, 913, 914, 915, 916, 917, 918, 919,
	920, 921, 922, 923, 924, 925, 926, 927, 928, 929, 930, 931, 932, 933, 934, 936, 937, 938, 939,
	950, 951, 952, 953, 958, 960, 961, 962, 963, 964, 965, 966, 967, 968, 969, 977, 978,
	980, 981, 982, 983, 984, 985, 986, 987, 988, 989, 991, 992, 993, 994, 995, 996, 997, 999,
}

// UK mobile prefixes (07400–07409) for some English customers.
const (
	ukPrefixes    = 10
	ukSubscribers = 1_000_000
	ruSubscribers = 10_000_000
)

// permute maps seq to a distinct index below m: multiplying by a number
// coprime to m is a bijection modulo m, so numbers never repeat (for
// seq < m), and a multiplier with scrambled low digits keeps consecutive
// people's numbers from looking consecutive. The seed shifts the sequence.
func permute(seq int, seed int64, m uint64) uint64 {
	return (uint64(seq)%m*(scramble%m) + uint64(seed)%m) % m
}

// scramble is 3^18: coprime to every m used here (their prime factors are
// 2, 5 and 19), with digits that look random.
const scramble = 387_420_489

// ruPhone returns person seq's Russian mobile, typed in one of the ways
// people write numbers.
func ruPhone(seq int, seed int64, style int) string {
	idx := permute(seq, seed, uint64(len(ruMobileCodes))*ruSubscribers)
	code := ruMobileCodes[idx/ruSubscribers]
	sub := int(idx % ruSubscribers)
	a, b, c := sub/10000, sub/100%100, sub%100
	switch style % 8 {
	case 0:
		return fmt.Sprintf("8 (%03d) %03d-%02d-%02d", code, a, b, c)
	case 1:
		return fmt.Sprintf("+7 %03d %03d-%02d-%02d", code, a, b, c)
	case 2:
		return fmt.Sprintf("8%03d%07d", code, sub)
	case 3:
		return fmt.Sprintf("+7%03d%07d", code, sub)
	case 4:
		return fmt.Sprintf("8-%03d-%03d-%02d-%02d", code, a, b, c)
	case 5:
		return fmt.Sprintf("+7 (%03d) %03d %02d %02d", code, a, b, c)
	case 6:
		return fmt.Sprintf("%03d %03d %02d %02d", code, a, b, c)
	}
	return fmt.Sprintf("7%03d%07d", code, sub)
}

// ukPhone returns person seq's UK mobile, always with the country code
// (the default region is Russia).
func ukPhone(seq int, seed int64, style int) string {
	idx := permute(seq, seed, ukPrefixes*ukSubscribers)
	prefix, sub := 7400+int(idx/ukSubscribers), int(idx%ukSubscribers)
	if style%2 == 0 {
		return fmt.Sprintf("+44 %d %06d", prefix, sub)
	}
	return fmt.Sprintf("+44%d%06d", prefix, sub)
}

// identities gives p one to three identities: most have a phone, many an
// email, the digital ones a Telegram handle, some an id in 1C or the shop.
func (g *Generator) identities(p *Person, english bool) {
	rng := g.rng
	digital := p.Persona == PersonaDigital
	hasPhone := rng.IntN(100) < 92
	hasEmail := rng.IntN(100) < 50 || digital && rng.IntN(100) < 40
	hasTelegram := digital && rng.IntN(100) < 70 || rng.IntN(100) < 8
	hasExternal := rng.IntN(100) < 30
	if !hasPhone && !hasEmail && !hasTelegram && !hasExternal {
		hasPhone = true
	}
	if hasPhone && hasEmail && hasTelegram && hasExternal {
		hasExternal = false // at most three
	}

	given, family := latinName(p.GivenName), latinName(p.FamilyName)
	if given == "" || family == "" { // cannot happen with our lists; keep handles valid anyway
		given, family = "client", "vernost"
	}
	seq := strconv.Itoa(p.Seq)
	style := rng.IntN(8)
	if hasPhone {
		raw := ruPhone(p.Seq, g.Seed, style)
		if english && rng.IntN(100) < 40 {
			raw = ukPhone(p.Seq, g.Seed, style)
		}
		p.Identities = append(p.Identities, IdentityInput{Kind: "phone", Raw: raw})
	}
	if hasEmail {
		var local string
		switch style % 5 {
		case 0:
			local = given + "." + family
		case 1:
			local = family + "." + given
		case 2:
			local = given[:1] + "." + family
		case 3:
			local = given + "_" + family
		default:
			local = family + given[:1]
		}
		domain := emailDomains[rng.IntN(len(emailDomains))]
		raw := local + seq + "@" + domain
		if rng.IntN(10) == 0 { // typed with capitals, as people do
			raw = strings.ToUpper(raw[:1]) + raw[1:]
		}
		p.Identities = append(p.Identities, IdentityInput{Kind: "email", Raw: raw})
	}
	if hasTelegram {
		handle := given + "_" + family
		if room := 32 - len(seq) - 1; len(handle) > room {
			handle = handle[:room]
		}
		handle += "_" + seq
		switch style % 3 {
		case 0:
			handle = "@" + handle
		case 1:
			handle = "t.me/" + handle
		}
		p.Identities = append(p.Identities, IdentityInput{Kind: "telegram", Raw: handle})
	}
	if hasExternal {
		raw := fmt.Sprintf("1c:%06d", p.Seq)
		if style%3 == 0 {
			raw = "shop:S-" + seq
		}
		p.Identities = append(p.Identities, IdentityInput{Kind: "external", Raw: raw})
	}
}
