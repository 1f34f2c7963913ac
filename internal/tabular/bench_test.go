package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// cp1251File builds a 100k-line export like an old 1C one: Windows-1251,
// semicolons, a quoted field now and then.
func cp1251File(b *testing.B, lines int) []byte {
	b.Helper()
	family := []string{"Иванова", "Смирнов", "Кузнецова", "Попов", "Васильева", "Королёв", "Шевченко", "Ким"}
	given := []string{"Анна", "Сергей", "Мария", "Пётр", "Елена", "Илья", "Юлия", "Никита"}
	patronymic := []string{"Сергеевна", "Ильич", "Петровна", "Никитич", "Львовна", "Андреевич"}
	var buf bytes.Buffer
	buf.WriteString("Фамилия;Имя;Отчество;Телефон;E-mail;Дата рождения;Комментарий\r\n")
	for i := 0; i < lines; i++ {
		comment := ""
		if i%10 == 0 {
			comment = `"Клиент просил ""не звонить"" до 10:00; предпочитает SMS"`
		}
		fmt.Fprintf(&buf, "%s;%s;%s;8 (9%02d) %03d-%02d-%02d;client%d@mail.ru;%02d.%02d.%d;%s\r\n",
			family[i%len(family)], given[i%len(given)], patronymic[i%len(patronymic)],
			i%100, i%1000, i%100, (i/100)%100, i, 1+i%28, 1+i%12, 1950+i%50, comment)
	}
	out, err := charmap.Windows1251.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func BenchmarkReaderCP1251(b *testing.B) {
	data := cp1251File(b, 100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Encoding() != Windows1251 || r.Delimiter() != ';' {
			b.Fatalf("detected %s %q; want windows-1251 ';'", r.Encoding(), r.Delimiter())
		}
		n := 0
		for {
			_, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100_000 {
			b.Fatalf("read %d records; want 100000", n)
		}
	}
}

func BenchmarkGuessColumns(b *testing.B) {
	header := []string{"Фамилия", "Имя", "Отчество", "Моб. телефон", "E-mail адрес", "Дата рождения", "Комментарий"}
	for b.Loop() {
		GuessColumns(header, customerFields)
	}
}

func BenchmarkSplitFullName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		SplitFullName("Иванова Анна Сергеевна")
	}
}
