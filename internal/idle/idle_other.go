//go:build !linux

package idle

import (
	"errors"
	"time"
)

var osThread = thread{
	lower:  func() error { return errors.ErrUnsupported },
	waited: func() (time.Duration, error) { return 0, errors.ErrUnsupported },
}
