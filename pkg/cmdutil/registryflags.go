package cmdutil

import "github.com/pod-engine/pod/libpod/image"

// FlagSet is the part of a command's flag set the shared flag groups use
// (a *pflag.FlagSet has it; this package does not link the flag library).
type FlagSet interface {
	BoolVar(p *bool, name string, value bool, usage string)
	StringVar(p *string, name string, value string, usage string)
	Changed(name string) bool
}

// RegistryFlag selects the registry flags a verb takes.
type RegistryFlag uint8

// The registry flags.
const (
	// FlagTLSVerify is --tls-verify.
	FlagTLSVerify RegistryFlag = 1 << iota
	// FlagAuthFile is --authfile.
	FlagAuthFile
	// FlagCreds is --creds.
	FlagCreds
	// FlagCertDir is --cert-dir.
	FlagCertDir
	// RegistryAccess is the four flags of a verb that talks to a registry.
	RegistryAccess = FlagTLSVerify | FlagAuthFile | FlagCreds | FlagCertDir
)

// RegistryFlags are the values of the registry flags of a verb. After
// parsing, Parsed records whether --tls-verify was given; System is then
// what the engine takes. (--retry and --retry-delay are
// OptionalUint/OptionalDuration values: they need the flag library's
// Value type, which this package does not link.)
type RegistryFlags struct {
	TLSVerify bool
	// TLSSet is whether --tls-verify was given (else registries.conf decides).
	TLSSet   bool
	Creds    string
	AuthFile string
	CertDir  string
}

// Register adds the selected flags to fl.
func (r *RegistryFlags) Register(fl FlagSet, which RegistryFlag) {
	if which&FlagTLSVerify != 0 {
		fl.BoolVar(&r.TLSVerify, "tls-verify", true, "require HTTPS and verify certificates when contacting registries")
	}
	if which&FlagCreds != 0 {
		fl.StringVar(&r.Creds, "creds", "", "use `[username[:password]]` for accessing the registry")
	}
	if which&FlagAuthFile != 0 {
		fl.StringVar(&r.AuthFile, "authfile", "", "path of the authentication file (default $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json)")
	}
	if which&FlagCertDir != 0 {
		fl.StringVar(&r.CertDir, "cert-dir", "", "use the certificates (*.crt) and client keys (*.cert, *.key) in `DIR` to access the registry")
	}
}

// Parsed records whether --tls-verify was given; call it once the
// command line is parsed.
func (r *RegistryFlags) Parsed(fl FlagSet) {
	r.TLSSet = fl.Changed("tls-verify")
}

// System returns the registry options as the engine takes them.
func (r *RegistryFlags) System() image.SystemOptions {
	o := image.SystemOptions{AuthFile: r.AuthFile, Creds: r.Creds, CertDir: r.CertDir}
	if r.TLSSet {
		v := r.TLSVerify
		o.TLSVerify = &v
	}
	return o
}
