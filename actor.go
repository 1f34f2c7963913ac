package vernost

import "context"

// Role is what a user may do. Roles are ordered: each includes the one below.
type Role string

const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// rank orders roles so that a check reads "at least supervisor".
func (r Role) rank() int {
	switch r {
	case RoleAgent:
		return 1
	case RoleSupervisor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r includes the permissions of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() && r.rank() > 0 }

// Actor is who is acting: a signed-in user, an API token, or the system
// itself (imports, workers, the CLI). It is written into every audit row.
type Actor struct {
	UserID  int64  // 0 for the system
	TokenID int64  // set when acting through an API token
	Name    string // login or token name, for the audit log
	Role    Role
	IP      string // remote address of the request, for the audit log
}

// System is the actor for work nobody signed in for (CLI, workers, demo).
var System = Actor{Name: "system", Role: RoleAdmin}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the zero Actor (no role) if none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}
