-- The demo course of seed 000: "CompTIA Network+ (N10-009) Essentials" in
-- the default organization, owned by the demo instructor, with one unit per
-- N10-009 domain and 16 learning components (lessons, videos, flashcards, a
-- quiz, a lab, a simulation, a study guide and a practice exam), three
-- prerequisites, and the three demo students enrolled with some progress.
--
-- Idempotent: fixed ids and ON CONFLICT DO NOTHING everywhere, so a second
-- run changes nothing and keeps whatever progress the students have made
-- since.  Rows are built from their parents (course, unit, user), so a
-- missing parent skips its children instead of failing.  content_html is
-- left empty: ludus renders content.markdown after seeding.
--
-- Ids: course 4e700009-0000-4000-8000-000000000001, units ...00000000001D
-- (D = domain), lessons ...000000000DNN (domain D, lesson NN).

-- ---- The course ----

INSERT INTO courses (id, org_id, owner_id, exam_id, slug, title, summary,
	description, difficulty, language, tags, status, published_at)
SELECT '4e700009-0000-4000-8000-000000000001', o.id, u.id, e.id,
	'network-plus-essentials',
	'CompTIA Network+ (N10-009) Essentials',
	'A guided tour of all five CompTIA Network+ N10-009 domains: sixteen '
	'short lessons, videos, flashcards, a subnetting lab, a switch-hardening '
	'simulation, a quiz, a study guide and a practice exam, each mapped to '
	'the official exam objectives.',
	$md$Network+ (N10-009) validates the skills of a junior network administrator: how networks are built, run, secured and repaired. This course follows the exam blueprint domain by domain.

1. **Networking Concepts** - the OSI model, TCP and UDP ports, IPv4 addressing and a hands-on subnetting lab.
2. **Network Implementation** - routing with static routes, OSPF and BGP; VLANs and 802.1Q trunks; Wi-Fi standards and channels.
3. **Network Operations** - documentation, change management and disaster recovery; monitoring with SNMP, syslog and flow data; DHCP, SLAAC and DNS.
4. **Network Security** - common attacks and their defenses, a switch-hardening simulation and a quiz.
5. **Network Troubleshooting** - the seven-step methodology, a study guide to cables, interfaces and command-line tools, and a practice exam.

Every component lists the exam objectives it covers, so you can see at a glance which parts of the blueprint you have mastered. No prior certification is needed; familiarity with using a computer and a home network is enough to start.$md$,
	'beginner', 'en', '{network-plus,comptia,n10-009,networking}',
	'published', now()
FROM organizations o
JOIN users u ON u.org_id = o.id
	AND lower(u.email) = 'instructor@network.test'
JOIN exams e ON e.code = 'network'
WHERE o.is_default
ON CONFLICT DO NOTHING;

-- ---- Units: one per N10-009 domain ----

INSERT INTO units (id, org_id, course_id, title, summary, position)
SELECT v.id::uuid, c.org_id, c.id, v.title, v.summary, v.position
FROM courses c
CROSS JOIN (VALUES
	('4e700009-0000-4000-8000-000000000011', 0, '1.0 Networking Concepts',
		'The OSI model, TCP and UDP ports, IPv4 addressing and subnetting.'),
	('4e700009-0000-4000-8000-000000000012', 1, '2.0 Network Implementation',
		'Routing protocols, VLANs and trunking, and wireless standards.'),
	('4e700009-0000-4000-8000-000000000013', 2, '3.0 Network Operations',
		'Documentation, change management, disaster recovery, monitoring and '
		'the DHCP and DNS services.'),
	('4e700009-0000-4000-8000-000000000014', 3, '4.0 Network Security',
		'Common attacks and the layered defenses that stop them.'),
	('4e700009-0000-4000-8000-000000000015', 4, '5.0 Network Troubleshooting',
		'A repeatable troubleshooting method, the tools, and a practice exam.')
) AS v (id, position, title, summary)
WHERE c.id = '4e700009-0000-4000-8000-000000000001'
ON CONFLICT DO NOTHING;

-- ---- Lessons: 16 learning components ----

INSERT INTO lessons (id, org_id, course_id, unit_id, kind, title, summary,
	position, estimated_minutes, difficulty, objective_codes, tags, content,
	content_html, status, published_at, created_by)
SELECT v.id::uuid, u.org_id, u.course_id, u.id, v.kind, v.title, v.summary,
	v.position, v.minutes, v.difficulty, v.codes::text[], v.tags::text[],
	v.content, '', 'published', now(), c.owner_id
