package demo

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/tabular"
)

func people(seed int64, n int) []Person {
	g := &Generator{Seed: seed}
	out := make([]Person, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b := people(7, 2000), people(7, 2000)
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Fatalf("person %d differs between two generators with seed 7:\n%+v\n%+v", i+1, a[i], b[i])
		}
	}
	other := people(8, 2000)
	same := 0
	for i := range a {
		if a[i].FamilyName == other[i].FamilyName && a[i].GivenName == other[i].GivenName {
			same++
		}
	}
	if same > 200 { // chance agreement is about 1 in 1000 per person
		t.Errorf("seeds 7 and 8 give %d of 2000 people the same name; want different people", same)
	}
}

func TestFemaleFamily(t *testing.T) {
	tests := []struct{ male, female string }{
		{"Иванов", "Иванова"}, {"Королёв", "Королёва"}, {"Соловьёв", "Соловьёва"}, {"Ильин", "Ильина"},
		{"Вишневский", "Вишневская"}, {"Троицкий", "Троицкая"}, {"Толстой", "Толстая"}, {"Донской", "Донская"},
		{"Шевченко", "Шевченко"}, {"Ким", "Ким"}, {"Седых", "Седых"}, {"Ковальчук", "Ковальчук"}, {"Петросян", "Петросян"},
	}
	for _, tt := range tests {
		if got := femaleFamily(tt.male); got != tt.female {
			t.Errorf("femaleFamily(%q) = %q; want %q", tt.male, got, tt.female)
		}
	}
}

// The patronymic tables must give endings that match the gender, and ones
// the importer's name splitter recognises.
func TestPatronymicTable(t *testing.T) {
	for _, m := range maleNames {
		if !strings.HasSuffix(m.Son, "ич") {
			t.Errorf("%s: son's patronymic %q does not end in -ич", m.Name, m.Son)
		}
		if !strings.HasSuffix(m.Daughter, "вна") && !strings.HasSuffix(m.Daughter, "ична") {
			t.Errorf("%s: daughter's patronymic %q does not end in -вна or -ична", m.Name, m.Daughter)
		}
		for _, patronymic := range []string{m.Son, m.Daughter} {
			full := "Анна " + patronymic + " Иванова"
			if f, g, p := tabular.SplitFullName(full); f != "Иванова" || g != "Анна" || p != patronymic {
				t.Errorf("SplitFullName(%q) = %q, %q, %q; want the patronymic recognised", full, f, g, p)
			}
		}
	}
}

func TestGenderAgreement(t *testing.T) {
	feminine := map[string]bool{}
	for _, m := range familyNames {
		feminine[femaleFamily(m)] = true
	}
	for _, p := range people(1, 20000) {
		if p.Patronymic == "" {
			continue // English
		}
		switch p.Gender {
		case "female":
			if !feminine[p.FamilyName] || !strings.HasSuffix(p.Patronymic, "на") {
				t.Errorf("woman %s %s %s: family name or patronymic is not feminine", p.FamilyName, p.GivenName, p.Patronymic)
			}
			if !slices.ContainsFunc(femaleNames, func(f femaleName) bool { return f.Name == p.GivenName }) {
				t.Errorf("woman with given name %q, not a woman's name", p.GivenName)
			}
		case "male":
			if !slices.Contains(familyNames, p.FamilyName) || !strings.HasSuffix(p.Patronymic, "ич") {
				t.Errorf("man %s %s %s: family name or patronymic is not masculine", p.FamilyName, p.GivenName, p.Patronymic)
			}
		default:
			t.Errorf("person %d has gender %q", p.Seq, p.Gender)
		}
	}
}

// TestPeopleAreRealistic checks the mix over 20,000 people, with generous
// tolerances around the intended shares.
func TestPeopleAreRealistic(t *testing.T) {
	const n = 20000
	operators := map[string]bool{}
	for _, o := range Operators() {
		if o.Manager {
			operators[o.Login] = true
		}
	}
	var english, withYo, hints, managed, wishes int
	personas := map[string]int{}
	for _, p := range people(3, n) {
		if p.Language == "en" {
			english++
		}
		if strings.ContainsAny(p.FamilyName+p.GivenName+p.Patronymic, "ёЁ") {
			withYo++
		}
		if p.Pronunciation != "" {
			hints++
		}
		if p.Wish != "" {
			wishes++
		}
		personas[p.Persona]++
		age := ageReference.Year() - p.BirthDate.Year()
		if age < 18 || age > 87 {
			t.Errorf("person %d born %s: age %d outside 18–87", p.Seq, p.BirthDate.Format("2006-01-02"), age)
		}
		if len(p.Facts) < 1 || len(p.Facts) > 3 {
			t.Errorf("person %d has %d facts; want 1 to 3", p.Seq, len(p.Facts))
		}
		kinds := map[string]bool{}
		for _, f := range p.Facts {
			if kinds[f.Kind] || f.Text == "" {
				t.Errorf("person %d: fact %+v repeats a kind or is empty", p.Seq, f)
			}
			kinds[f.Kind] = true
		}
		if p.PreferredName == "" {
			t.Errorf("person %d has no preferred name", p.Seq)
		}
		if p.Manager != "" {
			managed++
			if !operators[p.Manager] {
				t.Errorf("person %d has manager %q, not a managing operator", p.Seq, p.Manager)
			}
		}
		checkChannels(t, p)
	}
	within := func(what string, got, lo, hi int) {
		if got < lo || got > hi {
			t.Errorf("%s: %d of %d; want %d to %d", what, got, n, lo, hi)
		}
	}
	within("English speakers (~13.5%)", english, n*11/100, n*16/100)
	within("names with ё", withYo, n*5/100, n*40/100)
	within("pronunciation hints", hints, n*2/100, n*20/100)
	within("personal managers", managed, n*5/100, n*20/100)
	within("wishes (~30%)", wishes, n*27/100, n*33/100)
	for _, persona := range []string{PersonaStatus, PersonaFriendly, PersonaDigital, PersonaStandard} {
		within("persona "+persona, personas[persona], n*5/100, n*50/100)
	}
}

