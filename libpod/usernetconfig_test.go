package libpod

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pod-engine/pod/libpod/define"
	"github.com/pod-engine/pod/libpod/networks"
)

func TestParseUserNetworks(t *testing.T) {
	cases := []struct {
		in      string
		aliases []string
		ip      string
		want    map[string]NetworkAttach
		bad     bool
	}{
		{in: "n1", want: map[string]NetworkAttach{"n1": {InterfaceName: "eth0"}}},
		{in: "n1,n2", want: map[string]NetworkAttach{"n1": {InterfaceName: "eth0"}, "n2": {InterfaceName: "eth1"}}},
		{in: "n1:alias=a,ip=10.89.0.5,n2:interface_name=net9", want: map[string]NetworkAttach{
			"n1": {InterfaceName: "eth0", Aliases: []string{"a"}, StaticIPs: []string{"10.89.0.5"}},
			"n2": {InterfaceName: "net9"},
		}},
		{in: "n1", aliases: []string{"web"}, ip: "10.89.0.9", want: map[string]NetworkAttach{
			"n1": {InterfaceName: "eth0", Aliases: []string{"web"}, StaticIPs: []string{"10.89.0.9"}},
		}},
		{in: "n1,n2", ip: "10.89.0.9", bad: true}, // --ip needs one network
		{in: "n1:mac=aa:bb", bad: true},           // unsupported option
		{in: "n1:ip=nope", bad: true},             // not an address
		{in: "n1,n1", bad: true},                  // twice
		{in: "-x", want: nil},                     // not a network name: not user networks
	}
	for _, c := range cases {
		got, _, err := parseUserNetworks(c.in, c.aliases, c.ip)
		if c.bad {
			if !errors.Is(err, define.ErrInvalidArg) {
				t.Errorf("%q: want ErrInvalidArg, got %v", c.in, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestFreeAddress(t *testing.T) {
	n := &networks.Network{Name: "n", Subnets: []networks.Subnet{{Subnet: "10.89.3.0/30", Gateway: "10.89.3.1"}}}
	if ip, err := freeAddress(n, nil); err != nil || ip != "10.89.3.2" {
		t.Errorf("first: %q %v", ip, err)
	}
	if _, err := freeAddress(n, map[string]string{"10.89.3.2": "x"}); err == nil {
		t.Errorf("a full /30 gave an address")
	}
	if err := checkStaticIPs(n, []string{"10.89.3.1"}); err == nil {
		t.Errorf("the gateway was accepted as a static address")
	}
	if err := checkStaticIPs(n, []string{"10.89.4.2"}); err == nil {
		t.Errorf("an address outside the subnet was accepted")
	}
	if err := checkStaticIPs(n, []string{"10.89.3.2"}); err != nil {
		t.Errorf("a free address was refused: %v", err)
	}
}