FROM (VALUES

-- 1.0 Networking Concepts

('4e700009-0000-4000-8000-000000000101', '4e700009-0000-4000-8000-000000000011',
 0, 'lesson', 'The OSI Model, Layer by Layer',
 'Learn the seven OSI layers, what each one does, and how encapsulation wraps data on its way down the stack.',
 20, 'beginner', '{1.1}', '{osi-model,encapsulation}',
 jsonb_build_object('markdown', $md$# The OSI Model, Layer by Layer

The Open Systems Interconnection (OSI) reference model divides network communication into seven layers. Each layer offers a service to the layer above it and relies on the layer below. Real networks run the TCP/IP suite, which does not line up perfectly with OSI, but the model gives engineers a shared vocabulary: a "Layer 2 problem" or a "Layer 7 firewall" means the same thing to everyone.

## The seven layers

| Layer | Name | Data unit | What works here |
|---|---|---|---|
| 7 | Application | Data | HTTP, DNS, SMTP, SSH |
| 6 | Presentation | Data | Character encoding, compression, encryption |
| 5 | Session | Data | Opening, maintaining and closing sessions |
| 4 | Transport | Segment or datagram | TCP, UDP, port numbers |
| 3 | Network | Packet | IP addresses, ICMP, routers |
| 2 | Data link | Frame | MAC addresses, Ethernet, switches |
| 1 | Physical | Bit | Cables, connectors, transceivers, radio |

A mnemonic from Layer 1 up: **P**lease **D**o **N**ot **T**hrow **S**ausage **P**izza **A**way.

## Encapsulation

When a host sends data, each layer wraps what it receives from above in its own header. The transport layer adds port numbers, the network layer adds source and destination IP addresses, and the data link layer adds MAC addresses plus a trailer holding a frame check sequence (FCS) for error detection. The receiving host reverses the process, removing one header per layer: decapsulation.

## Why it matters

- **Placing devices:** a hub repeats bits (Layer 1), a switch forwards frames by MAC address (Layer 2), and a router forwards packets by IP address (Layer 3).
- **Troubleshooting:** working bottom-to-top means checking the cable and link lights before blaming DNS.
- **Security:** a simple packet filter decides on Layer 3 and 4 information, while a next-generation firewall also inspects Layer 7 content.
$md$)),

('4e700009-0000-4000-8000-000000000102', '4e700009-0000-4000-8000-000000000011',
 1, 'video', 'TCP, UDP and the Ports to Know',
 'Compare connection-oriented TCP with connectionless UDP and memorize the well-known ports that appear on the exam.',
 15, 'beginner', '{1.4}', '{tcp,udp,ports}',
 jsonb_build_object('markdown', $md$# TCP, UDP and the Ports to Know

Every conversation on an IP network rides on one of two transport protocols, and each service listens on a well-known port so that clients know where to connect.

## TCP versus UDP

**TCP** is connection-oriented. Before any data flows, the hosts complete a three-way handshake: SYN, SYN-ACK, ACK. TCP then numbers the bytes it sends, acknowledges what arrives, retransmits what is lost and uses windowing for flow control. Choose it when everything must arrive intact and in order: web pages, file transfers, email.

**UDP** is connectionless: no handshake, no acknowledgements, no retransmission, and an 8-byte header instead of TCP's 20 or more. It suits short queries and real-time traffic, where a late packet is worse than a lost one: DNS lookups, DHCP, voice and video.

## Ports worth memorizing

| Port | Service | Transport |
|---|---|---|
| 20/21 | FTP data/control | TCP |
| 22 | SSH and SFTP | TCP |
| 23 | Telnet | TCP |
| 25 | SMTP | TCP |
| 53 | DNS | UDP (TCP for zone transfers) |
| 67/68 | DHCP server/client | UDP |
| 80 | HTTP | TCP |
| 123 | NTP | UDP |
| 161/162 | SNMP and SNMP traps | UDP |
| 443 | HTTPS | TCP |
| 445 | SMB | TCP |
| 3389 | RDP | TCP |

## Memory tricks

- Pair each insecure protocol with its secure replacement: Telnet 23 becomes SSH 22, HTTP 80 becomes HTTPS 443, LDAP 389 becomes LDAPS 636.
- Ports 0-1023 are *well-known*, 1024-49151 are *registered*, and 49152-65535 are *dynamic*: a client picks its source port from that last range for each new connection.
$md$,
  'media', jsonb_build_array(jsonb_build_object('type', 'video',
	'url', '/media/tcp-udp-and-ports.webm',
	'title', 'TCP, UDP and the Ports to Know',
	'duration_seconds', 900)),
  'chapters', jsonb_build_array(
	jsonb_build_object('title', 'Transport protocols at a glance', 'start_seconds', 0),
	jsonb_build_object('title', 'Inside the three-way handshake', 'start_seconds', 140),
	jsonb_build_object('title', 'UDP and real-time traffic', 'start_seconds', 330),
	jsonb_build_object('title', 'Well-known ports', 'start_seconds', 520),
	jsonb_build_object('title', 'Memory tricks', 'start_seconds', 780)))),

('4e700009-0000-4000-8000-000000000103', '4e700009-0000-4000-8000-000000000011',
 2, 'lesson', 'IPv4 Addressing and CIDR',
 'Read IPv4 addresses, masks and CIDR prefixes, size a subnet, and recognize the private and special address ranges.',
 25, 'beginner', '{1.7}', '{ipv4,cidr,subnetting}',
 jsonb_build_object('markdown', $md$# IPv4 Addressing and CIDR

An IPv4 address is 32 bits long, written as four decimal octets such as `192.168.10.37`. Part of the address identifies the network and the rest identifies the host. The **subnet mask**, or its shorthand the **CIDR prefix**, marks where the network part ends: `/24` means the first 24 bits are network bits, the same as the mask `255.255.255.0`.

## Sizing a subnet

With *h* host bits a subnet holds 2^h addresses. The first is the network address and the last is the broadcast address, so 2^h - 2 are usable by hosts.

| Prefix | Mask | Addresses | Usable hosts |
|---|---|---|---|
| /24 | 255.255.255.0 | 256 | 254 |
| /25 | 255.255.255.128 | 128 | 126 |
| /26 | 255.255.255.192 | 64 | 62 |
| /27 | 255.255.255.224 | 32 | 30 |
| /28 | 255.255.255.240 | 16 | 14 |
| /30 | 255.255.255.252 | 4 | 2 |

## Special ranges

- **Private (RFC 1918):** `10.0.0.0/8`, `172.16.0.0/12` and `192.168.0.0/16`. They are not routed on the internet, so NAT translates them to a public address at the edge.
- **APIPA:** `169.254.0.0/16`. A host that gets no answer from a DHCP server assigns itself one of these, which usually points to a DHCP problem.
- **Loopback:** `127.0.0.0/8`, usually `127.0.0.1`, always meaning "this host".

## Classful leftovers

Exam questions still mention address classes, identified by the first octet: Class A 1-126, Class B 128-191, Class C 192-223, Class D (multicast) 224-239 and Class E (experimental) 240-255. Modern networks ignore these boundaries and use CIDR, classless inter-domain routing, so a prefix can have any length. That freedom is what makes subnetting possible, and it is the subject of the lab that follows.
$md$)),

('4e700009-0000-4000-8000-000000000104', '4e700009-0000-4000-8000-000000000011',
 3, 'lab', 'Lab: Subnetting a /24 into /26 Networks',
 'Split one /24 block into four /26 subnets for four departments and work out every network, host range and broadcast address.',
 40, 'intermediate', '{1.7}', '{subnetting,ipv4,lab}',
 jsonb_build_object('markdown', $md$# Lab: Subnetting a /24 into /26 Networks

**Scenario.** Your company has been assigned `192.168.10.0/24` for a new office. Four departments (Sales, Engineering, Support and Finance) each need their own subnet, and none will ever have more than 50 hosts. Work through each step on paper before reading the answers.

## Step 1: Find the host bits

You need at least 50 usable addresses. Five host bits give 2^5 - 2 = 30, too few; six give 2^6 - 2 = 62, enough. Keeping 6 host bits leaves 32 - 6 = 26 network bits, so every subnet is a **/26**. You borrowed two bits from the host part, which yields 2^2 = 4 subnets: one per department.

```
/24  255.255.255.0    11111111.11111111.11111111.00000000
/26  255.255.255.192  11111111.11111111.11111111.11000000
                                                 ^^ borrowed bits
```

## Step 2: Find the block size

The last octet of the mask is 192, so the block size is 256 - 192 = **64**. Each subnet starts at a multiple of 64.

## Step 3: List the subnets

| Department | Network | First host | Last host | Broadcast |
|---|---|---|---|---|
| Sales | 192.168.10.0/26 | .1 | .62 | .63 |
| Engineering | 192.168.10.64/26 | .65 | .126 | .127 |
| Support | 192.168.10.128/26 | .129 | .190 | .191 |
| Finance | 192.168.10.192/26 | .193 | .254 | .255 |

## Step 4: Check yourself

1. Which subnet holds `192.168.10.100`? *Engineering: 100 lies between 64 and 127.*
2. Can a printer use `192.168.10.191`? *No: it is the broadcast address of Support.*
3. If each router interface takes the first usable address, what is the default gateway of Engineering? *`192.168.10.65`.*
4. Finance grows to 100 hosts. What prefix does it need? *A /25 with 126 usable hosts, which spans two of your /26 blocks, so the plan must be redrawn.*
$md$)),

-- 2.0 Network Implementation

('4e700009-0000-4000-8000-000000000201', '4e700009-0000-4000-8000-000000000012',
 0, 'lesson', 'Routing Basics: Static Routes, OSPF and BGP',
 'See how a router picks a route and how static routes, OSPF and BGP fill the routing table.',
 25, 'intermediate', '{2.1}', '{routing,ospf,bgp}',
 jsonb_build_object('markdown', $md$# Routing Basics: Static Routes, OSPF and BGP

A router forwards packets between networks by looking up each destination in its **routing table**. When several entries match, the most specific one wins, the **longest prefix match**: for `10.1.2.9`, a route to `10.1.2.0/24` beats one to `10.0.0.0/8`, and both beat the default route `0.0.0.0/0`.

## Where routes come from

- **Connected** networks appear as soon as an interface is up with an address.
- **Static routes** are entered by an administrator. They are predictable and cost no bandwidth, but they do not adapt when a link fails. A small branch often needs only a default route:

```
ip route 0.0.0.0 0.0.0.0 203.0.113.1
```

- **Dynamic routing protocols** let routers share what they know and recalculate when the topology changes.

When two sources offer the same prefix, the router trusts the one with the lowest **administrative distance**. Cisco's defaults: connected 0, static 1, eBGP 20, OSPF 110, RIP 120.

## OSPF

Open Shortest Path First is an open-standard **link-state interior gateway protocol**, used inside one organization. Every router learns the full topology of its area, runs Dijkstra's shortest path first algorithm, and prefers the path with the lowest total **cost**, which is derived from interface bandwidth. Large networks are divided into areas that all connect to the backbone, **area 0**, so a change in one area does not force every router to recalculate.

## BGP

The Border Gateway Protocol is the **path-vector exterior gateway protocol** of the internet. It exchanges routes between **autonomous systems**, networks under one administration identified by an AS number, over TCP port 179. BGP chooses paths by attributes and policy, such as the length of the AS path and the preferences an operator sets, rather than by link speed. It is how an organization connects to two ISPs at once.

| | OSPF | BGP |
|---|---|---|
| Type | Link state | Path vector |
| Used | Inside an AS | Between ASes |
| Path choice | Lowest cost | Attributes and policy |
$md$)),

('4e700009-0000-4000-8000-000000000202', '4e700009-0000-4000-8000-000000000012',
 1, 'video', 'VLANs and 802.1Q Trunking',
 'Segment a switched network with VLANs, carry them between switches on 802.1Q trunks, and route between them.',
 18, 'intermediate', '{2.2}', '{vlan,802-1q,switching}',
 jsonb_build_object('markdown', $md$# VLANs and 802.1Q Trunking

A **virtual LAN (VLAN)** splits one physical switch into several logical ones. Each VLAN is its own broadcast domain and usually its own IP subnet. Placing phones, staff computers, guests and management interfaces in separate VLANs reduces broadcast traffic and lets you control what may talk to what.

## Access and trunk ports

- An **access port** belongs to one VLAN. The attached device sends ordinary untagged frames and never knows VLANs exist. Many switches can add a separate *voice VLAN* on the same port for an IP phone.
- A **trunk port** carries many VLANs over one link, typically between switches or from a switch to a router. To keep the traffic apart, the switch inserts a 4-byte **IEEE 802.1Q tag** into each frame. The tag holds a 12-bit VLAN ID, so usable IDs run from 1 to 4094.

Frames in the **native VLAN** cross a trunk untagged. Both ends must agree on it, and moving it from the default VLAN 1 to an unused VLAN blunts double-tagging VLAN-hopping attacks.

## Traffic between VLANs

Hosts in different VLANs cannot reach each other at Layer 2. A router must route between them: either a *router on a stick* with one subinterface per VLAN, or a Layer 3 switch with a switched virtual interface (SVI) per VLAN. That routing point is also a natural place for access control lists.

## Example configuration (Cisco IOS)

```
interface GigabitEthernet0/5
 switchport mode access
 switchport access vlan 20
!
interface GigabitEthernet0/24
 switchport mode trunk
 switchport trunk native vlan 999
 switchport trunk allowed vlan 10,20,30
```

Port Gi0/5 connects one computer in VLAN 20; port Gi0/24 trunks VLANs 10, 20 and 30 to the next switch.
$md$,
  'media', jsonb_build_array(jsonb_build_object('type', 'video',
	'url', '/media/vlans-and-8021q-trunking.webm',
	'title', 'VLANs and 802.1Q Trunking',
	'duration_seconds', 1080)),
  'chapters', jsonb_build_array(
	jsonb_build_object('title', 'Why segment with VLANs', 'start_seconds', 0),
	jsonb_build_object('title', 'Access ports and voice VLANs', 'start_seconds', 150),
	jsonb_build_object('title', 'Trunks and the 802.1Q tag', 'start_seconds', 390),
	jsonb_build_object('title', 'The native VLAN and VLAN hopping', 'start_seconds', 640),
	jsonb_build_object('title', 'Routing between VLANs', 'start_seconds', 820),
	jsonb_build_object('title', 'Configuration walkthrough', 'start_seconds', 930)))),

('4e700009-0000-4000-8000-000000000203', '4e700009-0000-4000-8000-000000000012',
 2, 'flashcards', 'Flashcards: Wi-Fi Standards and Channels',
 'Drill the 802.11 standards, frequency bands, channel planning and wireless security terms.',
 10, 'beginner', '{2.3}', '{wireless,wi-fi,802-11}',
 jsonb_build_object('markdown', $md$# Flashcards: Wi-Fi Standards and Channels

Cover the right-hand column, say your answer to each card aloud, then check it. Repeat the cards you miss until you get each one right twice in a row.

| Front | Back |
|---|---|
| 802.11a | 5 GHz, up to 54 Mbps |
| 802.11b | 2.4 GHz, up to 11 Mbps |
| 802.11g | 2.4 GHz, up to 54 Mbps |
| 802.11n (Wi-Fi 4) | 2.4 and 5 GHz, MIMO, up to 600 Mbps |
| 802.11ac (Wi-Fi 5) | 5 GHz only, downlink MU-MIMO, multi-gigabit rates |
| 802.11ax (Wi-Fi 6 and 6E) | 2.4 and 5 GHz, plus 6 GHz for 6E; OFDMA for crowded spaces |
| Non-overlapping 2.4 GHz channels in North America | 1, 6 and 11 |
| Why prefer 5 GHz or 6 GHz? | Many more non-overlapping channels and less interference, but shorter range |
| Channel bonding (40, 80 or 160 MHz) | More throughput per client, fewer non-overlapping channels |
| SSID vs BSSID | The network name vs the MAC address of one AP radio |
| ESS | Several APs sharing one SSID so clients can roam |
| Band steering | The AP nudges dual-band clients onto 5 GHz |
| WPA3-Personal | Replaces the WPA2 pre-shared key exchange with SAE, which resists offline password guessing |
| WPA2 or WPA3-Enterprise | Authenticates each user with 802.1X and a RADIUS server |
| Omnidirectional vs directional antenna | Radiates all around vs focuses the signal in one direction for longer links |

## Apply it

A site survey finds two neighboring access points on 2.4 GHz channels 1 and 3. Their channels overlap, so they interfere with each other: move the second one to channel 6 or 11.
$md$)),

-- 3.0 Network Operations

('4e700009-0000-4000-8000-000000000301', '4e700009-0000-4000-8000-000000000013',
 0, 'lesson', 'Documentation, Change Management and Disaster Recovery',
 'Know which documents to keep, how a controlled change works, and what RPO, RTO and recovery sites mean.',
 20, 'beginner', '{3.1,3.3}', '{documentation,change-management,disaster-recovery}',
 jsonb_build_object('markdown', $md$# Documentation, Change Management and Disaster Recovery

Networks fail less often, and recover faster, when the organization knows what it has, controls how it changes and plans for the worst.

## Documentation

- **Physical and logical diagrams:** where equipment sits, and how traffic flows through subnets, VLANs and routers.
- **Rack diagrams and cable maps:** which device port connects to which patch panel position.
- **IP address management (IPAM)** and an **asset inventory** with models, serial numbers, warranties and end-of-life dates.
- **Baselines:** standard configurations and normal performance, so that you can spot what is abnormal.
- **Service-level agreements (SLAs):** the uptime and response times you have promised.

## Change management

Every change, whether a firmware upgrade, a new VLAN or a firewall rule, follows the same path: a request that explains the change and its reason, an assessment of risk and impact, approval (often by a change advisory board), a scheduled maintenance window, a tested **rollback plan**, implementation, verification and updated documentation.

## Disaster recovery metrics

| Term | Meaning |
|---|---|
| RPO, recovery point objective | The most data, measured in time, the business can afford to lose |
| RTO, recovery time objective | How long a service may stay down before it must be restored |
| MTTR, mean time to repair | The average time to fix a failed component |
| MTBF, mean time between failures | The average running time of a repairable component between failures |

Nightly backups can lose up to a day of data, so an RPO of one hour requires hourly backups or continuous replication.

## Recovery sites

- **Cold site:** space, power and connectivity but no ready equipment; cheapest and slowest.
- **Warm site:** equipment in place, data restored from backups; recovery takes hours to days.
- **Hot site:** fully equipped with near-real-time copies of the data; fastest and most expensive.

Rehearse the plan with tabletop exercises and validation tests. An untested plan is only a hope.
$md$)),

('4e700009-0000-4000-8000-000000000302', '4e700009-0000-4000-8000-000000000013',
 1, 'video', 'Monitoring with SNMP, Syslog and Flow Data',
 'Watch a network with SNMP polling and traps, centralized syslog and NetFlow, measured against a baseline.',
 16, 'intermediate', '{3.2}', '{monitoring,snmp,syslog,netflow}',
 jsonb_build_object('markdown', $md$# Monitoring with SNMP, Syslog and Flow Data

You cannot fix what you cannot see. Network monitoring gathers three kinds of evidence: device metrics, event logs and traffic records. Compare them with a **baseline**, a record of normal behavior, and anomalies stand out.

## SNMP

The Simple Network Management Protocol lets a **manager**, the monitoring server, read values such as interface utilization, error counts and CPU load from **agents** on switches, routers and servers.

- The manager **polls** agents on UDP port 161.
- Agents send unsolicited **traps**, or acknowledged **informs**, to the manager on UDP port 162 when something happens, such as a link going down.
- Each value has an **object identifier (OID)**, and a device's **MIB** (management information base) describes the OIDs it offers.
- SNMPv1 and v2c authenticate with a plaintext *community string*. **SNMPv3** adds user authentication and encryption, and is the version to deploy.

## Syslog

Syslog sends event messages from many devices to one central server, traditionally over UDP port 514; TCP, and TLS on port 6514, add reliability and privacy. Every message carries a severity level, and lower numbers are more severe:

| Level | Severity | Level | Severity |
|---|---|---|---|
| 0 | Emergency | 4 | Warning |
| 1 | Alert | 5 | Notice |
| 2 | Critical | 6 | Informational |
| 3 | Error | 7 | Debug |

A SIEM (security information and event management) system can correlate these logs with other sources and raise alerts.

## Flow data and packet capture

**NetFlow** and the standard built on it, **IPFIX**, summarize conversations: addresses, ports, protocol, byte counts and timing, without the payload. They answer "who is using the bandwidth?" When you need the contents themselves, mirror a switch port (port mirroring, or SPAN) to a protocol analyzer and capture the packets.
$md$,
  'media', jsonb_build_array(jsonb_build_object('type', 'video',
	'url', '/media/monitoring-snmp-syslog-netflow.webm',
	'title', 'Monitoring with SNMP, Syslog and Flow Data',
	'duration_seconds', 960)),
  'chapters', jsonb_build_array(
	jsonb_build_object('title', 'Baselines and why they matter', 'start_seconds', 0),
	jsonb_build_object('title', 'SNMP polling and traps', 'start_seconds', 120),
	jsonb_build_object('title', 'Securing SNMP with version 3', 'start_seconds', 400),
	jsonb_build_object('title', 'Centralized syslog', 'start_seconds', 530),
	jsonb_build_object('title', 'NetFlow and packet capture', 'start_seconds', 760)))),

('4e700009-0000-4000-8000-000000000303', '4e700009-0000-4000-8000-000000000013',
 2, 'lesson', 'DHCP, SLAAC and DNS Services',
 'Follow how hosts get IPv4 and IPv6 addresses automatically and how DNS turns names into addresses.',
 25, 'intermediate', '{3.4}', '{dhcp,dns,ipv6,slaac}',
 jsonb_build_object('markdown', $md$# DHCP, SLAAC and DNS Services

Every host needs an address, a default gateway and a way to turn names into addresses. Three services provide them.

## DHCP for IPv4

A client without an address finds a server with four messages, remembered as **DORA**:

1. **Discover:** the client broadcasts from UDP port 68 to port 67.
2. **Offer:** a server proposes an address from its **scope**.
3. **Request:** the client asks for the offered address.
4. **Acknowledge:** the server confirms, and the **lease** begins.

The server also hands out **options** such as the default gateway and DNS servers. A **reservation** always gives one MAC address the same IP address, and **exclusions** keep statically assigned addresses out of the pool. Routers do not forward broadcasts, so a **DHCP relay** (an *IP helper* on the router) forwards requests to a server in another subnet.

## IPv6 and SLAAC

IPv6 addresses are 128 bits, written in hexadecimal, and there is no broadcast: multicast and anycast take its place.

| Type | Prefix |
|---|---|
| Global unicast | `2000::/3` |
| Unique local | `fc00::/7` |
| Link-local | `fe80::/10` |
| Multicast | `ff00::/8` |

With **SLAAC** (stateless address autoconfiguration), a host learns its prefix from router advertisements and creates the interface part itself, from its MAC address (EUI-64) or at random. **DHCPv6** can assign addresses too, or only supply options such as DNS servers.

## DNS

A **recursive resolver** answers a client by querying the root, top-level domain and authoritative servers in turn, then caches the answer for its **TTL**.

| Record | Purpose |
|---|---|
| A and AAAA | Name to IPv4 or IPv6 address |
| CNAME | Alias for another name |
| MX | Mail server of a domain |
| PTR | Address to name, for reverse lookups |
| NS | Authoritative name server of a zone |
| TXT | Free text, such as SPF policies |
$md$)),

-- 4.0 Network Security

('4e700009-0000-4000-8000-000000000401', '4e700009-0000-4000-8000-000000000014',
 0, 'lesson', 'Common Network Attacks',
 'Recognize denial-of-service, on-path, DNS poisoning, switch, wireless and social engineering attacks and their usual mitigations.',
 20, 'intermediate', '{4.2}', '{attacks,on-path,dns-poisoning,ddos}',
 jsonb_build_object('markdown', $md$# Common Network Attacks

Attacks on a network target one or more parts of the **CIA triad**: confidentiality, integrity and availability. Recognize the attack and you usually know the defense.

## Denial of service

A **DoS** attack exhausts a target's bandwidth, connections or processing power so that legitimate users are shut out. A **DDoS** attack does the same from many sources at once, often a botnet, which makes blocking single addresses useless. Upstream scrubbing services and rate limiting help.

## On-path attacks

In an **on-path attack**, formerly called man-in-the-middle, the attacker silently relays traffic between two victims, reading or altering it. On a LAN the classic technique is **ARP spoofing**: forged ARP replies link the attacker's MAC address to the gateway's IP address, so hosts send their traffic through the attacker.

## DNS poisoning

**DNS poisoning** plants false records in a resolver's cache or a host's files, sending users to a look-alike site. DNSSEC lets resolvers verify that answers were signed by the zone's owner.

## Switch and wireless attacks

- **MAC flooding** overfills a switch's MAC address table so that it floods frames out of every port, exposing traffic.
- **VLAN hopping** reaches another VLAN by posing as a trunking switch or by double-tagging frames.
- A **rogue DHCP server** hands out a malicious gateway or DNS server.
- A **rogue access point** is connected without permission; an **evil twin** copies a legitimate SSID to lure clients.

## Attacks on people

Phishing, tailgating, shoulder surfing and dumpster diving target people rather than protocols. Training and physical controls are the answer.

| Attack | Typical mitigation |
|---|---|
| ARP spoofing | Dynamic ARP inspection |
| Rogue DHCP server | DHCP snooping |
| MAC flooding | Port security |
| VLAN hopping | No automatic trunking, unused native VLAN |
| Evil twin | 802.1X authentication, wireless intrusion detection |
$md$)),

('4e700009-0000-4000-8000-000000000402', '4e700009-0000-4000-8000-000000000014',
 1, 'simulation', 'Simulation: Hardening an Access Switch',
 'Apply defense in depth to a branch switch: park unused ports, enable port security and restrict management with an ACL.',
 30, 'intermediate', '{4.3}', '{defense-in-depth,port-security,acl}',
 jsonb_build_object('markdown', $md$# Simulation: Hardening an Access Switch

**Scenario.** A new access switch at a branch office still has its default settings. Ports Gi0/1-12 serve desks in VLAN 10, ports Gi0/13-24 are unused, and administrators work from `10.10.99.0/24`. Harden the switch in layers, **defense in depth**, so that no single mistake exposes the network.

## Task 1: Park the unused ports

```
interface range GigabitEthernet0/13 - 24
 switchport mode access
 switchport access vlan 999
 shutdown
```

A disabled port in an unused "parking lot" VLAN is useless to someone who plugs in a laptop.

## Task 2: Limit each desk port

```
interface range GigabitEthernet0/1 - 12
 switchport mode access
 switchport access vlan 10
 switchport port-security
 switchport port-security maximum 2
 switchport port-security mac-address sticky
 switchport port-security violation restrict
```

**Port security** allows two MAC addresses per port, a phone and a computer, and learns them automatically. The `restrict` action drops frames from additional devices and logs the violation; `shutdown` would instead put the port into the err-disabled state.

## Task 3: Lock down management

```
ip access-list standard MGMT-ONLY
 permit 10.10.99.0 0.0.0.255
 deny any log
line vty 0 4
 access-class MGMT-ONLY in
 transport input ssh
```

An ACL is read from the top, and the first matching entry wins. Traffic that matches nothing is dropped by the implicit deny, but the explicit `deny any log` also records the attempts. Accepting only SSH keeps Telnet's plaintext passwords off the wire.

## Check your work

1. Gi0/4 has learned no addresses yet. A visitor connects a hub with three laptops. What happens? *The first two MAC addresses are learned; frames from the third are dropped and logged.*
2. An administrator at `10.10.50.7` tries to log in with SSH. What happens? *The ACL refuses the connection.*
3. Which features would add further layers? *DHCP snooping, dynamic ARP inspection and 802.1X port-based authentication.*
$md$)),

('4e700009-0000-4000-8000-000000000403', '4e700009-0000-4000-8000-000000000014',
 2, 'quiz', 'Quiz: Network Security Essentials',
 'Six scenario questions on security principles, common attacks and the switch and firewall features that stop them.',
 10, 'intermediate', '{4.1,4.2,4.3}', '{quiz,security}',
 jsonb_build_object('markdown', $md$# Quiz: Network Security Essentials

Answer all six questions before you read the key. Aim for at least five correct answers before moving on.

## Questions

1. Traffic from thousands of infected devices takes a web shop offline. Which part of the CIA triad is affected, and what is the attack called?
2. After an attacker sends forged ARP replies claiming the gateway's IP address, a user's traffic passes through the attacker's laptop. Name the attack and a switch feature that prevents it.
3. Which switch feature stops an unauthorized DHCP server on an access port from handing out addresses?
4. A router interface has a single ACL entry: `permit tcp any host 10.1.1.10 eq 443`. What happens to SSH traffic to 10.1.1.10?
5. Every account receives only the permissions its job requires. Which principle is this?
6. Where should a company place its public web servers so that a compromised server does not expose the internal network?

## Answer key

1. **Availability.** It is a distributed denial-of-service (DDoS) attack.
2. An **on-path attack** using ARP spoofing. **Dynamic ARP inspection** checks ARP messages against trusted address bindings and drops forged ones.
3. **DHCP snooping**, which accepts DHCP offers only on ports marked as trusted, such as the uplink.
4. It is **dropped** by the implicit deny at the end of every ACL: only HTTPS was permitted.
5. **Least privilege.**
6. In a **screened subnet**, formerly called a DMZ, separated from the internal network by a firewall.
$md$)),

-- 5.0 Network Troubleshooting

('4e700009-0000-4000-8000-000000000501', '4e700009-0000-4000-8000-000000000015',
 0, 'lesson', 'The Seven-Step Troubleshooting Methodology',
 'Work through any network problem with the seven CompTIA troubleshooting steps, in order.',
 15, 'beginner', '{5.1}', '{troubleshooting,methodology}',
 jsonb_build_object('markdown', $md$# The Seven-Step Troubleshooting Methodology

Guessing wastes time and can make an outage worse. CompTIA's methodology gives every problem the same disciplined path, and the exam expects you to know the steps in order.

1. **Identify the problem.** Gather information, question users, identify symptoms, determine whether anything has changed, duplicate the problem if possible, and approach multiple problems one at a time.
2. **Establish a theory of probable cause.** Question the obvious. Consider several approaches: top-to-bottom or bottom-to-top through the OSI model, or divide and conquer.
3. **Test the theory to determine the cause.** If it is confirmed, determine the next steps; if not, establish a new theory or escalate.
4. **Establish a plan of action** to resolve the problem, and identify its potential effects.
5. **Implement the solution**, or escalate as necessary.
6. **Verify full system functionality** and, if applicable, implement preventive measures.
7. **Document findings, actions, outcomes and lessons learned.**

## A worked example

Users on the third floor cannot reach the intranet, while other floors can. The technician learns that the floor's switch was replaced last night (step 1) and suspects the new uplink is missing a VLAN (step 2). The command `show interfaces trunk` shows VLAN 30 absent from the allowed list, confirming the theory (step 3). Adding the VLAN to the trunk affects nothing else, so the technician plans the change under the emergency change procedure (step 4) and applies it (step 5). The third floor reaches the intranet again, and the switch template is corrected so that the next replacement includes VLAN 30 (step 6). Finally, the ticket records the cause, the fix and the template change (step 7).

## Exam tips

- Many questions ask what you should do **next**: find the current step, then pick the one that follows.
- Documentation comes last, but it is never optional.
- Escalating is a legitimate outcome of steps 3 and 5.
$md$)),

('4e700009-0000-4000-8000-000000000502', '4e700009-0000-4000-8000-000000000015',
 1, 'study_guide', 'Study Guide: Cables, Interfaces and Command-Line Tools',
 'A one-page review of cable and interface faults, the hardware testers, and the command-line tools that diagnose them.',
 20, 'intermediate', '{5.2,5.5}', '{cabling,command-line,ping,dig,study-guide}',
 jsonb_build_object('markdown', $md$# Study Guide: Cables, Interfaces and Command-Line Tools

Review this sheet before the practice exam. Work from Layer 1 up: many outages end at a cable, a port or a setting.

## Cable and interface problems

| Symptom | Likely cause |
|---|---|
| No link light | Unplugged or broken cable, wrong transceiver |
| Interface *administratively down* | The port was disabled with `shutdown` |
| Rising CRC errors | Damaged cable, interference (EMI) or a bad connector |
| Late collisions and slow transfers | Duplex mismatch |
| Errors on long copper runs | Attenuation beyond the 100 m limit |
| Gigabit link comes up at 100 Mbps | A broken pair: 1000BASE-T needs all four pairs |
| Fiber link down | Dirty connector, mixed fiber types, TX and RX swapped |
| Access point stays dark | PoE budget exceeded |

Hardware tools: a **cable tester** checks continuity and pinout, a **TDR** or **OTDR** measures the distance to a fault in copper or fiber, a **toner and probe** traces a cable, a **light meter** measures optical power, and a **Wi-Fi analyzer** shows channels and signal strength.

## Command-line tools

| Tool | Use it to |
|---|---|
| `ping` | Test reachability and round-trip time with ICMP echo |
| `traceroute` / `tracert` | List the routers on the path, hop by hop |
| `nslookup`, `dig` | Query DNS servers for records |
| `ipconfig` / `ip addr` | Show addresses, mask and gateway |
| `arp -a` | View the IP-to-MAC address cache |
| `netstat`, `ss` | List connections and listening ports |
| `tcpdump` | Capture packets from the command line |
| `nmap` | Discover hosts and open ports |

```
ping -c 4 192.168.1.1         # Windows: ping -n 4 192.168.1.1
traceroute -n 203.0.113.80    # Windows: tracert 203.0.113.80
dig +short www.example.com A
dig @1.1.1.1 example.com MX
nslookup -type=AAAA www.example.com
```

If pinging a server's IP address works but pinging its name fails, suspect DNS, not routing.
$md$)),

('4e700009-0000-4000-8000-000000000503', '4e700009-0000-4000-8000-000000000015',
 2, 'practice_exam', 'Practice Exam: Network Troubleshooting',
 'Eight timed, exam-style questions on the troubleshooting methodology, cabling, network services and tools, with explanations.',
 30, 'intermediate', '{5.1,5.2,5.3,5.5}', '{practice-exam,troubleshooting}',
 jsonb_build_object('markdown', $md$# Practice Exam: Network Troubleshooting

Troubleshooting is the heaviest domain of N10-009, at 24% of the exam. Give yourself 15 minutes for these eight questions, with no notes, then score yourself against the key. Review the matching lesson for any question you miss.

## Questions

1. A user reports no network access. You ask whether anything changed recently. Which step of the methodology are you in?
2. You have confirmed that a damaged patch cable causes the problem. What is the next step?
3. A switch port set to auto-negotiate connects to a server fixed at 100 Mbps full duplex. Transfers are slow and the port logs late collisions. What is the most likely cause?
4. A workstation has the address `169.254.23.10`. What went wrong?
5. `ping 203.0.113.80` succeeds, but `ping www.example.com` reports an unknown host. Which service should you investigate, and with which tools?
6. Which tool finds the distance to a break in a fiber run?
7. A traceroute gets replies up to hop 4, then only asterisks. What does this suggest?
8. A new access point stays dark on a PoE switch that already powers twenty phones. What is the likely cause?

## Answer key

1. **Identify the problem** (step 1).
2. **Establish a plan of action** to resolve it and identify potential effects (step 4).
3. A **duplex mismatch**: the auto-negotiating side cannot learn the duplex setting, so it falls back to half duplex.
4. The host got no DHCP reply and assigned itself an **APIPA** address. Check the DHCP server, the relay and the port's VLAN.
5. **DNS**: check the host's resolver settings and query the server with `nslookup` or `dig`.
6. An **OTDR** (optical time-domain reflectometer).
7. Packets are lost after hop 4: a routing problem, a failed link, or a firewall dropping the probes.
8. The switch's **PoE power budget** is exhausted, or the access point needs more power than the port supplies.
$md$))

) AS v (id, unit_id, position, kind, title, summary, minutes, difficulty,
	codes, tags, content)
