package libpod

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pod-engine/pod/libpod/networks"
)

// The report is the network's own fields followed by "containers", keyed
// by id, with podman 5's field names; a network without running
// containers shows an empty object.
func TestNetworkReportShape(t *testing.T) {
	n := &networks.Network{Name: "n1", ID: "abc", Driver: "bridge", Subnets: []networks.Subnet{{Subnet: "10.89.0.0/24", Gateway: "10.89.0.1"}}}
	empty, err := json.Marshal(&NetworkReport{Network: n, Containers: map[string]NetworkContainer{}})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(empty); !strings.HasPrefix(s, `{"name":"n1","id":"abc","driver":"bridge",`) || !strings.HasSuffix(s, `,"containers":{}}`) {
		t.Errorf("empty report: %s", s)
	}
	rep := &NetworkReport{Network: n, Containers: map[string]NetworkContainer{"id1": {Name: "c1", Interfaces: map[string]NetworkInterface{
		"eth0": {Subnets: []NetworkAddress{{IPNet: "10.89.0.2/24", Gateway: "10.89.0.1"}}, MacAddress: "aa:bb:cc:dd:ee:ff"}}}}}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := `"containers":{"id1":{"name":"c1","interfaces":{"eth0":{"subnets":[{"ipnet":"10.89.0.2/24","gateway":"10.89.0.1"}],"mac_address":"aa:bb:cc:dd:ee:ff"}}}}}`
	if !strings.HasSuffix(string(data), want) {
		t.Errorf("report: %s\nwant suffix %s", data, want)
	}
}
