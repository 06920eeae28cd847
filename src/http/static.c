/*
 * static.c - the web app's files under web/, built into the binary.
 *
 * A GET that no route matches and that is not under /api/ is looked up in
 * web/.  "/" and the app's own addresses (such as /courses/42: a known
 * first segment, no dot in the last) get web/index.html, so that a reload
 * or a link from a mail opens the right page.  Any other address without a
 * dot in its last segment (a mistyped /dashbord) gets index.html too, with
 * status 404: the app then shows its own "not found" page with a way home,
 * instead of a bare JSON problem.  Paths under /api/ and file names keep
 * their problem+json 404.
 *
 * index.html carries the theme on <html data-theme="...">.  The app keeps
 * the user's theme in the ludus_theme cookie, and the page is sent with
 * that theme already in place, so that a reload in the dark theme never
 * paints the light background first (the CSP allows no inline script that
 * could set it before the first paint).  Every file is sent with a
 * strong ETag (the SHA-256 of its bytes) and "Cache-Control: no-cache", so
 * a browser keeps it and asks again with If-None-Match, and a new binary is
 * picked up at once.  A file answers a single byte range ("Range:
 * bytes=a-b", RFC 9110), which a browser needs to seek in a video it has
 * not loaded whole.  With LUDUS_WEB_DIR set, files are read from that
 * folder at each request instead: edit and reload, without a rebuild.
 */
#include "http/static.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/embed.h"
#include "core/util.h"
#include "http/cookie.h"
#include "http/request.h"

#define WEB_PREFIX "web"
#define WEB_FILE_MAX (8u << 20)
#define THEME_COOKIE "ludus_theme"
#define THEME_MARK "data-theme=\"system\""

/*
 * The page's policy: everything from this origin only.  Lessons may show
 * images and media from elsewhere over HTTPS, and YouTube embeds.
 */
static const char csp[] = "default-src 'self'; img-src 'self' data: https:; "
    "media-src 'self' https:; frame-src https://www.youtube-nocookie.com; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

static char (*etags)[67]; /* "\"<sha256 hex>\"", one per embedded file */
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void
etags_init(void)
{
	etags = xcalloc(embedded_files_count ? embedded_files_count : 1,
	    sizeof(*etags));
	for (size_t i = 0; i < embedded_files_count; i++) {
		char hex[65];

		util_sha256_hex(embedded_files[i].data, embedded_files[i].size,
		    hex);
		snprintf(etags[i], sizeof(etags[i]), "\"%s\"", hex);
	}
}

const char *
static_content_type(const char *path)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".json", "application/json"},
		{".webmanifest", "application/manifest+json"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".webm", "video/webm"},
		{".vtt", "text/vtt; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

bool
static_path_ok(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *p = path; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '.' ||
		    c == '-' || c == '_'))
			return false;
		if (c == '/') {
			if (p[1] == '.' || p[1] == '/')
				return false; /* "..", ".hidden" and "//" */
		}
	}
	return strlen(path) < 200;
}

/*
 * The first segments of the app's own addresses: ROUTES in web/js/app.js.
 * Anything else is a 404 from the server, as for any unknown path (a test
 * checks that every route of app.js is served).
 */
static const char *const app_sections[] = {
	"achievements", "admin", "assessments", "attempts", "avatars",
	"bookmarks", "catalog", "courses", "dashboard", "flashcards", "forum",
	"goals",
	"history", "leaderboard",
	"lessons", "login", "materials", "messages", "notifications", "paths",
	"practice",
	"register", "reset-password", "search", "settings", "sso", "teach",
	"verify-email",
};

bool
static_is_app_path(const char *path)
{
	const char *seg = path + 1, *last = strrchr(path, '/');
	size_t len = strcspn(seg, "/");

	if (path[0] != '/' || strchr(last, '.') != NULL)
		return false;
	if (len == 0)
		return seg[0] == '\0'; /* "/" itself */
	for (size_t i = 0; i < sizeof(app_sections) / sizeof(app_sections[0]);
	    i++)
		if (strlen(app_sections[i]) == len &&
		    memcmp(app_sections[i], seg, len) == 0)
			return true;
	return false;
}

bool
static_is_unknown_app_path(const char *path)
{
	const char *last = strrchr(path, '/');

	if (path[0] != '/' || strchr(last, '.') != NULL)
		return false;
	/* The API answers for itself, with problem+json. */
	return !(strncmp(path, "/api", 4) == 0 &&
	    (path[4] == '\0' || path[4] == '/'));
}

const char *
static_theme(const char *cookie_header)
{
	char v[16];

	if (!cookie_get(cookie_header, THEME_COOKIE, v, sizeof(v)))
		return NULL;
	if (strcmp(v, "dark") == 0)
		return "dark";
	if (strcmp(v, "light") == 0)
		return "light";
	return NULL;
}

char *
static_with_theme(const char *html, size_t len, const char *theme,
    size_t *out_len)
{
	const char *at = memmem(html, len, THEME_MARK, strlen(THEME_MARK));
	size_t head, tail, tlen = strlen(theme);
	char *out;

	if (at == NULL)
		return NULL;
	head = (size_t)(at - html);
	tail = len - head - strlen(THEME_MARK);
	*out_len = head + strlen("data-theme=\"\"") + tlen + tail;
	out = xmalloc(*out_len + 1);
	memcpy(out, html, head);
	snprintf(out + head, *out_len + 1 - head, "data-theme=\"%s\"", theme);
	memcpy(out + *out_len - tail, at + strlen(THEME_MARK), tail);
	out[*out_len] = '\0';
	return out;
}