JOIN units u ON u.id = v.unit_id::uuid
JOIN courses c ON c.id = u.course_id AND c.org_id = u.org_id
ON CONFLICT DO NOTHING;

-- ---- Prerequisites (no cycles) ----

INSERT INTO lesson_prerequisites (lesson_id, prerequisite_id, org_id)
SELECT l.id, p.id, l.org_id
FROM (VALUES
	-- the subnetting lab needs IPv4 addressing and CIDR
	('4e700009-0000-4000-8000-000000000104',
		'4e700009-0000-4000-8000-000000000103'),
	-- the security quiz needs common network attacks
	('4e700009-0000-4000-8000-000000000403',
		'4e700009-0000-4000-8000-000000000401'),
	-- the practice exam needs the troubleshooting study guide
	('4e700009-0000-4000-8000-000000000503',
		'4e700009-0000-4000-8000-000000000502')
) AS v (lesson_id, prerequisite_id)
JOIN lessons l ON l.id = v.lesson_id::uuid
JOIN lessons p ON p.id = v.prerequisite_id::uuid AND p.org_id = l.org_id
	AND p.course_id = l.course_id
ON CONFLICT DO NOTHING;

-- ---- Demo progress ----

-- Times are relative to the seeding: "ago" intervals.  A completed lesson
-- has completed_at and 100%; an in-progress one was last touched at
-- touched_ago.  Prerequisites are completed before their lessons start.
INSERT INTO lesson_progress (user_id, lesson_id, org_id, course_id, status,
	progress_percent, time_spent_seconds, last_position, started_at,
	completed_at, updated_at)
