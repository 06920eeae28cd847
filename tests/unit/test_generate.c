/*
 * test_generate.c - the built-in generator on small texts with known
 * answers, and its invariants on any text (src/materials/generate.h).
 *
 * The golden lists below pin every asset of two short texts, in order:
 * "B|chunk|front|back" for a basic card, "C|chunk|text" for a cloze,
 * "Q|chunk|stem|answer|distractors sorted" for a quiz, "S|chunk|text" for
 * a summary, "K|chunk|term(kind);..." for key terms.  A change in the
 * heuristics shows up here as a diff to read, not as a silent drift.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "materials/asset.h"
#include "materials/chunk.h"
#include "materials/generate.h"
#include "materials/text.h"

static const char net[] =
    "# Networking basics\n"
    "\n"
    "## The OSI model\n"
    "\n"
    "The Open Systems Interconnection (OSI) model is a conceptual framework "
    "that divides network communication into seven layers. Each layer "
    "serves the layer above it. The transport layer is the layer that "
    "provides end-to-end delivery between hosts.\n"
    "\n"
    "| Layer | Name |\n"
    "| --- | --- |\n"
    "| 7 | Application |\n"
    "| 4 | Transport |\n"
    "| 3 | Network |\n"
    "\n"
    "## Addressing\n"
    "\n"
    "Dynamic Host Configuration Protocol (DHCP) is a network protocol that "
    "assigns IP addresses to hosts automatically. The Domain Name System "
    "(DNS) is the service that translates domain names into IP addresses. "
    "A router is a device that forwards packets between networks. Every "
    "host on a network needs a unique IP address.\n"
    "\n"
    "- **TCP**: a reliable, connection-oriented transport protocol\n"
    "- **UDP**: a connectionless transport protocol with low overhead\n"
    "- ICMP - a protocol for error messages and diagnostics\n"
    "\n"
    "## Ports\n"
    "\n"
    "A port number identifies a specific process on a host. HTTPS uses "
    "port 443. SSH runs on TCP port 22.\n"
    "\n"
    "| Protocol | Port |\n"
    "| --- | --- |\n"
    "| HTTP | 80 |\n"
    "| SMTP | 25 |\n";

static const char *const net_golden[] = {
	"B|0|Open Systems Interconnection (OSI) model|a conceptual framework "
	    "that divides network communication into seven layers",
	"B|0|OSI|Open Systems Interconnection",
	"B|1|Dynamic Host Configuration Protocol (DHCP)|a network protocol "
	    "that assigns IP addresses to hosts automatically",
	"B|1|DHCP|Dynamic Host Configuration Protocol",
	"B|1|DNS|Domain Name System",
	"B|1|router|a device that forwards packets between networks",
	"B|0|transport layer|the layer that provides end-to-end delivery "
	    "between hosts",
	"B|1|Domain Name System (DNS)|the service that translates domain "
	    "names into IP addresses",
	"B|1|TCP|a reliable, connection-oriented transport protocol",
	"B|1|UDP|a connectionless transport protocol with low overhead",
	"B|1|ICMP|a protocol for error messages and diagnostics",
	"Q|0|Which term matches this description: a conceptual framework that "
	    "divides network communication into seven layers?|OSI model|"
	    "DHCP;router;transport layer",
	"Q|1|Which term matches this description: a network protocol that "
	    "assigns IP addresses to hosts automatically?|DHCP|DNS;ICMP;TCP",
	"Q|1|Which term matches this description: a device that forwards "
	    "packets between networks?|router|DHCP;OSI model;transport layer",
	"S|-1|Each layer serves the layer above it. Dynamic Host Configuration "
	    "Protocol (DHCP) is a network protocol that assigns IP addresses "
	    "to hosts automatically. Every host on a network needs a unique IP "
	    "address. HTTPS uses port 443. SSH runs on TCP port 22.",
	"B|0|Name of Layer 7|Application",
	"B|0|Name of Layer 4|Transport",
	"B|0|Name of Layer 3|Network",
	"B|2|Port used by HTTPS|443",
	"B|2|Port used by SSH|22",
	"B|2|Port of HTTP|80",
	"B|2|Port of SMTP|25",
	"Q|0|Which term matches this description: the layer that provides "
	    "end-to-end delivery between hosts?|transport layer|"
	    "DHCP;OSI model;router",
	"Q|1|Which term matches this description: the service that "
	    "translates domain names into IP addresses?|DNS|DHCP;TCP;UDP",
	"Q|1|Which term matches this description: a reliable, "
	    "connection-oriented transport protocol?|TCP|DHCP;DNS;UDP",
	"Q|1|Which term matches this description: a connectionless transport "
	    "protocol with low overhead?|UDP|DHCP;DNS;TCP",
	"Q|1|Which term matches this description: a protocol for error "
	    "messages and diagnostics?|ICMP|DHCP;DNS;TCP",
	"Q|2|Which port does HTTPS use?|443|22;25;80",
	"Q|2|Which port does SSH use?|22|25;443;80",
	"Q|2|Which port does HTTP use?|80|22;25;443",
	"Q|2|Which port does SMTP use?|25|22;443;80",
	"S|1|Dynamic Host Configuration Protocol (DHCP) is a network protocol "
	    "that assigns IP addresses to hosts automatically. Every host on a "
	    "network needs a unique IP address.",
	"K|-1|network protocol(phrase);protocol(keyword);transport "
	    "protocol(phrase);Dynamic Host Configuration Protocol(name);"
	    "host(keyword);transport layer(defined);network(keyword);Domain "
	    "Name System(name);IP address(phrase);OSI model(defined);TCP "
	    "port(phrase);IP(acronym);Transport(keyword);domain "
	    "names(phrase);TCP(defined);port(keyword);Open Systems "
	    "Interconnection(name);layer(keyword);port 443(number);"
	    "port 22(number)",
	"Q|0|What does OSI stand for?|Open Systems Interconnection|"
	    "Domain Name System;Dynamic Host Configuration Protocol",
	"Q|1|What does DHCP stand for?|Dynamic Host Configuration Protocol|"
	    "Domain Name System;Open Systems Interconnection",
	"Q|1|What does DNS stand for?|Domain Name System|"
	    "Dynamic Host Configuration Protocol;Open Systems Interconnection",
	"S|2|HTTPS uses port 443. SSH runs on TCP port 22.",
	"S|0|Each layer serves the layer above it. The transport layer is the "
	    "layer that provides end-to-end delivery between hosts.",
	"C|2|A port number identifies a specific process on a {{c1::host}}.",
	"C|1|Every host on a network needs a unique {{c1::IP address}}.",
	NULL
};

static const char bio[] =
    "# Cell biology\n"
    "\n"
    "The cell is the basic unit of life. All living organisms are made of "
    "one or more cells. Cells were first observed by Robert Hooke in "
    "1665.\n"
    "\n"
    "## Organelles\n"
    "\n"
    "The nucleus is a membrane-bound organelle that contains the genetic "
    "material of the cell. Mitochondria are organelles that produce energy "
    "in the form of ATP. The ribosome is a molecular machine that builds "
    "proteins from amino acids. Adenosine triphosphate (ATP) is the main "
    "energy carrier of the cell.\n"
    "\n"
    "Chloroplasts, which capture light energy, are found in plant cells. "
    "Photosynthesis refers to the process by which plants convert light "
    "into chemical energy.\n"
    "\n"
    "## Molecules\n"
    "\n"
    "- **DNA**: the molecule that stores genetic information\n"
    "- **RNA**: a molecule that carries the genetic code to the ribosome\n"
    "- Enzymes - proteins that speed up chemical reactions\n"
    "\n"
    "Deoxyribonucleic acid (DNA) is a double helix. Ribonucleic acid (RNA) "
    "is usually single-stranded.\n";

static const char *const bio_golden[] = {
	"B|0|nucleus|a membrane-bound organelle that contains the genetic "
	    "material of the cell",
	"B|0|ribosome|a molecular machine that builds proteins from amino "
	    "acids",
	"B|1|Deoxyribonucleic acid (DNA)|a double helix",
	"B|0|cell|the basic unit of life",
	"B|0|Adenosine triphosphate (ATP)|the main energy carrier of the cell",
	"B|0|Photosynthesis|the process by which plants convert light into "
	    "chemical energy",
	"B|1|DNA|the molecule that stores genetic information",
	"B|1|RNA|a molecule that carries the genetic code to the ribosome",
	"B|1|Enzymes|proteins that speed up chemical reactions",
	"Q|0|Which term matches this description: a membrane-bound organelle "
	    "that contains the genetic material of the cell?|nucleus|"
	    "Enzymes;Mitochondria;ribosome",
	"Q|0|Which term matches this description: a molecular machine that "
	    "builds proteins from amino acids?|ribosome|Enzymes;cell;nucleus",
	"Q|1|Which term matches this description: a double helix?|"
	    "Deoxyribonucleic acid|Adenosine triphosphate;Mitochondria;"
	    "Photosynthesis",
	"S|-1|The cell is the basic unit of life. Cells were first observed "
	    "by Robert Hooke in 1665. The nucleus is a membrane-bound "
	    "organelle that contains the genetic material of the cell. "
	    "Adenosine triphosphate (ATP) is the main energy carrier of the "
	    "cell. Chloroplasts, which capture light energy, are found in "
	    "plant cells.",
	"Q|0|Which term matches this description: the basic unit of life?|"
	    "cell|Enzymes;nucleus;ribosome",
	"Q|0|Which term matches this description: the main energy carrier of "
	    "the cell?|Adenosine triphosphate|Deoxyribonucleic acid;"
	    "Mitochondria;Photosynthesis",
	"Q|0|Which term matches this description: the process by which "
	    "plants convert light into chemical energy?|Photosynthesis|"
	    "Mitochondria;nucleus;ribosome",
	"Q|1|Which term matches this description: the molecule that stores "
	    "genetic information?|DNA|RNA;cell;nucleus",
	"Q|1|Which term matches this description: a molecule that carries the "
	    "genetic code to the ribosome?|RNA|DNA;cell;nucleus",
	"Q|1|Which term matches this description: proteins that speed up "
	    "chemical reactions?|Enzymes|cell;nucleus;ribosome",
	"S|0|Adenosine triphosphate (ATP) is the main energy carrier of the "
	    "cell. Chloroplasts, which capture light energy, are found in "
	    "plant cells.",
	"K|-1|cell(defined);plant cells(phrase);chemical energy(phrase);light "
	    "energy(phrase);energy(keyword);genetic(keyword);acid(keyword);"
	    "Deoxyribonucleic acid(defined);organelles(keyword);"
	    "membrane-bound organelle(phrase);proteins(keyword);RNA(defined);"
	    "DNA(defined);plants(keyword);molecule(keyword);"
	    "chemical(keyword);light(keyword);ATP(acronym);Adenosine "
	    "triphosphate(defined);ribosome(defined)",
	"B|0|Mitochondria|organelles that produce energy in the form of ATP",
	"C|1|Ribonucleic acid ({{c1::RNA}}) is usually single-stranded.",
	"Q|0|Which term matches this description: organelles that produce "
	    "energy in the form of ATP?|Mitochondria|"
	    "Photosynthesis;nucleus;ribosome",
	"S|1|DNA: the molecule that stores genetic information. RNA: a "
	    "molecule that carries the genetic code to the ribosome.",
	"C|0|Cells were first observed by {{c1::Robert Hooke}} in 1665.",
	"B|0|Chloroplasts|capture light energy",
	NULL
};

/* A text cut and generated from. */
struct run {
	const char *text;
	size_t len;
	struct chunk *c;
	size_t nc;
	struct gen_params p;
	struct gen_result r;
};