static const struct embedded_file *
find_embedded(const char *rel, size_t *index)
{
	size_t lo = 0, hi = embedded_files_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(embedded_files[mid].path, rel);

		if (c == 0) {
			*index = mid;
			return &embedded_files[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Reads dir/rel into a malloc'd buffer; NULL when it is not a file. */
static char *
read_file(const char *dir, const char *rel, size_t *len)
{
	char full[512];
	struct stat st;
	char *data;
	ssize_t n;
	int fd;

	if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, rel) >=
	    sizeof(full))
		return NULL;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > WEB_FILE_MAX) {
		close(fd);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	n = read(fd, data, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(data);
		return NULL;
	}
	*len = (size_t)n;
	return data;
}

int
static_range(const char *header, size_t size, size_t *start, size_t *len)
{
	unsigned long long a = 0, b = 0;
	const char *p;
	char *end;

	if (header == NULL || strncmp(header, "bytes=", 6) != 0 ||
	    strchr(header, ',') != NULL)
		return 0; /* none, another unit or several ranges: all of it */
	p = header + 6;
	if (*p == '-') { /* the last n bytes */
		if (p[1] < '0' || p[1] > '9')
			return 0;
		b = strtoull(p + 1, &end, 10);
		if (*end != '\0')
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*len = b < size ? (size_t)b : size;
		*start = size - *len;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	a = strtoull(p, &end, 10);
	if (*end != '-')
		return 0;
	p = end + 1;
	if (*p == '\0') {
		b = size ? size - 1 : 0;
	} else {
		if (*p < '0' || *p > '9')
			return 0;
		b = strtoull(p, &end, 10);
		if (*end != '\0' || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	if (b >= size)
		b = size - 1;
	*start = (size_t)a;
	*len = (size_t)(b - a + 1);
	return 1;
}

/*
 * Sends a file, or the app's page (index.html) with status 200 or 404 and
 * the theme of the ludus_theme cookie in place; its ETag then names the
 * theme too, so a browser never reuses a page of another theme.
 */
static void
send_file(struct req *r, const char *path, int status, const char *data,
    size_t len, const char *etag)
{
	const char *inm = req_header(r, "If-None-Match");
	const char *theme = NULL;
	char *themed = NULL, tagged[80];

	if (strcmp(path, "/index.html") == 0) {
		resp_header(r, "Content-Security-Policy", csp);
		resp_header(r, "Vary", "Cookie");
		theme = static_theme(req_header(r, "Cookie"));
		if (theme != NULL &&
		    (themed = static_with_theme(data, len, theme, &len)) != NULL) {
			data = themed;
			snprintf(tagged, sizeof(tagged), "%.*s-%s\"",
			    (int)strlen(etag) - 1, etag, theme);
			etag = tagged;
		}
	}
	resp_header(r, "Cache-Control", "no-cache");
	if (status == 200) {
		const char *ifr = req_header(r, "If-Range");
		size_t from = 0, n = 0;
		int rc;

		resp_header(r, "ETag", etag);
		if (inm != NULL && strstr(inm, etag) != NULL) {
			resp_text(r, 304, static_content_type(path), "", 0);
			free(themed);
			return;
		}
		resp_header(r, "Accept-Ranges", "bytes");
		rc = (ifr == NULL || strcmp(ifr, etag) == 0) ?
		    static_range(req_header(r, "Range"), len, &from, &n) : 0;
		if (rc != 0) {
			char cr[64];

			if (rc < 0)
				snprintf(cr, sizeof(cr), "bytes */%zu", len);
			else
				snprintf(cr, sizeof(cr), "bytes %zu-%zu/%zu",
				    from, from + n - 1, len);
			resp_header(r, "Content-Range", cr);
			if (rc < 0)
				resp_text(r, 416, static_content_type(path), "",
				    0);
			else
				resp_text(r, 206, static_content_type(path),
				    data + from, n);
			free(themed);
			return;
		}
	}
	resp_text(r, status, static_content_type(path), data, len);
	free(themed);
}

bool
static_serve(struct req *r)
{
	const char *path = r->path;
	char rel[256];
	int status = 200;

	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return false;
	if (strncmp(path, "/api/", 5) == 0 || !static_path_ok(path))
		return false;
	if (static_is_app_path(path)) {
		path = "/index.html";
	} else if (static_is_unknown_app_path(path)) {
		path = "/index.html";
		status = 404;
	}
	if (static_content_type(path) == NULL)
		return false;
	snprintf(rel, sizeof(rel), "%s%s", WEB_PREFIX, path);

	if (r->cfg->web_dir != NULL) {
		char hex[65], etag[67];
		size_t len = 0;
		char *data = read_file(r->cfg->web_dir, path + 1, &len);

		if (data == NULL)
			return false;
		util_sha256_hex(data, len, hex);
		snprintf(etag, sizeof(etag), "\"%s\"", hex);
		send_file(r, path, status, data, len, etag);
		free(data);
		return true;
	}
	{
		size_t i;
		const struct embedded_file *f = find_embedded(rel, &i);

		if (f == NULL)
			return false;
		pthread_once(&etags_once, etags_init);
		send_file(r, path, status, f->data, f->size, etags[i]);
	}
	return true;
}
