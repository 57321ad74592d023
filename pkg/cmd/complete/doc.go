// Package complete gives pod's commands their shell completions (cobra's
// dynamic completion, for the bash, zsh, fish and powershell scripts of
// `pod completion`): the names of containers, images, volumes and
// networks as arguments, and the values of --network, --format (the
// fields of what the command prints), the signal flags and the fixed
// choices of other flags. Register walks the whole command tree once, so
// the verbs' own files say nothing about completion.
package complete
