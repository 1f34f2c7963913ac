package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
)

func init() {
	register(command{Name: "user", Summary: "manage user accounts (add, passwd, list)", Run: runUser})
}

const userUsage = `usage: vernost user COMMAND [flags]

  add     --login L --name N --role agent|supervisor|admin [--email E] [--locale ru|en] [--password-stdin]
  passwd  LOGIN [--password-stdin]
  list

Every command takes --db DSN (env VERNOST_DB). A password is typed twice on
a terminal, or read from the first line of standard input.
`

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, userUsage)
		return errUsage
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, env, args[1:])
	case "passwd":
		return runUserPasswd(ctx, env, args[1:])
	case "list":
		return runUserList(ctx, env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(env.Stderr, userUsage)
		return nil
	}
	fmt.Fprintf(env.Stderr, "vernost user: unknown command %q\n\n%s", args[0], userUsage)
	return errUsage
}

func runUserAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "user add", "user add --login L --name N --role agent|supervisor|admin [--email E] [--locale ru|en] [--password-stdin] [--db DSN]")
	dsn := dbFlag(fs, env)
	login := fs.String("login", "", "login: 2-64 characters of a-z, 0-9, '.', '_', '-'")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "agent, supervisor or admin")
	email := fs.String("email", "", "email address (optional)")
	locale := fs.String("locale", "ru", "interface language: ru or en")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "vernost user add: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	for _, req := range []struct{ flag, value string }{{"login", *login}, {"name", *name}, {"role", *role}} {
		if strings.TrimSpace(req.value) == "" {
			return vernost.Invalid(req.flag, "--%s is required", req.flag)
		}
	}
	password, err := readNewPassword(env, *fromStdin)
	if err != nil {
		return err
	}
	svc, done, err := openAuth(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer done()
	u, err := svc.CreateUser(cliContext(ctx), auth.NewUser{
		Login: *login, Name: *name, Email: *email, Password: password, Role: vernost.Role(*role), Locale: *locale,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s), id %s\n", u.Login, u.Role, u.PublicID)
	return nil
}

func runUserPasswd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "user passwd", "user passwd LOGIN [--password-stdin] [--db DSN]")
	dsn := dbFlag(fs, env)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Accept flags after LOGIN too: "user passwd ivan --db x".
	login := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[min(1, fs.NArg()):]); err != nil {
		return err
	}
	if login == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	password, err := readNewPassword(env, *fromStdin)
	if err != nil {
		return err
	}
	svc, done, err := openAuth(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.SetPassword(cliContext(ctx), login, password); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "password of %s changed; their sessions were ended\n", auth.NormalizeLogin(login))
	return nil
}

func runUserList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "user list", "user list [--db DSN]")
	dsn := dbFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	svc, done, err := openAuth(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer done()
	users, err := svc.ListUsers(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tNAME\tROLE\tACTIVE\tCREATED")
	for _, u := range users {
		active := "yes"
		if !u.Active {
			active = "no"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Login, u.Name, u.Role, active, u.CreatedAt.Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// openAuth opens the store and the account service; done closes them.
func openAuth(ctx context.Context, env *Env, dsn string) (*auth.Service, func(), error) {
	db, err := openStore(ctx, env, dsn)
	if err != nil {
		return nil, nil, err
	}
	log, err := audit.New(ctx, db, vernost.SystemClock{})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc, err := auth.New(ctx, db, vernost.SystemClock{}, log)
	if err != nil {
		log.Close()
		db.Close()
		return nil, nil, err
	}
	return svc, func() { svc.Close(); log.Close(); db.Close() }, nil
}

// cliContext marks changes made at the command line as the system's in the
// audit log: whoever holds the shell holds the database anyway.
func cliContext(ctx context.Context) context.Context {
	return vernost.WithActor(ctx, vernost.System)
}

// readNewPassword asks for a password twice without echo when standard input
// is a terminal, and otherwise (or with --password-stdin) reads its first
// line, so scripts can pipe one in.
func readNewPassword(env *Env, fromStdin bool) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		return promptPassword(env, int(f.Fd()))
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", vernost.Invalid("password", "none on standard input")
	}
	return password, auth.ValidatePassword(password)
}

func promptPassword(env *Env, fd int) (string, error) {
	read := func(prompt string) (string, error) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	first, err := read(fmt.Sprintf("new password (at least %d characters): ", auth.MinPasswordLen))
	if err != nil {
		return "", err
	}
	if err := auth.ValidatePassword(first); err != nil {
		return "", err
	}
	second, err := read("the same again: ")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", vernost.Invalid("password", "the two entries differ")
	}
	return first, nil
}