SELECT u.id, l.id, l.org_id, l.course_id, v.status, v.percent::numeric,
	v.seconds, v.last_position::jsonb, now() - v.started_ago::interval,
	now() - v.completed_ago::interval,
	now() - coalesce(v.completed_ago, v.touched_ago)::interval
FROM (VALUES
	-- sarah_network: 6 completed, 1 in progress; the completions whole
	-- days apart, so that they fall on five days of hers (6, 5, 4, 2 and 1
	-- days ago) at whatever hour the seed runs
	('student1@network.test', '4e700009-0000-4000-8000-000000000101',
		'completed', 100, 1420, NULL, '6 days 30 minutes',
		'6 days', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000102',
		'completed', 100, 1010, NULL, '5 days 20 minutes',
		'5 days', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000103',
		'completed', 100, 1650, NULL, '4 days 1 hour 25 minutes',
		'4 days 55 minutes', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000104',
		'completed', 100, 2580, NULL, '4 days 45 minutes',
		'4 days', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000201',
		'completed', 100, 1700, NULL, '2 days 30 minutes',
		'2 days', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000202',
		'completed', 100, 1130, NULL, '1 day 20 minutes',
		'1 day', NULL),
	('student1@network.test', '4e700009-0000-4000-8000-000000000203',
		'in_progress', 55, 340, '{"card": 8}', '5 hours', NULL,
		'4 hours 50 minutes'),
	-- mike_netplus: 3 completed, 2 in progress
	('student2@network.test', '4e700009-0000-4000-8000-000000000101',
		'completed', 100, 1690, NULL, '4 days 5 hours 50 minutes',
		'4 days 5 hours 20 minutes', NULL),
	('student2@network.test', '4e700009-0000-4000-8000-000000000102',
		'completed', 100, 1150, NULL, '3 days 2 hours',
		'3 days 1 hour 40 minutes', NULL),
	('student2@network.test', '4e700009-0000-4000-8000-000000000103',
		'completed', 100, 1960, NULL, '1 day 23 hours',
		'1 day 22 hours 25 minutes', NULL),
	('student2@network.test', '4e700009-0000-4000-8000-000000000104',
		'in_progress', 40, 1020, '{"step": 3}', '1 day 22 hours 15 minutes',
		NULL, '1 day 21 hours 55 minutes'),
	('student2@network.test', '4e700009-0000-4000-8000-000000000201',
		'in_progress', 35, 560, '{"heading": "ospf"}', '7 hours', NULL,
		'6 hours 50 minutes'),
	-- jane_tech: 1 in progress
	('student3@network.test', '4e700009-0000-4000-8000-000000000101',
		'in_progress', 30, 410, '{"heading": "encapsulation"}',
		'1 day 1 hour 50 minutes', NULL, '1 day 1 hour 40 minutes')
) AS v (email, lesson_id, status, percent, seconds, last_position,
	started_ago, completed_ago, touched_ago)
