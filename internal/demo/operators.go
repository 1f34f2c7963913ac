package demo

// Operator is a member of the demo contact centre's staff.
type Operator struct {
	Login      string
	FamilyName string
	GivenName  string
	Patronymic string
	Role       string   // "agent", "supervisor" or "admin"
	Skills     []string // routing skills
	Languages  []string
	Manager    bool // serves as a personal manager for key customers
}

// Roles, matching the platform's access roles.
const (
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
)

// Operators returns the demo organisation's staff: agents, supervisors and
// admins, with skills and languages, some of them personal managers.
// The list is fixed so demo logins stay the same across runs.
func Operators() []Operator {
	return []Operator{
		{"admin", "Орлов", "Дмитрий", "Андреевич", RoleAdmin, nil, []string{"ru", "en"}, false},
		{"v.sokolova", "Соколова", "Виктория", "Павловна", RoleAdmin, nil, []string{"ru"}, false},
		{"e.morozova", "Морозова", "Елена", "Викторовна", RoleSupervisor, []string{"complaints", "vip"}, []string{"ru", "en"}, false},
		{"a.kuznetsov", "Кузнецов", "Алексей", "Игоревич", RoleSupervisor, []string{"sales", "loyalty"}, []string{"ru"}, false},
		{"n.belova", "Белова", "Наталья", "Сергеевна", RoleSupervisor, []string{"email", "chat"}, []string{"ru"}, false},
		{"m.ivanova", "Иванова", "Мария", "Олеговна", RoleAgent, []string{"vip", "sales"}, []string{"ru", "en"}, true},
		{"s.petrov", "Петров", "Сергей", "Николаевич", RoleAgent, []string{"vip", "complaints"}, []string{"ru"}, true},
		{"o.fedorova", "Фёдорова", "Ольга", "Ильинична", RoleAgent, []string{"sales", "loyalty"}, []string{"ru"}, true},
		{"i.smirnov", "Смирнов", "Илья", "Львович", RoleAgent, []string{"complaints"}, []string{"ru"}, false},
		{"a.volkova", "Волкова", "Анастасия", "Дмитриевна", RoleAgent, []string{"chat", "email"}, []string{"ru", "en"}, false},
		{"p.korolev", "Королёв", "Пётр", "Никитич", RoleAgent, []string{"sales"}, []string{"ru"}, true},
		{"k.lebedeva", "Лебедева", "Ксения", "Андреевна", RoleAgent, []string{"chat", "telegram"}, []string{"ru"}, false},
		{"d.novikov", "Новиков", "Денис", "Юрьевич", RoleAgent, []string{"complaints", "email"}, []string{"ru"}, false},
		{"t.shevchenko", "Шевченко", "Татьяна", "Петровна", RoleAgent, []string{"vip", "loyalty"}, []string{"ru", "en"}, true},
		{"r.kim", "Ким", "Роман", "Сергеевич", RoleAgent, []string{"telegram", "chat"}, []string{"ru", "en"}, false},
		{"y.zaitseva", "Зайцева", "Юлия", "Фёдоровна", RoleAgent, []string{"sales", "email"}, []string{"ru"}, false},
		{"g.vishnevsky", "Вишневский", "Глеб", "Кузьмич", RoleAgent, []string{"phone", "sales"}, []string{"ru"}, false},
		{"l.tolstaya", "Толстая", "Любовь", "Фоминична", RoleAgent, []string{"phone", "complaints"}, []string{"ru"}, false},
	}
}

// managers returns the logins of operators who are personal managers.
func managers() []string {
	var logins []string
	for _, o := range Operators() {
		if o.Manager {
			logins = append(logins, o.Login)
		}
	}
	return logins
}
