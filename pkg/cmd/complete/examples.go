package complete

import (
	"strings"

	"github.com/spf13/cobra"
)

// exampleArgs are the Examples of each verb, by key (see key): the
// arguments after the command's own path, one example per entry. A noun's
// verb without an entry of its own ("image pull") takes the top-level
// verb's ("pull").
func exampleArgs() map[string][]string {
	return map[string][]string{
		"attach":  {"ctr1", "--no-stdin ctr1", "--detach-keys ctrl-x ctr1"},
		"build":   {"-t myimage .", "-f Containerfile.dev -t dev --build-arg VERSION=1 .", "--no-cache -t myimage:latest ctx/"},
		"commit":  {"ctr1 myimage", "-m 'add config' -c 'CMD [\"/app\"]' ctr1 myimage:2"},
		"cp":      {"ctr1:/etc/os-release .", "./config.json ctr1:/app/", "ctr1:/var/log - > logs.tar"},
		"create":  {"--name web -p 8080:80 nginx", "-it alpine sh", "-e FOO=bar -v data:/data alpine"},
		"diff":    {"ctr1", "--format json ctr1"},
		"events":  {"--since 10m", "--filter event=start --filter container=ctr1", "--format json --stream=false"},
		"exec":    {"ctr1 ls /", "-it ctr1 sh", "-e FOO=bar -w /tmp ctr1 env"},
		"export":  {"-o ctr1.tar ctr1", "ctr1 > ctr1.tar"},
		"history": {"alpine", "--no-trunc --format '{{.ID}} {{.CreatedBy}}' alpine"},
		"images":  {"", "-a --digests", "--filter dangling=true -q", "--format '{{.Repository}}:{{.Tag}}'"},
		"import":  {"rootfs.tar myimage", "--change 'CMD [\"/bin/sh\"]' - myimage < rootfs.tar"},
		"info":    {"", "--format json", "--format '{{.Store.GraphRoot}}'"},
		"inspect": {"ctr1", "--format '{{.State.Status}}' ctr1", "--type image alpine", "-l --format '{{.Config.Hostname}}'"},
		"kill":    {"ctr1", "-s SIGHUP ctr1", "--all"},
		"load":    {"-i alpine.tar", "< alpine.tar"},
		"login":   {"quay.io", "-u user --password-stdin registry.example.com < password.txt"},
		"logout":  {"quay.io", "--all"},
		"logs":    {"ctr1", "-f --tail 10 ctr1", "--since 5m -t ctr1"},
		"mount":   {"ctr1", ""},
		"pause":   {"ctr1", "--all"},
		"port":    {"ctr1", "ctr1 80/tcp", "--all"},
		"ps":      {"", "-a", "-a --filter status=exited --format '{{.Names}} {{.Status}}'", "-q --no-trunc"},
		"pull":    {"alpine", "docker.io/library/alpine:3.20", "--platform linux/arm64 alpine", "-q alpine"},
		"push":    {"myimage registry.example.com/me/myimage:1", "--tls-verify=false localhost:5000/myimage"},
		"rename":  {"ctr1 web"},
		"restart": {"ctr1", "-t 2 ctr1", "--all"},
		"rm":      {"ctr1", "-f ctr1", "-a -f", "--volumes ctr1"},
		"rmi":     {"alpine", "-f myimage", "-a"},
		"run":     {"--rm alpine echo hello", "-it alpine sh", "-d --name web -p 8080:80 nginx", "--rm -v $PWD:/src:ro -w /src alpine ls"},
		"save":    {"-o alpine.tar alpine", "--format oci-archive -o img.tar myimage"},
		"search":  {"alpine", "--limit 5 --format '{{.Name}}' docker.io/alpine"},
		"start":   {"ctr1", "-a ctr1", "--all"},
		"stats":   {"", "--no-stream ctr1", "--no-stream --format json"},
		"stop":    {"ctr1", "-t 2 ctr1", "--all"},
		"tag":     {"alpine myalpine:1", "myimage registry.example.com/me/myimage:latest"},
		"top":     {"ctr1", "ctr1 pid user args"},
		"unmount": {"ctr1", "--all"},
		"unpause": {"ctr1", "--all"},
		"untag":   {"myalpine:1", "myimage"},
		"unshare": {"", "cat /proc/self/uid_map", "ls -l ~/.local/share/pod/storage"},
		"version": {"", "--format json", "--format '{{.Client.Version}}'"},
		"wait":    {"ctr1", "--condition running ctr1"},
		"doctor":  {""},
		"exists":  {"ctr1", "ctr1 && echo present"},
		"cleanup": {"ctr1"},
		"prune":   {"", "-f", "--filter until=24h"},
		"ls":      {"", "-a"},
		"list":    {"", "-a"},

		"image exists":  {"alpine"},
		"image prune":   {"", "-a -f"},
		"image tree":    {"alpine"},
		"image rm":      {"alpine", "-f myimage"},
		"image ls":      {"", "-a"},
		"image list":    {"", "-a"},
		"image inspect": {"alpine", "--format '{{.Id}}' alpine"},

		"system check":    {"", "--repair"},
		"system df":       {"", "-v", "--format json"},
		"system doctor":   {""},
		"system events":   {"--since 10m"},
		"system info":     {"", "--format json"},
		"system migrate":  {""},
		"system prune":    {"", "-a -f", "--volumes"},
		"system renumber": {""},
		"system reset":    {"", "-f"},

		"volume create":  {"data", "--label app=web data", "-o type=tmpfs -o device=tmpfs -o o=size=64m scratch"},
		"volume exists":  {"data"},
		"volume export":  {"-o data.tar data", "data > data.tar"},
		"volume import":  {"data data.tar", "data - < data.tar"},
		"volume inspect": {"data", "--all", "--format '{{.Mountpoint}}' data"},
		"volume ls":      {"", "-q", "--filter label=app=web"},
		"volume mount":   {"data"},
		"volume prune":   {"", "-f"},
		"volume rm":      {"data", "-f data", "--all"},
		"volume unmount": {"data"},

		"network create":     {"mynet", "--subnet 10.89.5.0/24 mynet"},
		"network exists":     {"mynet"},
		"network inspect":    {"mynet", "--format '{{.Name}}' mynet"},
		"network ls":         {"", "-q"},
		"network rm":         {"mynet", "-f mynet"},
		"network prune":      {"", "-f"},
		"network connect":    {"mynet ctr1"},
		"network disconnect": {"mynet ctr1"},

		"manifest create":   {"mylist", "mylist alpine:3.20 docker://quay.io/me/img:1"},
		"manifest add":      {"mylist alpine", "--arch arm64 mylist docker://docker.io/library/alpine:3.20"},
		"manifest annotate": {"--os linux --arch arm64 mylist sha256:0123..."},
		"manifest exists":   {"mylist"},
		"manifest inspect":  {"mylist", "docker.io/library/alpine:3.20"},
		"manifest push":     {"mylist registry.example.com/me/mylist:1", "--all mylist"},
		"manifest remove":   {"mylist sha256:0123..."},
		"manifest rm":       {"mylist"},

		"healthcheck run": {"ctr1"},

		"completion bash":       {"> ~/.local/share/bash-completion/completions/pod"},
		"completion zsh":        {"> \"${fpath[1]}/_pod\""},
		"completion fish":       {"> ~/.config/fish/completions/pod.fish"},
		"completion powershell": {"| Out-String | Invoke-Expression"},
	}
}

// AddExamples fills the Examples section of every runnable command that
// has none, from exampleArgs with the command's own path in front. Setup
// runs it when help is shown; it is idempotent.
func AddExamples(root *cobra.Command) {
	args := exampleArgs()
	walk(root, func(c *cobra.Command) {
		if c.Example != "" || !c.Runnable() || c.Hidden || c.HasSubCommands() {
			return
		}
		k := key(c)
		ex, ok := args[k]
		if !ok {
			ex, ok = args[c.Name()]
		}
		if !ok {
			return
		}
		lines := make([]string, len(ex))
		for i, a := range ex {
			lines[i] = strings.TrimRight("  "+c.CommandPath()+" "+a, " ")
		}
		c.Example = strings.Join(lines, "\n")
	})
}
