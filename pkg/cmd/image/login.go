package image

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pod-engine/pod/libpod/image"
	"github.com/pod-engine/pod/pkg/cmdutil"
)

// LoginOptions are the inputs of `pod login`.
type LoginOptions struct {
	Factory *cmdutil.Factory
	// Registry is the registry (or repository) as given; "" means the first
	// unqualified-search registry.
	Registry      string
	Username      string
	Password      string
	PasswordStdin bool
	GetLogin      bool
	cmdutil.RegistryFlags
	Verbose bool
}

// NewCmdLogin returns `pod login`.
func NewCmdLogin(f *cmdutil.Factory, runF func(*LoginOptions) error) *cobra.Command {
	o := &LoginOptions{Factory: f}
	cmd := &cobra.Command{
		Use:   "login [options] [REGISTRY]",
		Short: "Log in to a container registry",
		Long: `Check a user name and password against a registry and store them in the auth file
($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json) for pull, push and run.
REGISTRY is HOST[:PORT], or HOST[:PORT]/REPOSITORY for credentials of one repository;
without it, the first unqualified-search registry of registries.conf.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.FlagErrorf("login accepts one registry, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Registry = args[0]
			}
			o.Parsed(cmd.Flags())
			if o.PasswordStdin && o.Password != "" {
				return cmdutil.FlagErrorf("--password and --password-stdin cannot be used together")
			}
			if o.PasswordStdin && o.Username == "" {
				return cmdutil.FlagErrorf("--password-stdin needs --username")
			}
			if runF != nil {
				return runF(o)
			}
			return runLogin(cmd.Context(), o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Username, "username", "u", "", "user name for the registry")
	fl.StringVarP(&o.Password, "password", "p", "", "password for the registry")
	fl.BoolVar(&o.PasswordStdin, "password-stdin", false, "read the password from stdin")
	fl.BoolVar(&o.GetLogin, "get-login", false, "print the user name stored for the registry")
	o.Register(fl, cmdutil.FlagAuthFile|cmdutil.FlagCertDir|cmdutil.FlagTLSVerify)
	fl.BoolVarP(&o.Verbose, "verbose", "v", false, "print the auth file the credentials are written to")
	return cmd
}

func runLogin(ctx context.Context, o *LoginOptions) error {
	e, err := o.Factory.Engine()
	if err != nil {
		return err
	}
	ios := o.Factory.IOStreams
	sys := o.System()
	if o.GetLogin {
		user, err := e.GetLogin(sys, o.Registry)
		if err != nil {
			return err
		}
		fmt.Fprintln(ios.Out, user)
		return nil
	}
	lo := image.LoginOptions{System: sys, Registry: o.Registry, Username: o.Username, Password: o.Password, Out: ios.Out}
	if o.PasswordStdin {
		if lo.Password, err = readPasswordStdin(ios.In); err != nil {
			return err
		}
	}
	if cmdutil.IsTerminal(ios.InFile) {
		lo.Prompt = terminalPrompt(ios.InFile, ios.Out)
	}
	res, err := e.Login(ctx, lo)
	if err != nil {
		return err
	}
	if res.AlreadyLoggedIn {
		return nil
	}
	if o.Verbose && res.Stored != "" {
		fmt.Fprintln(ios.Out, "Used: ", res.Stored)
	}
	fmt.Fprintln(ios.Out, "Login Succeeded!")
	return nil
}

// readPasswordStdin reads all of stdin as the password, without the
// trailing line end.
func readPasswordStdin(in io.Reader) (string, error) {
	b, err := io.ReadAll(in)
	if err != nil {
		return "", fmt.Errorf("reading the password from stdin: %w", err)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if p == "" {
		return "", cmdutil.FlagErrorf("--password-stdin: stdin holds no password")
	}
	return p, nil
}

// terminalPrompt asks on the terminal in for the user name (offering the
// stored one) and, without echo, the password.
func terminalPrompt(in *os.File, out io.Writer) func(defaultUser string, askUser bool) (string, string, error) {
	return func(defaultUser string, askUser bool) (string, string, error) {
		user := ""
		if askUser {
			if defaultUser != "" {
				fmt.Fprintf(out, "Username (%s): ", defaultUser)
			} else {
				fmt.Fprint(out, "Username: ")
			}
			line, err := bufio.NewReader(in).ReadString('\n')
			if err != nil && line == "" {
				return "", "", fmt.Errorf("reading the user name: %w", err)
			}
			user = strings.TrimSpace(line)
			if user == "" {
				user = defaultUser
			}
		}
		fmt.Fprint(out, "Password: ")
		pass, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", "", fmt.Errorf("reading the password: %w", err)
		}
		return user, string(pass), nil
	}
}
