package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/identity"
)

func init() {
	register(command{Name: "export", Summary: "export customers as CSV or JSON Lines", Run: runExport})
}

// exportColumns are the CSV columns; their names are import field names, so
// an export imports back as it is.
var exportColumns = []string{"id", "family_name", "given_name", "patronymic", "preferred_name", "address_form",
	"pronunciation", "birth_date", "persona", "preferred_channel", "language", "time_zone", "wish", "manager",
	"phone", "email", "telegram", "whatsapp", "vk", "external_id", "tags", "created_at", "updated_at"}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "export customers [--format csv|jsonl] [--out FILE]")
	dsn := dbFlag(fs, env)
	format := fs.String("format", "csv", "csv or jsonl")
	out := fs.String("out", "", "write here instead of standard output")
	if len(args) == 0 || args[0] != "customers" {
		fs.Usage()
		return errUsage
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *format != "csv" && *format != "jsonl" {
		return vernost.Invalid("format", "must be csv or jsonl")
	}
	w := env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	s, err := openServices(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	bw := bufio.NewWriterSize(w, 256<<10)
	n := 0
	ctx = vernost.WithActor(ctx, cliActor(env))
	if *format == "jsonl" {
		enc := json.NewEncoder(bw)
		err = s.customer.Each(ctx, func(c *customer.Customer) error { n++; return enc.Encode(c) })
	} else {
		err = exportCSV(ctx, s.customer, bw, &n)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := s.audit.Record(ctx, nil, "customer.export_all", "customer", "", fmt.Sprintf("%d customers as %s", n, *format)); err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(env.Stderr, "exported %d customers to %s\n", n, *out)
	}
	return nil
}

func exportCSV(ctx context.Context, svc *customer.Service, w io.Writer, n *int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	err := svc.Each(ctx, func(c *customer.Customer) error {
		*n++
		ids := map[identity.Kind][]string{}
		for _, id := range c.Identities {
			ids[id.Kind] = append(ids[id.Kind], id.Value)
		}
		manager := ""
		if c.Manager != nil {
			manager = c.Manager.Name
		}
		return cw.Write([]string{c.PublicID, c.FamilyName, c.GivenName, c.Patronymic, c.PreferredName, c.AddressForm,
			c.Pronunciation, c.BirthDate, c.Persona, c.PreferredChannel, c.Language, c.TimeZone, c.Wish, manager,
			strings.Join(ids[identity.Phone], ", "), strings.Join(ids[identity.Email], ", "),
			strings.Join(ids[identity.Telegram], ", "), strings.Join(ids[identity.WhatsApp], ", "),
			strings.Join(ids[identity.VK], ", "), strings.Join(ids[identity.External], "; "),
			strings.Join(c.Tags, ", "), c.CreatedAt.Format(time.RFC3339), c.UpdatedAt.Format(time.RFC3339)})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
