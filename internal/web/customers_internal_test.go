package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
	ident "github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/importer"
)

func TestInLanguage(t *testing.T) {
	tests := []struct{ text, lang, want string }{
		{"Коротко и по делу. / Short and to the point.", "ru", "Коротко и по делу."},
		{"Коротко и по делу. / Short and to the point.", "en", "Short and to the point."},
		{"Только по-русски", "en", "Только по-русски"},
		{"", "ru", ""},
		{"a/b без пробелов", "en", "a/b без пробелов"},
	}
	for _, tt := range tests {
		if got := inLanguage(tt.text, tt.lang); got != tt.want {
			t.Errorf("inLanguage(%q, %s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+79161234567", "+7 916 123-45-67"},
		{"+74951234567", "+7 495 123-45-67"},
		{"+79161234567;ext=12", "+7 916 123-45-67 ext. 12"},
		{"+12025550123", "+1 202-555-0123"},
		{"not a number", "not a number"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := formatPhone(tt.in); got != tt.want {
			t.Errorf("formatPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"vip, Москва; постоянный\nновый", []string{"vip", "Москва", "постоянный", "новый"}},
		{" , ;; ", nil},
		{"один", []string{"один"}},
	}
	for _, tt := range tests {
		if got := splitList(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("splitList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentDone(t *testing.T) {
	tests := []struct {
		st   importer.JobStatus
		want int
	}{
		{importer.JobStatus{Status: importer.StatusRunning, Progress: importer.Progress{Bytes: 250, Size: 1000}}, 25},
		{importer.JobStatus{Status: importer.StatusRunning, Progress: importer.Progress{Bytes: 0, Size: 0}}, 0},
		{importer.JobStatus{Status: importer.StatusRunning, Progress: importer.Progress{Bytes: 1200, Size: 1000}}, 100},
		{importer.JobStatus{Status: importer.StatusDone, Progress: importer.Progress{Bytes: 10, Size: 1000}}, 100},
		{importer.JobStatus{Status: importer.StatusFailed}, 100},
	}
	for _, tt := range tests {
		if got := percentDone(tt.st); got != tt.want {
			t.Errorf("percentDone(%+v) = %d, want %d", tt.st, got, tt.want)
		}
	}
}

func TestImportFormOptions(t *testing.T) {
	cols := func(triples ...string) url.Values {
		v := url.Values{}
		for i := 0; i+2 < len(triples); i += 3 {
			v["map_title"] = append(v["map_title"], triples[i])
			v["map_guess"] = append(v["map_guess"], triples[i+1])
			v["map_field"] = append(v["map_field"], triples[i+2])
		}
		return v
	}
	tests := []struct {
		name    string
		f       importForm
		form    url.Values
		want    importer.Options
		wantErr string // field of the error
	}{
		{"nothing chosen", importForm{}, nil, importer.Options{}, ""},
		{"encoding and delimiter", importForm{Encoding: "windows-1251", Delimiter: "tab", Overwrite: true}, nil,
			importer.Options{Encoding: "windows-1251", Delimiter: '\t', Overwrite: true}, ""},
		{"unknown encoding", importForm{Encoding: "ebcdic"}, nil, importer.Options{}, "encoding"},
		{"unknown delimiter", importForm{Delimiter: "::"}, nil, importer.Options{}, "delimiter"},
		{"typed mapping", importForm{Mapping: "Тел=phone, Код=-"}, nil,
			importer.Options{Mapping: map[string]string{"Тел": "phone", "Код": "-"}}, ""},
		{"bad typed mapping", importForm{Mapping: "Тел"}, nil, importer.Options{}, "mapping"},
		{"only changed selects count", importForm{}, cols("ФИО", "full_name", "full_name", "Примечание", "note", "", "Х", "", "hobby"),
			importer.Options{Mapping: map[string]string{"Примечание": "-", "Х": "hobby"}}, ""},
		{"typed beats selected", importForm{Mapping: "Х=wish"}, cols("Х", "", "hobby"),
			importer.Options{Mapping: map[string]string{"Х": "wish"}}, ""},
		{"columns out of step", importForm{}, url.Values{"map_title": {"a", "b"}, "map_guess": {"", ""}, "map_field": {""}}, importer.Options{}, "mapping"},
	}
	for _, tt := range tests {
		got, err := importFormOptions(tt.f, tt.form)
		if tt.wantErr != "" {
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) != tt.wantErr {
				t.Errorf("%s: error %v, want invalid %s", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got.Encoding != tt.want.Encoding || got.Delimiter != tt.want.Delimiter || got.Overwrite != tt.want.Overwrite || !sameMap(got.Mapping, tt.want.Mapping) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestReadCustomerForm(t *testing.T) {
	defs := []customer.AttributeDef{{Key: "card_no", LabelRU: "Карта", LabelEN: "Card", Type: "text"}, {Key: "vip_since", Type: "date"}}
	form := url.Values{
		"family_name": {"Иванова"}, "given_name": {""}, "manager": {""}, "version": {"7"},
		"identity_kind":  {"phone", "email", "telegram"},
		"identity_value": {"", "a@b.ru", "@anna"},
		"tags":           {"vip, новый"},
		"attr.card_no":   {"123"}, "attr.vip_since": {""},
	}
	read := func(isNew bool) (customer.Input, customerForm) {
		r := httptest.NewRequest("POST", "/customers", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		in, f, err := readCustomerForm(r, defs, "ru", isNew)
		if err != nil {
			t.Fatal(err)
		}
		return in, f
	}
	in, f := read(true)
	if in.FamilyName == nil || *in.FamilyName != "Иванова" || in.GivenName == nil || *in.GivenName != "" {
		t.Errorf("names: %v %v, want given fields as given", in.FamilyName, in.GivenName)
	}
	if in.Patronymic != nil || in.Wish != nil {
		t.Errorf("fields the form did not carry are given: %v %v", in.Patronymic, in.Wish)
	}
	if in.Manager != nil {
		t.Errorf("new card with no manager chosen: Manager = %q, want not given", *in.Manager)
	}
	if len(in.Identities) != 2 || in.Identities[0].Kind != "email" || in.Identities[1].Value != "@anna" || len(f.Identities) != 2 {
		t.Errorf("identities %+v (rows %+v), want the two filled rows in order", in.Identities, f.Identities)
	}
	if strings.Join(in.Tags, "|") != "vip|новый" || in.Version != 7 {
		t.Errorf("tags %q version %d", in.Tags, in.Version)
	}
	if len(in.Attributes) != 1 || in.Attributes["card_no"] != "123" {
		t.Errorf("new card attributes %v, want only the filled one", in.Attributes)
	}

	in, _ = read(false)
	if in.Manager == nil || *in.Manager != "" {
		t.Errorf("edit with no manager chosen: Manager = %v, want \"\" (removes the manager)", in.Manager)
	}
	if v, ok := in.Attributes["vip_since"]; !ok || v != "" {
		t.Errorf("edit attributes %v, want the emptied one given as \"\" (removes it)", in.Attributes)
	}

	form.Set("version", "x")
	r := httptest.NewRequest("POST", "/customers", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, _, err := readCustomerForm(r, defs, "ru", false); vernost.ErrorField(err) != "version" {
		t.Errorf("bad version: %v, want an invalid version", err)
	}
}

// TestCardValuesAndScalarInput: the form's plain fields go to and come
// from the card by name, for every field the service knows.
func TestCardValuesAndScalarInput(t *testing.T) {
	c := &customer.Customer{FamilyName: "Иванова", Pronunciation: "ИвАнова", BirthDate: "1980-01-02", QuietTo: "08:00", Persona: "digital"}
	vals := cardValues(c)
	if len(vals) != len(customer.ScalarFields()) {
		t.Errorf("cardValues has %d fields, want %d", len(vals), len(customer.ScalarFields()))
	}
	for name, want := range map[string]string{"family_name": "Иванова", "pronunciation": "ИвАнова", "birth_date": "1980-01-02", "quiet_to": "08:00", "persona": "digital", "wish": ""} {
		if vals[name] != want {
			t.Errorf("cardValues[%s] = %q, want %q", name, vals[name], want)
		}
	}
	in, err := scalarInput(vals)
	if err != nil {
		t.Fatal(err)
	}
	if in.FamilyName == nil || *in.FamilyName != "Иванова" || in.QuietTo == nil || *in.QuietTo != "08:00" || in.Wish == nil || *in.Wish != "" {
		t.Errorf("scalarInput: %+v", in)
	}
}

func TestFormPlacesErrors(t *testing.T) {
	f := customerForm{
		Values:     map[string]string{"family_name": "", "birth_date": ""},
		Identities: []identityRow{{Kind: "phone", Value: "1"}, {Kind: "email", Value: "x@y.ru"}, {Kind: "phone", Value: "+79161234567"}},
		Attributes: []attributeField{{Key: "card_no"}},
		Errors:     map[string]string{},
	}
	tests := []struct {
		field  string
		placed bool
		check  func() string
		want   string
	}{
		{"birth_date", true, func() string { return f.Errors["birth_date"] }, "m1"},
		{"identities[1].value", true, func() string { return f.Identities[1].Error }, "m2"},
		{"phone", true, func() string { return f.Identities[0].Error }, "m3"}, // a conflict: the first phone row
		{"phone", true, func() string { return f.Identities[2].Error }, "m4"}, // a second one: the next phone row
		{"tags[3]", true, func() string { return f.Errors["tags"] }, "m5"},
		{"attributes.card_no", true, func() string { return f.Attributes[0].Error }, "m6"},
		{"version", false, nil, ""},
		{"identities[9].value", false, nil, ""},
		{"no_such_field", false, nil, ""},
		{"attributes.gone", false, nil, ""},
	}
	for i, tt := range tests {
		msg := "m" + string(rune('1'+i))
		if got := f.place(&vernost.Error{Code: vernost.EInvalid, Field: tt.field, Message: msg}); got != tt.placed {
			t.Errorf("place(%s) = %v, want %v", tt.field, got, tt.placed)
			continue
		}
		if tt.check != nil && tt.check() != tt.want {
			t.Errorf("place(%s): the message is at %q, want %q", tt.field, tt.check(), tt.want)
		}
	}
}

func TestTimelineDescribesEveryKind(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tl := timeline{s: &Server{catalog: cat}, lang: "ru",
		personas: []personaView{{Key: "status", Name: "Ценит статус"}, {Key: "standard", Name: "Стандартный"}},
		labels:   map[string]string{"card_no": "Номер карты"}}
	phone := customer.Identity{Kind: ident.Phone, Value: "+79161234567", Raw: "8 916 123 45 67"}
	fact := customer.Fact{Kind: "hobby", Text: "рыбалка"}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		e     customer.Event
		title string
		lines []string
		link  string
	}{
		{customer.Event{Kind: customer.EventCreated}, "Карточка создана", nil, ""},
		{customer.Event{Kind: customer.EventImported, Data: customer.EventData{Source: "a.csv"}}, "Импорт", nil, ""},
		{customer.Event{Kind: customer.EventUpdated, Data: customer.EventData{Changes: []customer.Change{
			{Field: "persona", Old: "standard", New: "status"}, {Field: "address_form", Old: "formal", New: "informal"},
			{Field: "preferred_channel", Old: "", New: "sms"}, {Field: "attributes.card_no", Old: "1", New: ""}}}},
			"Изменения", []string{"Тип клиента: Стандартный → Ценит статус", "Форма обращения: на «вы» → на «ты»",
				"Предпочтительный канал: — → SMS", "Номер карты: 1 → —"}, ""},
		{customer.Event{Kind: customer.EventIdentityAdded, Data: customer.EventData{Identity: &phone}}, "Добавлен контакт", []string{"Телефон: +7 916 123-45-67"}, ""},
		{customer.Event{Kind: customer.EventIdentityRemoved, Data: customer.EventData{Identity: &phone}}, "Удалён контакт", []string{"Телефон: +7 916 123-45-67"}, ""},
		{customer.Event{Kind: customer.EventFactAdded, Data: customer.EventData{Fact: &fact}}, "Новый факт", []string{"Хобби: рыбалка"}, ""},
		{customer.Event{Kind: customer.EventFactRemoved, Data: customer.EventData{Fact: &customer.Fact{Kind: "pets", Text: "кот"}}}, "Удалён факт", []string{"pets: кот"}, ""},
		{customer.Event{Kind: customer.EventConsent, Data: customer.EventData{Consent: &customer.Consent{Channel: "email", Purpose: "marketing", Granted: true, Source: "сайт", At: at}}},
			"Согласие", []string{"E-mail, реклама и рассылки: дано (источник: сайт)"}, ""},
		{customer.Event{Kind: customer.EventManager, Data: customer.EventData{Changes: []customer.Change{{Field: "manager", Old: "", New: "Ольга"}}}}, "Смена менеджера", []string{"Менеджер: — → Ольга"}, ""},
		{customer.Event{Kind: customer.EventTags, Data: customer.EventData{Text: "vip, новый"}}, "Метки", []string{"Добавлены: vip, новый"}, ""},
		{customer.Event{Kind: customer.EventTags, Data: customer.EventData{Changes: []customer.Change{{Field: "tags", Old: "vip"}}}}, "Метки", []string{"Снята: vip"}, ""},
		{customer.Event{Kind: customer.EventMerged, Data: customer.EventData{Other: "abc", Text: "Федорова Алена"}}, "Объединение карточек", []string{"Присоединена карточка «Федорова Алена»"}, "/customers/abc"},
		{customer.Event{Kind: customer.EventAbsorbed, Data: customer.EventData{Other: "def"}}, "Присоединена к другой карточке", nil, "/customers/def"},
		{customer.Event{Kind: customer.EventMergeUndone, Data: customer.EventData{Other: "abc", Text: "m1"}}, "Объединение отменено", []string{"Объединение m1"}, "/customers/abc"},
		{customer.Event{Kind: customer.EventErased, Data: customer.EventData{Text: "просьба клиента"}}, "Персональные данные удалены", []string{"Причина: просьба клиента"}, ""},
		{customer.Event{Kind: customer.EventNote, Data: customer.EventData{Text: "перезвонить"}}, "Заметка", []string{"перезвонить"}, ""},
		{customer.Event{Kind: "from_the_future", Data: customer.EventData{Text: "что-то"}}, "from_the_future", []string{"что-то"}, ""},
	}
	for _, tt := range tests {
		got := tl.describe(tt.e)
		if got.Title != tt.title || strings.Join(got.Lines, "|") != strings.Join(tt.lines, "|") || got.Link != tt.link {
			t.Errorf("%s: %q %q %q, want %q %q %q", tt.e.Kind, got.Title, got.Lines, got.Link, tt.title, tt.lines, tt.link)
		}
	}
}