// checkChannels: the preferred channel and the consents must be ones the
// customer can be reached on.
func checkChannels(t *testing.T, p Person) {
	t.Helper()
	reach := map[string]string{ChannelPhone: "phone", ChannelSMS: "phone", ChannelEmail: "email", ChannelTelegram: "telegram"}
	has := func(kind string) bool {
		return slices.ContainsFunc(p.Identities, func(i IdentityInput) bool { return i.Kind == kind })
	}
	if kind := reach[p.PreferredChannel]; kind == "" || !has(kind) && has("phone") {
		t.Errorf("person %d prefers %q but has %+v", p.Seq, p.PreferredChannel, p.Identities)
	}
	for _, c := range p.Consents {
		if !has(reach[c]) {
			t.Errorf("person %d consents to %q but has %+v", p.Seq, c, p.Identities)
		}
	}
}

// TestIdentitiesNormalise runs every identity of 20,000 people through the
// identity package: all must be valid, one to three per person, and no two
// people may share one.
func TestIdentitiesNormalise(t *testing.T) {
	owner := map[string]int{}
	for _, p := range people(11, 20000) {
		if len(p.Identities) < 1 || len(p.Identities) > 3 {
			t.Errorf("person %d has %d identities; want 1 to 3", p.Seq, len(p.Identities))
		}
		for _, in := range p.Identities {
			id, err := identity.Normalize(identity.Kind(in.Kind), in.Raw, identity.Options{})
			if err != nil {
				t.Errorf("person %d: %s %q does not normalise: %v", p.Seq, in.Kind, in.Raw, err)
				continue
			}
			key := in.Kind + " " + id.Value
			if prev, taken := owner[key]; taken {
				t.Errorf("%s belongs to persons %d and %d", key, prev, p.Seq)
			}
			owner[key] = p.Seq
		}
	}
}

// Every number under our operator codes must be a valid mobile number, or
// the importer would reject demo rows.
func TestPhoneCodesAreValid(t *testing.T) {
	for _, code := range ruMobileCodes {
		for _, sub := range []string{"0000000", "5555555", "9999999"} {
			raw := "+7" + strconv.Itoa(code) + sub
			if _, err := identity.Normalize(identity.Phone, raw, identity.Options{}); err != nil {
				t.Errorf("code %d: %s: %v", code, raw, err)
			}
		}
	}
	for prefix := 7400; prefix < 7400+ukPrefixes; prefix++ {
		for _, sub := range []string{"000000", "999999"} {
			raw := "+44" + strconv.Itoa(prefix) + sub
			if _, err := identity.Normalize(identity.Phone, raw, identity.Options{}); err != nil {
				t.Errorf("UK prefix %d: %s: %v", prefix, raw, err)
			}
		}
	}
}

// Phones must be unique across the 1,000,000 rows of the load test; the
// permutation guarantees it, and this checks 200,000 of them.
func TestPhonesUnique(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 200,000 people")
	}
	seen := make(map[string]int, 200_000)
	g := &Generator{Seed: 42}
	for range 200_000 {
		p := g.Next()
		for _, in := range p.Identities {
			if in.Kind != "phone" {
				continue
			}
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, in.Raw)
			if !strings.HasPrefix(in.Raw, "+44") {
				digits = "7" + digits[len(digits)-10:] // 8…, 7…, +7… and bare 10 digits alike
			}
			if prev, dup := seen[digits]; dup {
				t.Fatalf("phone %s (%q) of person %d was already given to person %d", digits, in.Raw, p.Seq, prev)
			}
			seen[digits] = p.Seq
		}
	}
	if len(seen) < 150_000 {
		t.Errorf("only %d phones among 200,000 people; want about 92%%", len(seen))
	}
}

func TestOperators(t *testing.T) {
	roles := map[string]int{}
	logins := map[string]bool{}
	for _, o := range Operators() {
		roles[o.Role]++
		if logins[o.Login] {
			t.Errorf("login %q is used twice", o.Login)
		}
		logins[o.Login] = true
		for _, r := range o.Login {
			if r >= utf8.RuneSelf {
				t.Errorf("login %q is not ASCII", o.Login)
				break
			}
		}
		if o.FamilyName == "" || o.GivenName == "" || o.Patronymic == "" {
			t.Errorf("operator %q lacks a name part: %+v", o.Login, o)
		}
	}
	for _, role := range []string{RoleAgent, RoleSupervisor, RoleAdmin} {
		if roles[role] == 0 {
			t.Errorf("no operator has role %q", role)
		}
	}
	if len(managers()) < 3 {
		t.Errorf("%d personal managers; want at least 3", len(managers()))
	}
}

// permute must be a bijection for the moduli in use: no two of the first
// m indices may collide (checked fully for the UK space, m = 10,000,000).
func TestPermuteIsBijective(t *testing.T) {
	if testing.Short() {
		t.Skip("checks 10,000,000 indices")
	}
	const m = ukPrefixes * ukSubscribers
	seen := make([]bool, m)
	for seq := range m {
		i := permute(seq, -3, m)
		if i >= m || seen[i] {
			t.Fatalf("permute(%d) = %d: out of range or repeated", seq, i)
		}
		seen[i] = true
	}
	if g := gcd(scramble, uint64(len(ruMobileCodes))*ruSubscribers); g != 1 {
		t.Errorf("gcd(scramble, Russian number space) = %d; want 1", g)
	}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
