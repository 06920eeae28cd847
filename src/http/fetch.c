/*
 * fetch.c - one outbound HTTP request with libcurl (see fetch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http/fetch.h"

struct sink {
	char *buf;
	size_t len, cap, max;
	bool over;
};

int
fetch_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static size_t
sink_write(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t add = size * n;
	char *p;

	if (add > s->max - s->len) {
		s->over = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	if (s->len + add + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;

		while (cap < s->len + add + 1)
			cap *= 2;
		if ((p = realloc(s->buf, cap)) == NULL)
			return 0;
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, add);
	s->len += add;
	s->buf[s->len] = '\0';
	return add;
}

char *
fetch_escape(const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	char *copy = e ? strdup(e) : NULL;

	curl_free(e);
	return copy;
}

int
fetch_url(const struct fetch *f, struct fetched *out, char *err,
    size_t errlen)
{
	struct sink s = {.max = f->max_bytes};
	struct curl_slist *headers = NULL;
	char curl_err[CURL_ERROR_SIZE] = "";
	const char *proto = f->allow_http ? "http,https" : "https";
	CURL *c;
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	headers = curl_slist_append(headers, "Accept: application/json");
	curl_easy_setopt(c, CURLOPT_URL, f->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, proto);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)f->max_bytes);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "ludus");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	if (f->form != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, f->form);
	if (f->user != NULL) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, f->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, f->password);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		free(s.buf);
		if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
			snprintf(err, errlen, "the answer is over %zu bytes",
			    f->max_bytes);
		else
			snprintf(err, errlen, "%s", curl_err[0] ? curl_err :
			    curl_easy_strerror(rc));
		return -1;
	}
	if (s.buf == NULL && (s.buf = calloc(1, 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	out->body = s.buf;
	out->len = s.len;
	return 0;
}
