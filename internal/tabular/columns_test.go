package tabular

import (
	"maps"
	"testing"
)

// customerFields is the list the customer importer passes.
var customerFields = []FieldSpec{
	{Name: "family_name", Synonyms: []string{"Фамилия", "last name", "surname", "family name"}},
	{Name: "given_name", Synonyms: []string{"Имя", "first name", "given name"}},
	{Name: "patronymic", Synonyms: []string{"Отчество", "middle name"}},
	{Name: "full_name", Synonyms: []string{"ФИО", "name", "Клиент", "full name", "customer"}},
	{Name: "phone", Synonyms: []string{"Телефон", "Мобильный", "Мобильный телефон", "phone", "mobile"}, Multiple: true},
	{Name: "email", Synonyms: []string{"E-mail", "Почта", "Электронная почта", "email"}, Multiple: true},
	{Name: "birth_date", Synonyms: []string{"Дата рождения", "birthday", "date of birth"}},
	{Name: "external_id", Synonyms: []string{"Код", "Внешний ID", "ID клиента", "customer id"}},
	{Name: "telegram", Synonyms: []string{"Telegram", "Телеграм"}},
}

func TestGuessColumns(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   map[int]string
	}{
		{
			name:   "Russian export",
			header: []string{"Фамилия", "Имя", "Отчество", "Моб. телефон", "E-mail адрес", "Дата рождения", "Комментарий"},
			want:   map[int]string{0: "family_name", 1: "given_name", 2: "patronymic", 3: "phone", 4: "email", 5: "birth_date"},
		},
		{
			name:   "English export",
			header: []string{"First Name", "Last Name", "Middle name", "Mobile", "Email", "Birthday", "Customer ID"},
			want:   map[int]string{0: "given_name", 1: "family_name", 2: "patronymic", 3: "phone", 4: "email", 5: "birth_date", 6: "external_id"},
		},
		{
			name:   "one name column and several phones",
			header: []string{"ФИО клиента", "Телефон 1", "Телефон 2", "ТЕЛЕГРАМ", "Почта"},
			want:   map[int]string{0: "full_name", 1: "phone", 2: "phone", 3: "telegram", 4: "email"},
		},
		{
			name:   "our own field names",
			header: []string{"family_name", "given_name", "phone", "external_id"},
			want:   map[int]string{0: "family_name", 1: "given_name", 2: "phone", 3: "external_id"},
		},
		{
			// "name" alone is the full name; given and family names get the
			// columns that name them exactly.
			name:   "name and first name",
			header: []string{"Name", "First name", "Last name"},
			want:   map[int]string{0: "full_name", 1: "given_name", 2: "family_name"},
		},
		{
			name:   "a field once only",
			header: []string{"Фамилия", "Фамилия (старая)"},
			want:   map[int]string{0: "family_name"},
		},
		{
			name:   "nothing to match",
			header: []string{"", "Сумма", "e"},
			want:   map[int]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GuessColumns(tt.header, customerFields)
			if !maps.Equal(got, tt.want) {
				t.Errorf("GuessColumns(%q)\n got  %v\n want %v", tt.header, got, tt.want)
			}
		})
	}
}