static void
run_(struct run *r, const char *text, const struct gen_params *p)
{
	char err[128];

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = strlen(text);
	if (p != NULL)
		r->p = *p;
	else
		gen_params_default(&r->p);
	assert_int_equal(chunk_text(text, r->len, NULL, &r->c, &r->nc, err,
	    sizeof(err)), 0);
	assert_int_equal(generate(text, r->len, r->c, r->nc, &r->p, &r->r),
	    0);
}

static void
run_free(struct run *r)
{
	gen_result_free(&r->r, r->nc);
	chunks_free(r->c, r->nc);
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void
assert_plain(const char *s)
{
	assert_null(strstr(s, "**"));
	assert_true(s[0] != '\0');
}

/* What holds of every generation: shapes, sources, caps, duplicates. */
static void
check(const struct run *r)
{
	const struct gen_result *g = &r->r;
	int cards = 0, quizzes = 0, terms = 0;
	int *summaries = calloc(r->nc + 2, sizeof(int));
	char **seen = calloc(g->nassets + 1, sizeof(char *));
	size_t nseen = 0;

	assert_non_null(summaries);
	assert_non_null(seen);
	for (size_t i = 0; i < r->nc; i++) {
		assert_non_null(g->chunk_summary[i]);
		assert_true(g->chunk_relevance[i] >= 0 &&
		    g->chunk_relevance[i] <= 1);
	}
	for (size_t i = 0; i < g->nassets; i++) {
		const struct gen_asset *a = &g->assets[i];
		char field[64], why[256];

		/* What a learner's edit and a model's answer must pass, the
		 * generator passes too. */
		if (asset_validate(a->type, a->content, field, sizeof(field), why,
		    sizeof(why)) != 0)
			fail_msg("%s asset %zu: %s", a->type, i, why);
		json_t *c = a->content;
		size_t lo = 0, hi = r->len;
		char *key = NULL;

		assert_true(a->chunk >= -1 && a->chunk < (int)r->nc);
		if (a->chunk >= 0) {
			lo = r->c[a->chunk].start;
			hi = r->c[a->chunk].end;
		}
		assert_true(a->nsrc >= 1);
		for (int k = 0; k < a->nsrc; k++)
			assert_true(lo <= a->src[k].start &&
			    a->src[k].start < a->src[k].end &&
			    a->src[k].end <= hi);
		assert_true(a->quality >= 0 && a->quality <= 1);
		if (i > 0)
			assert_true(a->quality <= g->assets[i - 1].quality);
		assert_true(a->difficulty >= 1 && a->difficulty <= 10);
		assert_string_equal(str(a->params, "generator"), "builtin");
		assert_true(json_is_string(json_object_get(a->params, "method")));
		assert_true(json_is_object(c));
		if (strcmp(a->type, "flashcard") == 0) {
			const char *kind = str(c, "kind");

			cards++;
			assert_int_equal(json_object_size(c), 3);
			if (strcmp(kind, "basic") == 0) {
				assert_plain(str(c, "front"));
				assert_plain(str(c, "back"));
				key = xstrdup(str(c, "front"));
			} else {
				const char *t = str(c, "text");
				const char *o = strstr(t, "{{c1::");

				assert_string_equal(kind, "cloze");
				assert_non_null(o);
				assert_non_null(strstr(o, "}}"));
				/* Never the whole sentence hidden. */
				assert_true(o > t || strcmp(strstr(o, "}}"),
				    "}}") != 0);
				assert_true(json_is_string(json_object_get(c,
				    "extra")));
				key = xstrdup(t);
			}
		} else if (strcmp(a->type, "quiz") == 0) {
			json_t *o = json_object_get(c, "options");
			const char *stem = str(c, "stem");
			json_int_t ans;

			quizzes++;
			assert_int_equal(json_object_size(c), 4);
			assert_plain(stem);
			assert_plain(str(c, "explanation"));
			assert_true(json_array_size(o) >= 3 &&
			    json_array_size(o) <= 4);
			ans = json_integer_value(json_object_get(c, "answer"));
			assert_true(json_is_integer(json_object_get(c,
			    "answer")) && ans >= 0 &&
			    (size_t)ans < json_array_size(o));
			for (size_t x = 0; x < json_array_size(o); x++) {
				const char *ox = json_string_value(
				    json_array_get(o, x));

				assert_non_null(ox);
				for (size_t y = x + 1; y < json_array_size(o);
				    y++)
					assert_string_not_equal(ox,
					    json_string_value(json_array_get(o,
					    y)));
				if ((json_int_t)x != ans)
					assert_true(text_find_word(stem, ox,
					    true) < 0);
			}
			key = xstrdup(stem);
		} else if (strcmp(a->type, "summary") == 0) {
			assert_int_equal(json_object_size(c), 1);
			assert_plain(str(c, "text"));
			assert_int_equal(summaries[a->chunk + 1]++, 0);
		} else {
			json_t *t = json_object_get(c, "terms");

			assert_string_equal(a->type, "key_terms");
			assert_int_equal(a->chunk, -1);
			assert_int_equal(json_object_size(c), 1);
			assert_true(json_array_size(t) >= 1 &&
			    json_array_size(t) <= (size_t)r->p.max_terms);
			for (size_t k = 0; k < json_array_size(t); k++) {
				json_t *e = json_array_get(t, k);

				assert_int_equal(json_object_size(e), 3);
				assert_plain(str(e, "term"));
				assert_plain(str(e, "kind"));
				assert_true(json_is_number(json_object_get(e,
				    "score")));
			}
			terms++;
		}
		if (key != NULL) {
			/* No two cards with one front, no two alike stems. */
			for (char *p = key; *p != '\0'; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p |= 0x20;
			for (size_t k = 0; k < nseen; k++)
				assert_string_not_equal(seen[k], key);
			seen[nseen++] = key;
		}
	}
	/* A negative cap is no card at all. */
	assert_true(cards <= (r->p.max_flashcards > 0 ? r->p.max_flashcards :
	    0));
	assert_true(quizzes <= (r->p.max_questions > 0 ? r->p.max_questions :
	    0));
	assert_true(terms <= 1);
	for (size_t k = 0; k < nseen; k++)
		free(seen[k]);
	free(seen);
	free(summaries);
}

/* The golden line of an asset (see the top of this file), malloc'd. */
static char *
golden_line(const struct gen_asset *a)
{
	json_t *c = a->content;
	struct buf b = {0};
	char head[32];

	snprintf(head, sizeof(head), "%c|%d|", strcmp(a->type, "quiz") == 0 ?
	    'Q' : strcmp(a->type, "summary") == 0 ? 'S' :
	    strcmp(a->type, "key_terms") == 0 ? 'K' :
	    strcmp(str(c, "kind"), "basic") == 0 ? 'B' : 'C', a->chunk);
	buf_puts(&b, head);
	if (head[0] == 'B') {
		buf_puts(&b, str(c, "front"));
		buf_puts(&b, "|");
		buf_puts(&b, str(c, "back"));
	} else if (head[0] == 'C')
		buf_puts(&b, str(c, "text"));
	else if (head[0] == 'S')
		buf_puts(&b, str(c, "text"));
	else if (head[0] == 'Q') {
		json_t *o = json_object_get(c, "options");
		size_t ans = (size_t)json_integer_value(json_object_get(c,
		    "answer")), nd = 0;
		const char *d[6];

		buf_puts(&b, str(c, "stem"));
		buf_puts(&b, "|");
		buf_puts(&b, json_string_value(json_array_get(o, ans)));
		for (size_t k = 0; k < json_array_size(o); k++)
			if (k != ans)
				d[nd++] = json_string_value(json_array_get(o, k));
		for (size_t x = 0; x < nd; x++)
			for (size_t y = x + 1; y < nd; y++)
				if (strcmp(d[x], d[y]) > 0) {
					const char *t = d[x];

					d[x] = d[y];
					d[y] = t;
				}
		for (size_t x = 0; x < nd; x++) {
			buf_puts(&b, x == 0 ? "|" : ";");
			buf_puts(&b, d[x]);
		}
	} else {
		json_t *t = json_object_get(c, "terms");

		for (size_t k = 0; k < json_array_size(t); k++) {
			if (k > 0)
				buf_puts(&b, ";");
			buf_puts(&b, str(json_array_get(t, k), "term"));
			buf_puts(&b, "(");
			buf_puts(&b, str(json_array_get(t, k), "kind"));
			buf_puts(&b, ")");
		}
	}
	return buf_take(&b);
}

static void
assert_golden_(const struct run *r, const char *const *want,
    const char *file, int line)
{
	size_t i;

	for (i = 0; i < r->r.nassets && want[i] != NULL; i++) {
		char *got = golden_line(&r->r.assets[i]);

		if (strcmp(got, want[i]) != 0) {
			print_error("asset %zu:\n got  %s\n want %s\n", i, got,
			    want[i]);
			free(got);
			_fail(file, line);
		}
		free(got);
	}
	if (i != r->r.nassets || want[i] != NULL) {
		print_error("%zu assets, %s\n", r->r.nassets, want[i] != NULL ?
		    "fewer than wanted" : "more than wanted");
		_fail(file, line);
	}
}
#define assert_golden(r, w) assert_golden_((r), (w), __FILE__, __LINE__)

/* The asset whose golden line starts with prefix, or NULL. */
static const struct gen_asset *
find(const struct run *r, const char *prefix)
{
	for (size_t i = 0; i < r->r.nassets; i++) {
		char *l = golden_line(&r->r.assets[i]);
		bool hit = strncmp(l, prefix, strlen(prefix)) == 0;

		free(l);
		if (hit)
			return &r->r.assets[i];
	}
	return NULL;
}

static bool
all_caps(const char *s)
{
	for (; *s != '\0'; s++)
		if (!(*s >= 'A' && *s <= 'Z'))
			return false;
	return true;
}

static bool
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (!(*s >= '0' && *s <= '9'))
			return false;
	return true;
}

static void
networking_text(void **state)
{
	struct run r;
	const struct gen_asset *a;
	json_t *o;

	(void)state;
	run_(&r, net, NULL);
	check(&r);
	assert_golden(&r, net_golden);

	/* Distractors share the answer's kind. */
	a = find(&r, "Q|1|Which term matches this description: a network "
	    "protocol");
	assert_non_null(a);
	o = json_object_get(a->content, "options");
	for (size_t i = 0; i < json_array_size(o); i++)
		assert_true(all_caps(json_string_value(json_array_get(o, i))));
	a = find(&r, "Q|2|Which port does HTTPS use?");
	assert_non_null(a);
	o = json_object_get(a->content, "options");
	for (size_t i = 0; i < json_array_size(o); i++)
		assert_true(all_digits(json_string_value(json_array_get(o, i))));
	assert_string_equal(str(a->content, "explanation"),
	    "HTTPS uses port 443.");
	/* Its source is the sentence it came from. */
	assert_int_equal(a->nsrc, 1);
	assert_int_equal(a->src[0].end - a->src[0].start, 20);
	assert_memory_equal(net + a->src[0].start, "HTTPS uses port 443.", 20);
	a = find(&r, "Q|1|What does DHCP stand for?");
	assert_non_null(a);
	assert_string_equal(str(a->params, "method"), "acronym");

	/* Chunk summaries and relevance: addressing is the most central. */
	assert_int_equal(r.nc, 3);
	assert_string_equal(r.r.chunk_summary[2], "HTTPS uses port 443. SSH "
	    "runs on TCP port 22.");
	assert_true(r.r.chunk_relevance[1] == 1.0);
	assert_true(r.r.chunk_relevance[0] > 0.5 &&
	    r.r.chunk_relevance[0] < 1.0);
	run_free(&r);
}

static void
biology_text(void **state)
{
	struct run r;

	(void)state;
	run_(&r, bio, NULL);
	check(&r);
	assert_golden(&r, bio_golden);
	/* "Deoxyribonucleic acid (DNA)": never a wrong answer for DNA. */
	assert_non_null(find(&r, "Q|1|Which term matches this description: "
	    "the molecule that stores genetic information?|DNA|RNA;cell;"
	    "nucleus"));
	run_free(&r);
}

/* Every field of every asset, and the per-chunk output, as JSON. */
static char *
dump(const struct run *r, bool normalize)
{
	json_t *all = json_array(), *chunks = json_array();
	char *s;

	for (size_t i = 0; i < r->r.nassets; i++) {
		const struct gen_asset *a = &r->r.assets[i];
		json_t *src = json_array(), *c = json_deep_copy(a->content);
		json_t *p = json_deep_copy(a->params);

		for (int k = 0; k < a->nsrc; k++)
			json_array_append_new(src, json_pack("[I,I]",
			    (json_int_t)a->src[k].start,
			    (json_int_t)a->src[k].end));
		if (normalize) {
			json_object_del(p, "seed");
			if (strcmp(a->type, "quiz") == 0) {
				char *l = golden_line(a);

				json_object_set_new(c, "options",
				    json_string(l));
				json_object_del(c, "answer");
				free(l);
			}
		}
		json_array_append_new(all, json_pack("{s:s,s:i,s:o,s:o,s:f,"
		    "s:i,s:o}", "type", a->type, "chunk", a->chunk, "content", c,
		    "src", src, "quality", a->quality, "difficulty",
		    a->difficulty, "params", p));
	}
	for (size_t i = 0; i < r->nc; i++)
		json_array_append_new(chunks, json_pack("{s:s,s:f}", "summary",
		    r->r.chunk_summary[i], "relevance",
		    r->r.chunk_relevance[i]));
	json_array_append_new(all, chunks);
	s = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	return s;
}

static void
same_input_same_bytes_and_seed_orders_options_only(void **state)
{
	struct gen_params p;
	struct run a, b, c;
	char *da, *db, *na, *nc;
	size_t moved = 0;

	(void)state;
	gen_params_default(&p);
	p.seed = 1;
	run_(&a, net, &p);
	run_(&b, net, &p);
	da = dump(&a, false);
	db = dump(&b, false);
	assert_string_equal(da, db);

	p.seed = 2;
	run_(&c, net, &p);
	check(&c);
	na = dump(&a, true);
	nc = dump(&c, true);
	assert_string_equal(na, nc);
	assert_int_equal(a.r.nassets, c.r.nassets);
	for (size_t i = 0; i < a.r.nassets; i++) {
		json_t *x = json_object_get(a.r.assets[i].content, "options");

		if (x != NULL && !json_equal(x, json_object_get(
		    c.r.assets[i].content, "options")))
			moved++;
	}
	assert_true(moved > 0);
	free(da);
	free(db);
	free(na);
	free(nc);
	run_free(&a);
	run_free(&b);
	run_free(&c);
}

static void
caps_keep_the_best(void **state)
{
	struct gen_params p;
	struct run all, few;

	(void)state;
	run_(&all, net, NULL);
	gen_params_default(&p);
	p.max_flashcards = 3;
	p.max_questions = 2;
	p.max_terms = 5;
	p.summary_sentences = 1;
	p.material_summary_sentences = 2;
	run_(&few, net, &p);
	check(&few);
	/* The same cards and questions as the first ones without caps. */
	for (int pass = 0; pass < 2; pass++) {
		const char *type = pass == 0 ? "flashcard" : "quiz";
		size_t i = 0, j = 0;
		int n = 0;

		for (;; i++, j++) {
			char *x, *y;

			while (i < all.r.nassets && strcmp(all.r.assets[i].type,
			    type) != 0)
				i++;
			while (j < few.r.nassets && strcmp(few.r.assets[j].type,
			    type) != 0)
				j++;
			if (j == few.r.nassets)
				break;
			assert_true(i < all.r.nassets);
			x = golden_line(&all.r.assets[i]);
			y = golden_line(&few.r.assets[j]);
			assert_string_equal(x, y);
			free(x);
			free(y);
			n++;
		}
		assert_int_equal(n, pass == 0 ? 3 : 2);
	}
	assert_non_null(find(&few, "K|-1|network protocol(phrase);"
	    "protocol(keyword);transport protocol(phrase);Dynamic Host "
	    "Configuration Protocol(name);host(keyword)"));
	/* One sentence a chunk: its best. */
	assert_string_equal(few.r.chunk_summary[2], "HTTPS uses port 443.");
	run_free(&all);
	run_free(&few);

	/* No cards, no questions. */
	p.max_flashcards = 0;
	p.max_questions = -3;
	run_(&few, net, &p);
	check(&few);
	for (size_t i = 0; i < few.r.nassets; i++) {
		assert_string_not_equal(few.r.assets[i].type, "flashcard");
		assert_string_not_equal(few.r.assets[i].type, "quiz");
	}
	run_free(&few);
}

static void
duplicates_are_dropped(void **state)
{
	struct run r;
	int tcp = 0;

	(void)state;
	run_(&r, "# Transport\n\nTCP is a reliable transport protocol for "
	    "streams. TCP is a reliable transport protocol for streams.\n\n"
	    "- **TCP**: a reliable protocol with acknowledgements\n", NULL);
	check(&r);
	for (size_t i = 0; i < r.r.nassets; i++) {
		json_t *f = json_object_get(r.r.assets[i].content, "front");

		tcp += f != NULL && strcmp(json_string_value(f), "TCP") == 0;
	}
	assert_int_equal(tcp, 1);
	run_free(&r);
}

static void
empty_and_tiny_texts(void **state)
{
	struct gen_result g;
	struct run r;
	struct chunk bad = {0, "paragraph", 5, 50, 5, 5, 1, NULL};

	(void)state;
	run_(&r, "", NULL);
	assert_int_equal(r.nc, 0);
	assert_int_equal(r.r.nassets, 0);
	run_free(&r);
	run_(&r, "\n\n  \n---\n", NULL);
	assert_int_equal(r.r.nassets, 0);
	run_free(&r);
	/* A single sentence: a card and its key terms, no summary. */
	run_(&r, "TCP is a transport protocol.", NULL);
	check(&r);
	assert_non_null(find(&r, "B|0|TCP|a transport protocol"));
	for (size_t i = 0; i < r.r.nassets; i++)
		assert_string_not_equal(r.r.assets[i].type, "summary");
	assert_string_equal(r.r.chunk_summary[0], "TCP is a transport "
	    "protocol.");
	run_free(&r);
	/* Code alone gives nothing to study but does not fail. */
	run_(&r, "```\nint main(void);\n```\n", NULL);
	check(&r);
	assert_string_equal(r.r.chunk_summary[0], "");
	run_free(&r);
	/* Chunks outside the text are refused. */
	assert_int_equal(generate("short", 5, &bad, 1, NULL, &g), -1);
	gen_result_free(&g, 1);
}

static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A made-up word from syllables: a vocabulary of many thousands. */
static void
word(struct buf *b, uint64_t *x, bool cap)
{
	static const char *const syl[] = {"ka", "lo", "mi", "ne", "ru", "ta",
	    "vo", "zi", "pe", "sa", "do", "ri", "mu", "gra", "pli", "on",
	    "ex", "tor", "ven", "sel"};
	int n = 2 + (int)(next(x) % 3);

	for (int i = 0; i < n; i++) {
		const char *s = syl[next(x) % 20];

		if (i == 0 && cap) {
			buf_putc(b, (char)(s[0] & ~0x20));
			buf_puts(b, s + 1);
		} else
			buf_puts(b, s);
	}
}

/* About want bytes of varied light Markdown, the same every time. */
static char *
big_text(size_t want)
{
	struct buf b = {0};
	uint64_t x = 88172645463325252ULL;

	while (b.len < want) {
		buf_puts(&b, "# ");
		word(&b, &x, true);
		buf_puts(&b, "\n\n");
		for (int p = 0; p < 6; p++) {
			for (int s = 0; s < 6; s++) {
				int k = (int)(next(&x) % 10), n;

				if (k == 0) {
					/* "Kalo Mine Rutavo Zipe (KMRZ) is a" */
					char acr[5];

					for (int i = 0; i < 4; i++) {
						size_t at = b.len;

						word(&b, &x, true);
						acr[i] = b.s[at];
						buf_putc(&b, ' ');
					}
					acr[4] = '\0';
					buf_puts(&b, "(");
					buf_puts(&b, acr);
					buf_puts(&b, ") is a ");
				} else if (k == 1) {
					buf_puts(&b, "The ");
					word(&b, &x, false);
					buf_puts(&b, " is the ");
				} else
					word(&b, &x, true);
				n = 4 + (int)(next(&x) % 20);
				for (int i = 0; i < n; i++) {
					buf_putc(&b, ' ');
					if (next(&x) % 3 == 0)
						buf_puts(&b, "the");
					else
						word(&b, &x, false);
				}
				buf_puts(&b, ". ");
			}
			buf_puts(&b, "\n\n");
		}
		buf_puts(&b, "- **");
		word(&b, &x, false);
		buf_puts(&b, "**: ");
		word(&b, &x, false);
		buf_puts(&b, " and ");
		word(&b, &x, false);
		buf_puts(&b, "\n\n| Term | Port |\n| --- | --- |\n| ");
		word(&b, &x, false);
		buf_puts(&b, " | 8080 |\n\n");
	}
	/* A line with no sentence end: cut between words. */
	for (int i = 0; i < 5000; i++) {
		buf_putc(&b, ' ');
		word(&b, &x, false);
	}
	buf_putc(&b, '\n');
	return buf_take(&b);
}

static void
two_megabytes(void **state)
{
	char *t = big_text(2 * 1000 * 1000);
	struct timespec t0, t1;
	struct run r;
	double s;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_(&r, t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check(&r);
	assert_true(r.nc > 1000);
	assert_true(r.r.nassets > r.nc / 2);
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* LUDUS_BENCH=1 prints the rate; a sanitizer build is slower. */
	if (getenv("LUDUS_BENCH") != NULL)
		fprintf(stderr, "%zu bytes, %zu chunks, %zu assets in %.3f s: "
		    "%.2f MB/s\n", r.len, r.nc, r.r.nassets, s,
		    (double)r.len / 1e6 / s);
	run_free(&r);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(networking_text),
		cmocka_unit_test(biology_text),
		cmocka_unit_test(same_input_same_bytes_and_seed_orders_options_only),
		cmocka_unit_test(caps_keep_the_best),
		cmocka_unit_test(duplicates_are_dropped),
		cmocka_unit_test(empty_and_tiny_texts),
		cmocka_unit_test(two_megabytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
