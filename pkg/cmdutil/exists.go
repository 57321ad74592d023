package cmdutil

// RunExists is the body of the exists verbs: nil when exists reports the
// object, exit code 1 when it does not, and the lookup's own error (125)
// otherwise.
func RunExists(f *Factory, exists func(Engine) (bool, error)) error {
	e, err := f.Engine()
	if err != nil {
		return err
	}
	ok, err := exists(e)
	if err != nil {
		return err
	}
	if !ok {
		return &ExitError{Code: 1}
	}
	return nil
}