JOIN users u ON lower(u.email) = v.email
JOIN lessons l ON l.id = v.lesson_id::uuid AND l.org_id = u.org_id
ON CONFLICT DO NOTHING;

-- Enrollments, with the course's percentage from the progress above
-- (completed / published lessons, as ludus computes it) and the time of the
-- last activity.
INSERT INTO enrollments (user_id, course_id, org_id, status,
	progress_percent, enrolled_at, last_activity_at)
SELECT u.id, c.id, c.org_id, 'active',
	(SELECT coalesce(round(100.0 * count(*) FILTER (WHERE p.status =
		'completed') / nullif(count(*), 0), 2), 0)
	 FROM lessons l
	 LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = u.id
	 WHERE l.course_id = c.id AND l.deleted_at IS NULL
		AND l.status = 'published'),
	now() - v.enrolled_ago::interval,
	(SELECT max(p.updated_at) FROM lesson_progress p
	 WHERE p.user_id = u.id AND p.course_id = c.id)
FROM (VALUES
	('student1@network.test', '6 days 2 hours'),
	('student2@network.test', '4 days 6 hours'),
	('student3@network.test', '1 day 2 hours')
) AS v (email, enrolled_ago)
JOIN users u ON lower(u.email) = v.email
JOIN courses c ON c.id = '4e700009-0000-4000-8000-000000000001'
	AND c.org_id = u.org_id
ON CONFLICT DO NOTHING;
