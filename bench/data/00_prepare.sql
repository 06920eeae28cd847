-- Bench data set, step 0: the helper schema, past months' partitions, the
-- organizations.  Runs as the database owner (psql -v ON_ERROR_STOP=1),
-- after `ludus migrate up` and `ludus seed`, in one psql session with the
-- files that follow (they share temporary tables).
--
-- Reproducible: one seed for random(), no parallel plans.
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET work_mem = '128MB';
SELECT setseed(0.42);

-- What the drivers (wrk, pgbench) need to pick users, lessons, attempts.
CREATE SCHEMA bench;

-- A year of history: the answer, activity and audit streams get their
-- monthly partitions ahead of the rows, as the README asks of operators.
SELECT ensure_monthly_partitions('attempt_answers',
	(now() - interval '14 months')::date, 15);
SELECT ensure_monthly_partitions('activity_events',
	(now() - interval '14 months')::date, 15);
SELECT ensure_monthly_partitions('audit_events',
	(now() - interval '14 months')::date, 15);

-- The default organization (the demo's) holds 90 % of the learners and all
-- the content; four smaller tenants have signed up but not yet authored.
INSERT INTO organizations (slug, name, created_at) VALUES
	('northwind-academy', 'Northwind Academy', now() - interval '300 days'),
	('contoso-it', 'Contoso IT Training', now() - interval '250 days'),
	('fabrikam-learning', 'Fabrikam Learning', now() - interval '200 days'),
	('tailspin-tech', 'Tailspin Tech School', now() - interval '120 days');

-- Word lists for names, places and text.
CREATE TEMP TABLE words AS SELECT
	ARRAY['Olivia','Liam','Emma','Noah','Ava','Elijah','Sophia','James',
		'Isabella','Lucas','Mia','Mateo','Amara','Kenji','Priya','Arjun',
		'Fatima','Omar','Chen','Mei','Lars','Ingrid','Diego','Lucia',
		'Tunde','Ngozi','Yuki','Hiro','Anya','Dmitri','Sofia','Marco',
		'Chloe','Ethan','Zara','Kofi','Leila','Samir','Hannah','Jonas'] AS first,
	ARRAY['Smith','Johnson','Garcia','Martinez','Brown','Lee','Nguyen',
		'Patel','Kim','Muller','Rossi','Silva','Okafor','Tanaka','Ivanova',
		'Larsen','Dubois','Kowalski','Haddad','Mensah','Cohen','Singh',
		'Lopez','Wilson','Anderson','Taylor','Thomas','Moore','Jackson',
		'White','Harris','Clark','Lewis','Walker','Hall','Young','King',
		'Wright','Scott','Green'] AS last,
	ARRAY['UTC','Europe/London','Europe/Berlin','Europe/Stockholm',
		'America/New_York','America/Chicago','America/Denver',
		'America/Los_Angeles','America/Sao_Paulo','Asia/Tokyo',
		'Asia/Kolkata','Asia/Singapore','Australia/Sydney','Africa/Lagos',
		'Africa/Nairobi','Europe/Madrid'] AS tz,
	-- the vocabulary of lessons, questions and searches
	ARRAY['subnet','subnetting','router','switch','vlan','trunk','ospf',
		'bgp','eigrp','routing','dns','dhcp','nat','firewall','proxy',
		'load balancer','tcp','udp','icmp','arp','ethernet','fiber',
		'wireless','wpa3','spanning tree','ipv6','ipv4','cidr','gateway',
		'latency','jitter','bandwidth','throughput','packet loss','qos',
		'vpn','ipsec','tls','certificate','encryption','hashing',
		'authentication','authorization','mfa','radius','tacacs','ldap',
		'kerberos','phishing','malware','ransomware','ddos','mitm',
		'vulnerability','patching','siem','ids','ips','honeypot',
		'segmentation','zero trust','least privilege','incident response',
		'forensics','backup','disaster recovery','rpo','rto','cloud',
		'virtualization','hypervisor','container','saas','iaas','paas',
		'motherboard','cpu','ram','ssd','raid','bios','uefi','printer',
		'laptop','smartphone','bluetooth','nfc','usb','hdmi','power supply',
		'windows','linux','macos','command line','registry','permissions',
		'active directory','group policy','troubleshooting','documentation',
		'change management','osi model','port','protocol','topology',
		'mesh','star','cabling','patch panel','wireshark','traceroute',
		'ping','nslookup','syslog','snmp','netflow','monitoring'] AS vocab;
