package demo

// Fact kinds, as the customer card groups them.
const (
	FactHobby     = "hobby"
	FactFamily    = "family"
	FactFavourite = "favourite"
	FactPromise   = "promise" // something we promised the customer
)

// factTexts holds realistic facts per kind, in Russian and English.
var factTexts = map[string]map[string][]string{
	"ru": {
		FactHobby: {
			"Рыбалка, каждые выходные на Волге", "Бег, готовится к полумарафону", "Садовод, выращивает розы на даче",
			"Играет в шахматы по переписке", "Коллекционирует виниловые пластинки", "Горные лыжи, каждый февраль в Шерегеше",
			"Поёт в церковном хоре", "Фотограф-любитель, снимает птиц", "Йога по утрам", "Вяжет свитеры внукам",
			"Болеет за «Зенит»", "Путешествует на машине по Золотому кольцу", "Учит итальянский язык",
			"Собирает модели самолётов", "Ходит в походы по Карелии",
		},
		FactFamily: {
			"Двое детей: сын Миша (10 лет) и дочь Катя (7 лет)", "Недавно стала бабушкой", "Жена — тоже наш клиент",
			"Дочь учится в МГУ", "Ухаживает за пожилой мамой", "Собака — лабрадор Граф", "Кот по имени Барсик",
			"Сын служит в армии", "Готовится к свадьбе в июне", "Трое внуков, часто покупает подарки",
		},
		FactFavourite: {
			"Любимый цвет — тёмно-синий", "Пьёт только зелёный чай", "Любит конфеты «Мишка на Севере»",
			"Предпочитает белые розы", "Любимый писатель — Чехов", "Не ест мясо", "Любит кофе без сахара",
			"Любимое время для звонков — после 18:00", "Любит сюрпризы ко дню рождения",
		},
		FactPromise: {
			"Обещали перезвонить по поводу доставки", "Обещали скидку 10% на следующий заказ",
			"Обещали прислать каталог новой коллекции", "Обещали сообщить, когда товар появится на складе",
			"Обещали вернуть деньги за повреждённую упаковку", "Обещали пригласить на закрытую распродажу",
		},
	},
	"en": {
		FactHobby: {
			"Plays golf every Sunday", "Runs marathons", "Keen gardener, grows tomatoes", "Plays chess online",
			"Collects vinyl records", "Skis in the Alps every winter", "Sings in a choir", "Birdwatcher",
			"Learning Russian", "Supports Arsenal",
		},
		FactFamily: {
			"Two kids, Tom (9) and Lily (6)", "Recently became a grandmother", "Wife is also our customer",
			"Daughter studies in Moscow", "Has a golden retriever called Max", "Getting married in June",
		},
		FactFavourite: {
			"Favourite colour is navy blue", "Drinks Earl Grey only", "Prefers white roses", "Vegetarian",
			"Best time to call is after 6 pm", "Loves birthday surprises",
		},
		FactPromise: {
			"We promised to call back about the delivery", "We promised 10% off the next order",
			"We promised to send the new catalogue", "We promised to tell them when the item is back in stock",
		},
	},
}

// wishes answer "what is the best we could do for you?".
var wishes = map[string][]string{
	"ru": {
		"Доставка в субботу утром", "Чтобы звонил всегда один и тот же менеджер", "Напоминание о годовщине свадьбы",
		"Писать в Telegram, а не звонить", "Ранний доступ к распродажам", "Подарочная упаковка без ценника",
		"Звонить только после 19:00", "Примерка на дому",
	},
	"en": {
		"Saturday morning delivery", "The same manager every time", "Message on Telegram rather than call",
		"Early access to sales", "Gift wrapping without the price tag",
	},
}

// Personas shape how operators talk to a customer.
const (
	PersonaStatus   = "status"   // wants their status recognised: formal, name and patronymic
	PersonaFriendly = "friendly" // warm and informal
	PersonaDigital  = "digital"  // young, prefers messengers and self-service
	PersonaStandard = "standard"
)

// Channels a customer can prefer or consent to.
const (
	ChannelPhone    = "phone"
	ChannelSMS      = "sms"
	ChannelEmail    = "email"
	ChannelTelegram = "telegram"
)

var emailDomains = []string{"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru", "ya.ru", "outlook.com"}
