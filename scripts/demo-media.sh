#!/bin/sh
# demo-media.sh - makes the demo videos of the seed (web/media/*.webm): one
# title card per chapter, shown from the chapter's start, at one frame a
# second, so that a whole lesson's video stays a few kilobytes and the
# seeded chapters (sql/seed/0002_network_plus.sql) seek to their card.
# Needs ffmpeg with libvpx and the DejaVu fonts (Debian: ffmpeg,
# fonts-dejavu-core).  The files are committed; run this only to change
# them.
set -eu
cd "$(dirname "$0")/.."
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

# video NAME TITLE SECONDS "START|CHAPTER" ...
video() {
	name=$1 title=$2 length=$3
	shift 3
	filter="drawtext=fontfile=$FONT:text='$title':fontcolor=0xc7d2fe:fontsize=20:x=(w-tw)/2:y=60"
	keys=""
	n=0
	for ch in "$@"; do
		start=${ch%%|*} text=${ch#*|}
		n=$((n + 1))
		end=$length
		for next in "$@"; do
			s=${next%%|*}
			if [ "$s" -gt "$start" ] && [ "$s" -lt "$end" ]; then end=$s; fi
		done
		filter="$filter,drawtext=fontfile=$BOLD:text='$n. $text':fontcolor=white:fontsize=26:x=(w-tw)/2:y=(h-th)/2:enable='between(t,$start,$((end - 1)))'"
		keys="$keys${keys:+,}$start"
	done
	filter="$filter,drawtext=fontfile=$FONT:text='Ludus demo video - the lesson text below has the content':fontcolor=0xa3abbd:fontsize=14:x=(w-tw)/2:y=h-40"
	ffmpeg -hide_banner -loglevel error -y -f lavfi \
	    -i "color=c=0x1f2431:s=640x360:r=1:d=$length" -vf "$filter" \
	    -c:v libvpx-vp9 -b:v 0 -crf 50 -g 120 -force_key_frames "$keys" \
	    -row-mt 1 -an "web/media/$name.webm"
}

mkdir -p web/media
video tcp-udp-and-ports 'TCP, UDP and the Ports to Know' 900 \
	'0|Transport protocols at a glance' \
	'140|Inside the three-way handshake' \
	'330|UDP and real-time traffic' \
	'520|Well-known ports' \
	'780|Memory tricks'
video vlans-and-8021q-trunking 'VLANs and 802.1Q Trunking' 1080 \
	'0|Why segment with VLANs' \
	'150|Access ports and voice VLANs' \
	'390|Trunks and the 802.1Q tag' \
	'640|The native VLAN and VLAN hopping' \
	'820|Routing between VLANs' \
	'930|Configuration walkthrough'
video monitoring-snmp-syslog-netflow 'Monitoring with SNMP, Syslog and Flow Data' 960 \
	'0|Baselines and why they matter' \
	'120|SNMP polling and traps' \
	'400|Securing SNMP with version 3' \
	'530|Centralized syslog' \
	'760|NetFlow and packet capture'
