/*
 * test_jwt.c - ID token verification (src/core/jwt.h) with real keys: the
 * group setup makes RSA and P-256 keys, the tests publish their public
 * halves as a JWKS and sign tokens with them, then check that jwt_verify
 * accepts exactly the good ones and names the first thing wrong with each
 * of the others (forged signatures, alg none, the RSA key used as an HMAC
 * secret, keys of the wrong type or use, claims out of time or for someone
 * else, and broken encodings).  PKCE is checked against RFC 7636 appendix B.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "core/alloc.h"
#include "core/jwt.h"

#define ISS	"https://id.example.org"
#define CLIENT	"ludus-web"
#define NONCE	"n-0S6_WzA2Mj"
#define NOW	1700000000LL
#define LEEWAY	60

static struct {
	EVP_PKEY *rsa;		/* published as "rsa1" */
	EVP_PKEY *ec;		/* published as "ec1" */
	EVP_PKEY *rsa_other;	/* never published: the forger's */
	EVP_PKEY *ec_other;
	EVP_PKEY *rsa_small;	/* 1024 bits */
	char *jwks;		/* rsa1 and ec1 */
} k;

static const struct jwt_expect expect = {
	ISS, CLIENT, NONCE, NOW, LEEWAY
};

/* ---- helpers ---------------------------------------------------------- */

static char *
b64url(const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = xmalloc(len);

	sodium_bin2base64(s, len, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

static char *
b64url_str(const char *s)
{
	return b64url(s, strlen(s));
}

/* A BIGNUM parameter of a key as base64url, padded to pad bytes if
 * pad > 0. */
static char *
bn_param(const EVP_PKEY *key, const char *name, int pad, size_t *nbytes)
{
	BIGNUM *bn = NULL;
	unsigned char buf[1024];
	char *s;
	int n;

	assert_int_equal(EVP_PKEY_get_bn_param(key, name, &bn), 1);
	n = pad > 0 ? pad : BN_num_bytes(bn);
	assert_true(n > 0 && (size_t)n <= sizeof(buf));
	assert_int_equal(BN_bn2binpad(bn, buf, n), n);
	BN_free(bn);
	if (nbytes != NULL)
		*nbytes = (size_t)n;
	s = b64url(buf, (size_t)n);
	return s;
}

static json_t *
jwk_rsa(const EVP_PKEY *key, const char *kid)
{
	char *n = bn_param(key, OSSL_PKEY_PARAM_RSA_N, 0, NULL);
	char *e = bn_param(key, OSSL_PKEY_PARAM_RSA_E, 0, NULL);
	json_t *j = json_pack("{s:s, s:s, s:s}", "kty", "RSA", "n", n,
	    "e", e);

	assert_non_null(j);
	if (kid != NULL)
		json_object_set_new(j, "kid", json_string(kid));
	free(n);
	free(e);
	return j;
}

static json_t *
jwk_ec(const EVP_PKEY *key, const char *kid)
{
	char *x = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, 32, NULL);
	char *y = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32, NULL);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC",
	    "crv", "P-256", "x", x, "y", y);

	assert_non_null(j);
	if (kid != NULL)
		json_object_set_new(j, "kid", json_string(kid));
	free(x);
	free(y);
	return j;
}

/* {"keys": [...]} of the given JWKs (references stolen), NULL-ended. */
static char *
jwks_of(json_t *first, ...)
{
	json_t *keys = json_array(), *set, *j;
	va_list ap;
	char *s;

	va_start(ap, first);
	for (j = first; j != NULL; j = va_arg(ap, json_t *))
		json_array_append_new(keys, j);
	va_end(ap);
	set = json_pack("{s:o}", "keys", keys);
	s = json_dumps(set, JSON_COMPACT);
	json_decref(set);
	assert_non_null(s);
	return s;
}

/* The key's signature of input: raw r||s for EC unless der is set. */
static unsigned char *
sign_bytes(EVP_PKEY *key, const char *input, bool der, size_t *len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *sig, *raw;
	const unsigned char *p;
	const BIGNUM *r, *s;
	ECDSA_SIG *es;

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
	    key), 1);
	assert_int_equal(EVP_DigestSign(ctx, NULL, len,
	    (const unsigned char *)input, strlen(input)), 1);
	sig = xmalloc(*len);
	assert_int_equal(EVP_DigestSign(ctx, sig, len,
	    (const unsigned char *)input, strlen(input)), 1);
	EVP_MD_CTX_free(ctx);
	if (!EVP_PKEY_is_a(key, "EC") || der)
		return sig;
	p = sig;
	es = d2i_ECDSA_SIG(NULL, &p, (long)*len);
	assert_non_null(es);
	ECDSA_SIG_get0(es, &r, &s);
	raw = xmalloc(64);
	assert_int_equal(BN_bn2binpad(r, raw, 32), 32);
	assert_int_equal(BN_bn2binpad(s, raw + 32, 32), 32);
	ECDSA_SIG_free(es);
	free(sig);
	*len = 64;
	return raw;
}

/* A token of the given header and payload texts signed by key. */
static char *
sign_raw(const char *htext, const char *ptext, EVP_PKEY *key)
{
	char *h = b64url_str(htext), *p = b64url_str(ptext);
	char *input = xasprintf("%s.%s", h, p), *s, *tok;
	unsigned char *sig;
	size_t len;

	sig = sign_bytes(key, input, false, &len);
	s = b64url(sig, len);
	tok = xasprintf("%s.%s", input, s);
	free(h);
	free(p);
	free(input);
	free(sig);
	free(s);
	return tok;
}

/* Like sign_raw, of JSON values (references stolen). */
static char *
sign(json_t *header, json_t *payload, EVP_PKEY *key)
{
	char *h = json_dumps(header, JSON_COMPACT);
	char *p = json_dumps(payload, JSON_COMPACT);
	char *tok;

	assert_non_null(h);
	assert_non_null(p);
	tok = sign_raw(h, p, key);
	json_decref(header);
	json_decref(payload);
	free(h);
	free(p);
	return tok;
}

static json_t *
header(const char *alg, const char *kid)
{
	json_t *h = json_pack("{s:s, s:s}", "alg", alg, "typ", "JWT");

	if (kid != NULL)
		json_object_set_new(h, "kid", json_string(kid));
	return h;
}

static json_t *
payload(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:s}",
	    "iss", ISS, "sub", "248289761001", "aud", CLIENT,
	    "exp", (json_int_t)(NOW + 600), "iat", (json_int_t)(NOW - 10),
	    "nonce", NONCE);
}

static char *
rs256(json_t *p)
{
	return sign(header("RS256", "rsa1"), p, k.rsa);
}

/* jwt_verify with the default expectation; checks the claims contract. */
static enum jwt_result
verify_with(const char *tok, const char *jwks, const struct jwt_expect *e)
{
	json_t *claims = (json_t *)&k;	/* anything but NULL */
	enum jwt_result r = jwt_verify(tok, jwks, e, &claims);

	if (r == JWT_OK) {
		assert_true(json_is_object(claims));
		json_decref(claims);
	} else
		assert_null(claims);
	return r;
}

static enum jwt_result
verify(const char *tok, const char *jwks)
{
	return verify_with(tok, jwks, &expect);
}

/* Verifies a token of the default header and this payload, and frees it. */
static enum jwt_result
verify_payload(json_t *p)
{
	char *tok = rs256(p);
	enum jwt_result r = verify(tok, k.jwks);

	free(tok);
	return r;
}

/* Verifies a token whose default payload has claim key set to v. */
static enum jwt_result
verify_claim(const char *key, json_t *v)
{
	json_t *p = payload();

	json_object_set_new(p, key, v);
	return verify_payload(p);
}

static char *
join3(const char *a, const char *b, const char *c)
{
	return xasprintf("%s.%s.%s", a, b, c);
}

/* The three parts of a token, each a fresh string. */
static void
split(const char *tok, char **h, char **p, char **s)
{
	const char *d1 = strchr(tok, '.'), *d2;

	assert_non_null(d1);
	d2 = strchr(d1 + 1, '.');
	assert_non_null(d2);
	*h = xstrndup(tok, (size_t)(d1 - tok));
	*p = xstrndup(d1 + 1, (size_t)(d2 - d1 - 1));
	*s = xstrdup(d2 + 1);
}

/* A token of the good header and payload with its signature replaced. */
static char *
with_signature(EVP_PKEY *key, const char *alg, const char *kid,
    const char *sig_b64)
{
	char *tok = sign(header(alg, kid), payload(), key), *h, *p, *s, *out;

	split(tok, &h, &p, &s);
	out = join3(h, p, sig_b64);
	free(tok);
	free(h);
	free(p);
	free(s);
	return out;
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	k.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	k.rsa_other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	k.rsa_small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	k.ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	k.ec_other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (k.rsa == NULL || k.rsa_other == NULL || k.rsa_small == NULL ||
	    k.ec == NULL || k.ec_other == NULL)
		return -1;
	k.jwks = jwks_of(jwk_rsa(k.rsa, "rsa1"), jwk_ec(k.ec, "ec1"), NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(k.rsa);
	EVP_PKEY_free(k.rsa_other);
	EVP_PKEY_free(k.rsa_small);
	EVP_PKEY_free(k.ec);
	EVP_PKEY_free(k.ec_other);
	free(k.jwks);
	return 0;
}

/* ---- good tokens ------------------------------------------------------ */

static void
rs256_good(void **state)
{
	char *tok = rs256(payload());
	json_t *claims = NULL;

	(void)state;
	assert_int_equal(jwt_verify(tok, k.jwks, &expect, &claims), JWT_OK);
	assert_string_equal(json_string_value(json_object_get(claims, "sub")),
	    "248289761001");
	json_decref(claims);
	/* The caller may not want the claims. */
	assert_int_equal(jwt_verify(tok, k.jwks, &expect, NULL), JWT_OK);
	free(tok);
}

static void
es256_good(void **state)
{
	char *tok = sign(header("ES256", "ec1"), payload(), k.ec);

	(void)state;
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	free(tok);
}

static void
no_kid_one_fitting_key(void **state)
{
	char *tok;

	(void)state;
	tok = sign(header("RS256", NULL), payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	free(tok);
	tok = sign(header("ES256", NULL), payload(), k.ec);
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	free(tok);
}

static void
no_kid_tries_every_key(void **state)
{
	char *jwks = jwks_of(jwk_rsa(k.rsa_other, "a"), jwk_ec(k.ec, "b"),
	    jwk_rsa(k.rsa, "c"), NULL);
	char *tok = sign(header("RS256", NULL), payload(), k.rsa);
	char *forged = sign(header("RS256", NULL), payload(),
	    k.rsa_small);

	(void)state;
	assert_int_equal(verify(tok, jwks), JWT_OK);
	assert_int_equal(verify(forged, jwks), JWT_SIGNATURE);
	free(jwks);
	free(tok);
	free(forged);
}

static void
typ_any_case_or_absent(void **state)
{
	json_t *h = header("RS256", "rsa1");
	char *tok;

	(void)state;
	json_object_set_new(h, "typ", json_string("jwt"));
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	free(tok);
	h = header("RS256", "rsa1");
	json_object_del(h, "typ");
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	free(tok);
}

static void
jwk_with_matching_use_and_alg(void **state)
{
	json_t *j = jwk_rsa(k.rsa, "rsa1");
	char *jwks, *tok = rs256(payload());

	(void)state;
	json_object_set_new(j, "use", json_string("sig"));
	json_object_set_new(j, "alg", json_string("RS256"));
	jwks = jwks_of(j, NULL);
	assert_int_equal(verify(tok, jwks), JWT_OK);
	free(jwks);
	free(tok);
}

static void
real_times_accepted(void **state)
{
	json_t *p = payload();

	(void)state;
	json_object_set_new(p, "exp", json_real((double)NOW + 600.5));
	json_object_set_new(p, "iat", json_real((double)NOW - 0.5));
	json_object_set_new(p, "nbf", json_real((double)NOW - 0.5));
	assert_int_equal(verify_payload(p), JWT_OK);
	/* Far-future times must not overflow into the past. */
	assert_int_equal(verify_claim("exp", json_integer(INT64_MAX)),
	    JWT_OK);
	assert_int_equal(verify_claim("exp", json_real(1e300)),
	    JWT_OK);
}

/* ---- signatures ------------------------------------------------------- */

static void
tampered_payload(void **state)
{
	char *tok = rs256(payload()), *h, *p, *s, *bad, *evil;
	json_t *other = payload();
	char *text;

	(void)state;
	json_object_set_new(other, "sub", json_string("admin"));
	text = json_dumps(other, JSON_COMPACT);
	json_decref(other);
	split(tok, &h, &p, &s);
	evil = b64url_str(text);
	bad = join3(h, evil, s);
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	/* A changed signature fails too (first character: the last may
	 * carry bits that must be zero). */
	s[0] = s[0] == 'A' ? 'B' : 'A';
	bad = join3(h, p, s);
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	free(tok);
	free(h);
	free(p);
	free(s);
	free(evil);
	free(text);
}

static void
forged_with_same_kid(void **state)
{
	char *tok;

	(void)state;
	tok = sign(header("RS256", "rsa1"), payload(), k.rsa_other);
	assert_int_equal(verify(tok, k.jwks), JWT_SIGNATURE);
	free(tok);
	tok = sign(header("ES256", "ec1"), payload(), k.ec_other);
	assert_int_equal(verify(tok, k.jwks), JWT_SIGNATURE);
	free(tok);
}

static void
es256_signature_wrong_length(void **state)
{
	char *tok = sign(header("ES256", "ec1"), payload(), k.ec);
	char *h, *p, *s, *input, *bad, *sig_b64;
	unsigned char *sig, longer[65];
	size_t len;

	(void)state;
	split(tok, &h, &p, &s);
	input = xasprintf("%s.%s", h, p);
	/* The DER form OpenSSL makes is valid ECDSA but not JWS. */
	sig = sign_bytes(k.ec, input, true, &len);
	assert_int_not_equal(len, 64);
	sig_b64 = b64url(sig, len);
	bad = join3(h, p, sig_b64);
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	free(sig_b64);
	free(sig);
	/* r||s with a byte more, or less. */
	sig = sign_bytes(k.ec, input, false, &len);
	memcpy(longer, sig, 64);
	longer[64] = 0;
	sig_b64 = b64url(longer, 65);
	bad = join3(h, p, sig_b64);
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	free(sig_b64);
	sig_b64 = b64url(sig, 63);
	bad = join3(h, p, sig_b64);
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	free(sig_b64);
	bad = join3(h, p, "");
	assert_int_equal(verify(bad, k.jwks), JWT_SIGNATURE);
	free(bad);
	/* The good one, to show the parts were right. */
	sig_b64 = b64url(sig, 64);
	bad = join3(h, p, sig_b64);
	assert_int_equal(verify(bad, k.jwks), JWT_OK);
	free(bad);
	free(sig_b64);
	free(sig);
	free(input);
	free(tok);
	free(h);
	free(p);
	free(s);
}

static void
rs256_empty_signature(void **state)
{
	char *tok = with_signature(k.rsa, "RS256", "rsa1", "");

	(void)state;
	assert_int_equal(verify(tok, k.jwks), JWT_SIGNATURE);
	free(tok);
}

/* ---- algorithms ------------------------------------------------------- */

static void
alg_none(void **state)
{
	static const char *const algs[] = { "none", "None", "NONE" };
	char *tok;

	(void)state;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		tok = with_signature(k.rsa, algs[i], "rsa1", "");
		assert_int_equal(verify(tok, k.jwks), JWT_ALG);
		free(tok);
		tok = with_signature(k.rsa, algs[i], NULL, "");
		assert_int_equal(verify(tok, k.jwks), JWT_ALG);
		free(tok);
	}
}

/* An HS256 token whose HMAC key is secret (the classic confusion: a
 * verifier that feeds the public RSA key to HMAC accepts it). */
static char *
hs256(const unsigned char *secret, size_t n)
{
	char *h = b64url_str("{\"alg\":\"HS256\",\"typ\":\"JWT\","
	    "\"kid\":\"rsa1\"}");
	json_t *pl = payload();
	char *text = json_dumps(pl, JSON_COMPACT);
	char *p, *input, *s, *tok;
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	json_decref(pl);
	p = b64url_str(text);
	input = xasprintf("%s.%s", h, p);
	crypto_auth_hmacsha256_init(&st, secret, n);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)input,
	    strlen(input));
	crypto_auth_hmacsha256_final(&st, mac);
	s = b64url(mac, sizeof(mac));
	tok = xasprintf("%s.%s", input, s);
	free(h);
	free(text);
	free(p);
	free(input);
	free(s);
	return tok;
}

static void
alg_hs256_key_confusion(void **state)
{
	BIGNUM *bn = NULL;
	unsigned char n[512];
	int len;
	char *tok, *n_b64;

	(void)state;
	assert_int_equal(EVP_PKEY_get_bn_param(k.rsa, OSSL_PKEY_PARAM_RSA_N,
	    &bn), 1);
	len = BN_bn2bin(bn, n);
	BN_free(bn);
	tok = hs256(n, (size_t)len);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
	/* Or the JWKS text of n itself as the secret. */
	n_b64 = b64url(n, (size_t)len);
	tok = hs256((const unsigned char *)n_b64, strlen(n_b64));
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
	free(n_b64);
}

static void
alg_others_refused(void **state)
{
	static const char *const algs[] = {
		"HS256", "RS384", "RS512", "PS256", "ES384", "ES512", "EdDSA",
		"rs256", "RS256 ", "",
	};
	json_t *h;
	char *tok;

	(void)state;
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		tok = sign(header(algs[i], "rsa1"), payload(), k.rsa);
		if (verify(tok, k.jwks) != JWT_ALG)
			fail_msg("alg \"%s\" accepted", algs[i]);
		free(tok);
	}
	h = header("RS256", "rsa1");
	json_object_del(h, "alg");
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
	h = header("RS256", "rsa1");
	json_object_set_new(h, "alg", json_integer(256));
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
}

static void
typ_other_refused(void **state)
{
	json_t *h = header("RS256", "rsa1");
	char *tok;

	(void)state;
	json_object_set_new(h, "typ", json_string("at+jwt"));
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
	h = header("RS256", "rsa1");
	json_object_set_new(h, "typ", json_true());
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
}

static void
crit_refused(void **state)
{
	json_t *h = header("RS256", "rsa1");
	char *tok;

	(void)state;
	json_object_set_new(h, "crit", json_pack("[s]", "exp"));
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
}

/* ---- key choice ------------------------------------------------------- */

static void
rs256_but_kid_is_ec(void **state)
{
	char *jwks = jwks_of(jwk_ec(k.ec, "k1"), NULL);
	char *tok = sign(header("RS256", "k1"), payload(), k.rsa);
	char *es = sign(header("ES256", "k1"), payload(), k.ec);

	(void)state;
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	assert_int_equal(verify(es, jwks), JWT_OK);
	free(jwks);
	free(tok);
	free(es);
}

static void
unknown_kid(void **state)
{
	char *tok = sign(header("RS256", "rsa2"), payload(), k.rsa);
	char *jwks = jwks_of(jwk_rsa(k.rsa, NULL), NULL);

	(void)state;
	assert_int_equal(verify(tok, k.jwks), JWT_NO_KEY);
	/* A key without kid does not match a token that names one. */
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(tok);
	free(jwks);
}

/* A key published for something else, or for another algorithm. */
static void
jwk_not_for_this(const char *field, const char *value)
{
	json_t *j = jwk_rsa(k.rsa, "rsa1");
	char *jwks, *tok = rs256(payload());

	json_object_set_new(j, field, json_string(value));
	jwks = jwks_of(j, NULL);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(jwks);
	free(tok);
}

static void
jwk_use_enc(void **state)
{
	(void)state;
	jwk_not_for_this("use", "enc");
}

static void
jwk_alg_differs(void **state)
{
	(void)state;
	jwk_not_for_this("alg", "RS512");
}

static void
rsa_1024_refused(void **state)
{
	char *jwks = jwks_of(jwk_rsa(k.rsa_small, "small"), NULL);
	char *tok = sign(header("RS256", "small"), payload(), k.rsa_small);

	(void)state;
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(tok);
	tok = sign(header("RS256", NULL), payload(), k.rsa_small);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(tok);
	free(jwks);
}

static void
broken_jwks(void **state)
{
	static const char *const sets[] = {
		"", "not json", "[]", "{}", "{\"keys\":{}}",
		"{\"keys\":[1,\"a\",null,[],{}]}",
		"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa1\"}]}",
		"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"n\":\"@@\","
		    "\"e\":\"AQAB\"}]}",
		"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"n\":7,"
		    "\"e\":\"AQAB\"}]}",
		"{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa1\",\"n\":\"AQAB\","
		    "\"e\":\"AQAB\"}]}",
	};
	char *tok = rs256(payload());

	(void)state;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		if (verify(tok, sets[i]) != JWT_NO_KEY)
			fail_msg("JWKS %zu gave a key", i);
	assert_int_equal(verify(tok, NULL), JWT_NO_KEY);
	free(tok);
}

static void
ec_point_off_curve(void **state)
{
	json_t *j = jwk_ec(k.ec, "ec1");
	char *y = xstrdup(json_string_value(json_object_get(j, "y")));
	char *jwks, *tok = sign(header("ES256", "ec1"), payload(), k.ec);

	(void)state;
	y[0] = y[0] == 'A' ? 'B' : 'A';
	json_object_set_new(j, "y", json_string(y));
	jwks = jwks_of(j, NULL);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(jwks);
	/* P-384 and short coordinates do not fit either. */
	j = jwk_ec(k.ec, "ec1");
	json_object_set_new(j, "crv", json_string("P-384"));
	jwks = jwks_of(j, NULL);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(jwks);
	j = jwk_ec(k.ec, "ec1");
	json_object_set_new(j, "x", json_string("AQAB"));
	jwks = jwks_of(j, NULL);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(jwks);
	free(y);
	free(tok);
}

static void
jwks_limits(void **state)
{
	json_t *keys = json_array(), *set, *pad;
	char *tok = rs256(payload()), *jwks, *fill, kid[16];
	size_t base;

	(void)state;
	for (int i = 0; i < 63; i++) {
		snprintf(kid, sizeof(kid), "d%d", i);
		json_array_append_new(keys, jwk_ec(k.ec_other, kid));
	}
	json_array_append_new(keys, jwk_rsa(k.rsa, "rsa1"));
	set = json_pack("{s:o}", "keys", keys);
	jwks = json_dumps(set, JSON_COMPACT);
	assert_int_equal(verify(tok, jwks), JWT_OK);	/* the 64th */
	free(jwks);
	json_array_insert_new(keys, 0, jwk_ec(k.ec_other, "d63"));
	jwks = json_dumps(set, JSON_COMPACT);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);	/* the 65th */
	free(jwks);
	json_decref(set);

	/* Size: just under the limit is read, just over is not. */
	set = json_pack("{s:[o]}", "keys", jwk_rsa(k.rsa, "rsa1"));
	pad = json_string("");
	json_object_set_new(set, "pad", pad);
	jwks = json_dumps(set, JSON_COMPACT);
	base = strlen(jwks);
	free(jwks);
	fill = xmalloc(JWT_MAX_JWKS);
	memset(fill, 'x', JWT_MAX_JWKS - base);
	fill[JWT_MAX_JWKS - base] = '\0';
	json_string_set(pad, fill);
	jwks = json_dumps(set, JSON_COMPACT);
	assert_int_equal(strlen(jwks), JWT_MAX_JWKS);
	assert_int_equal(verify(tok, jwks), JWT_OK);
	free(jwks);
	fill[JWT_MAX_JWKS - base] = 'x';
	fill[JWT_MAX_JWKS - base + 1] = '\0';
	json_string_set(pad, fill);
	jwks = json_dumps(set, JSON_COMPACT);
	assert_int_equal(strlen(jwks), JWT_MAX_JWKS + 1);
	assert_int_equal(verify(tok, jwks), JWT_NO_KEY);
	free(jwks);
	free(fill);
	json_decref(set);
	free(tok);
}

/* ---- claims ----------------------------------------------------------- */

static void
wrong_issuer(void **state)
{
	static const char *const issuers[] = {
		"https://id.example.org/", "https://ID.example.org",
		"https://id.example.org.evil", "",
	};
	json_t *p;

	(void)state;
	for (size_t i = 0; i < sizeof(issuers) / sizeof(issuers[0]); i++) {
		p = payload();
		json_object_set_new(p, "iss", json_string(issuers[i]));
		assert_int_equal(verify_payload(p), JWT_ISSUER);
	}
}

static void
audience_string_mismatch(void **state)
{
	json_t *p = payload();

	(void)state;
	json_object_set_new(p, "aud", json_string("other-client"));
	assert_int_equal(verify_payload(p), JWT_AUDIENCE);
	assert_int_equal(verify_claim("aud", json_string(CLIENT "x")),
	    JWT_AUDIENCE);
}

static void
audience_array(void **state)
{
	json_t *p;

	(void)state;
	/* One audience, no azp needed. */
	assert_int_equal(verify_claim("aud", json_pack("[s]", CLIENT)),
	    JWT_OK);
	/* Several, with azp = us. */
	p = payload();
	json_object_set_new(p, "aud", json_pack("[s,s]", "other", CLIENT));
	json_object_set_new(p, "azp", json_string(CLIENT));
	assert_int_equal(verify_payload(p), JWT_OK);
	/* Several, without azp. */
	assert_int_equal(verify_claim("aud", json_pack("[s,s]", CLIENT, "other")),
	    JWT_AUDIENCE);
	/* azp someone else, with aud an array or a string. */
	p = payload();
	json_object_set_new(p, "aud", json_pack("[s,s]", CLIENT, "other"));
	json_object_set_new(p, "azp", json_string("other"));
	assert_int_equal(verify_payload(p), JWT_AUDIENCE);
	assert_int_equal(verify_claim("azp", json_string("other")),
	    JWT_AUDIENCE);
	/* We are the azp but not an audience. */
	p = payload();
	json_object_set_new(p, "aud", json_pack("[s,s]", "a", "b"));
	json_object_set_new(p, "azp", json_string(CLIENT));
	assert_int_equal(verify_payload(p), JWT_AUDIENCE);
}

static void
expired_and_leeway(void **state)
{
	(void)state;
	assert_int_equal(verify_claim("exp", json_integer(NOW - LEEWAY - 1)),
	    JWT_EXPIRED);
	assert_int_equal(verify_claim("exp", json_integer(NOW - LEEWAY)),
	    JWT_EXPIRED);
	assert_int_equal(verify_claim("exp", json_integer(NOW - LEEWAY + 1)),
	    JWT_OK);
	assert_int_equal(verify_claim("exp", json_integer(NOW - 30)),
	    JWT_OK);
}

static void
iat_in_future(void **state)
{
	(void)state;
	assert_int_equal(verify_claim("iat", json_integer(NOW + LEEWAY + 1)),
	    JWT_NOT_YET_VALID);
	assert_int_equal(verify_claim("iat", json_integer(NOW + LEEWAY)),
	    JWT_OK);
}

static void
nbf_in_future(void **state)
{
	(void)state;
	assert_int_equal(verify_claim("nbf", json_integer(NOW + LEEWAY + 1)),
	    JWT_NOT_YET_VALID);
	assert_int_equal(verify_claim("nbf", json_integer(NOW + 30)),
	    JWT_OK);
}

static void
nonce_checked(void **state)
{
	struct jwt_expect e = expect;
	json_t *p;
	char *tok;

	(void)state;
	assert_int_equal(verify_claim("nonce", json_string(NONCE "x")),
	    JWT_NONCE);
	assert_int_equal(verify_claim("nonce", json_integer(1)),
	    JWT_NONCE);
	p = payload();
	json_object_del(p, "nonce");
	assert_int_equal(verify_payload(p), JWT_NONCE);
	/* Not expected: not checked. */
	p = payload();
	json_object_del(p, "nonce");
	tok = rs256(p);
	e.nonce = NULL;
	assert_int_equal(verify_with(tok, k.jwks, &e), JWT_OK);
	free(tok);
}

static void
checks_in_order(void **state)
{
	json_t *p;
	char *tok;

	(void)state;
	/* Issuer before audience before times before nonce. */
	p = payload();
	json_object_set_new(p, "iss", json_string("https://evil"));
	json_object_set_new(p, "aud", json_string("evil"));
	json_object_set_new(p, "exp", json_integer(NOW - 1000));
	json_object_del(p, "nonce");
	assert_int_equal(verify_payload(p), JWT_ISSUER);
	p = payload();
	json_object_set_new(p, "aud", json_string("evil"));
	json_object_set_new(p, "exp", json_integer(NOW - 1000));
	assert_int_equal(verify_payload(p), JWT_AUDIENCE);
	p = payload();
	json_object_set_new(p, "exp", json_integer(NOW - 1000));
	json_object_set_new(p, "iat", json_integer(NOW + 1000));
	json_object_del(p, "nonce");
	assert_int_equal(verify_payload(p), JWT_EXPIRED);
	p = payload();
	json_object_set_new(p, "iat", json_integer(NOW + 1000));
	json_object_del(p, "nonce");
	assert_int_equal(verify_payload(p), JWT_NOT_YET_VALID);
	/* The signature before any claim's value. */
	p = payload();
	json_object_set_new(p, "iss", json_string("https://evil"));
	tok = sign(header("RS256", "rsa1"), p, k.rsa_other);
	assert_int_equal(verify(tok, k.jwks), JWT_SIGNATURE);
	free(tok);
	/* The alg before the key. */
	tok = sign(header("RS512", "nobody"), payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_ALG);
	free(tok);
	/* The shape before the alg. */
	p = payload();
	json_object_del(p, "sub");
	tok = sign(header("none", "rsa1"), p, k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
}

static void
expectation_missing_fails_closed(void **state)
{
	struct jwt_expect e = expect;
	char *tok = rs256(payload());

	(void)state;
	assert_int_equal(verify_with(tok, k.jwks, NULL), JWT_ISSUER);
	e.issuer = NULL;
	assert_int_equal(verify_with(tok, k.jwks, &e), JWT_ISSUER);
	e = expect;
	e.audience = NULL;
	assert_int_equal(verify_with(tok, k.jwks, &e), JWT_AUDIENCE);
	free(tok);
}

/* ---- malformed -------------------------------------------------------- */

static void
claims_missing_or_ill_typed(void **state)
{
	static const char *const required[] = {
		"iss", "sub", "aud", "exp", "iat",
	};
	char sub[257];
	json_t *p;

	(void)state;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		p = payload();
		json_object_del(p, required[i]);
		if (verify_payload(p) != JWT_MALFORMED)
			fail_msg("token without %s accepted", required[i]);
		p = payload();
		json_object_set_new(p, required[i], json_null());
		if (verify_payload(p) != JWT_MALFORMED)
			fail_msg("token with %s null accepted", required[i]);
	}
	assert_int_equal(verify_claim("exp", json_string("1700000600")),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("iat", json_true()),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("iss", json_pack("[s]", ISS)),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("sub", json_integer(42)),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("aud", json_array()),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("aud", json_pack("[s,i]", CLIENT, 1)),
	    JWT_MALFORMED);
	assert_int_equal(verify_claim("nbf", json_string("later")),
	    JWT_MALFORMED);
	/* sub is 1 to 255 bytes. */
	assert_int_equal(verify_claim("sub", json_string("")),
	    JWT_MALFORMED);
	memset(sub, 's', sizeof(sub));
	sub[255] = '\0';
	assert_int_equal(verify_claim("sub", json_string(sub)),
	    JWT_OK);
	sub[255] = 's';
	sub[256] = '\0';
	assert_int_equal(verify_claim("sub", json_string(sub)),
	    JWT_MALFORMED);
}

static void
kid_not_a_string(void **state)
{
	json_t *h = header("RS256", NULL);
	char *tok;

	(void)state;
	json_object_set_new(h, "kid", json_integer(1));
	tok = sign(h, payload(), k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
}

static void
wrong_number_of_parts(void **state)
{
	char *tok = rs256(payload()), *h, *p, *s, *bad;

	(void)state;
	split(tok, &h, &p, &s);
	bad = xasprintf("%s.%s", h, p);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	bad = xasprintf("%s.%s%s", h, p, s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	bad = xasprintf("%s.%s.%s.%s", h, p, s, s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	bad = xasprintf("%s.%s.%s.", h, p, s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	assert_int_equal(verify(h, k.jwks), JWT_MALFORMED);
	free(tok);
	free(h);
	free(p);
	free(s);
}

static void
padding_refused(void **state)
{
	/* 40 bytes of header: base64 with padding ends in "=". */
	static const char htext[] = "{\"alg\":\"RS256\",\"kid\":\"rsa1\",\"x\":\"ab\"}";
	char *tok, *h, *p, *s, *bad, padded[128];

	(void)state;
	tok = sign_raw(htext, "{\"iss\":\"" ISS "\",\"sub\":\"a\","
	    "\"aud\":\"" CLIENT "\",\"exp\":1700000600,\"iat\":1700000000,"
	    "\"nonce\":\"" NONCE "\"}", k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_OK);
	split(tok, &h, &p, &s);
	sodium_bin2base64(padded, sizeof(padded),
	    (const unsigned char *)htext, strlen(htext),
	    sodium_base64_VARIANT_URLSAFE);
	assert_non_null(strchr(padded, '='));
	bad = join3(padded, p, s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	/* Padding on the signature (256 bytes: "==" in base64). */
	bad = xasprintf("%s.%s.%s==", h, p, s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	free(tok);
	free(h);
	free(p);
	free(s);
}

static void
bad_base64(void **state)
{
	/* Characters of the other alphabet, or of none. */
	static const char swaps[] = { '+', '/', '*', ' ', '\n' };
	char *tok = rs256(payload()), *h, *p, *s, *bad, *t;

	(void)state;
	split(tok, &h, &p, &s);
	for (size_t i = 0; i < sizeof(swaps); i++) {
		t = xstrdup(p);
		t[3] = swaps[i];
		bad = join3(h, t, s);
		if (verify(bad, k.jwks) != JWT_MALFORMED)
			fail_msg("character %d accepted", swaps[i]);
		free(bad);
		free(t);
	}
	/* A length no encoding has (4n + 1). */
	bad = join3(h, "eyJhbGciOiJ", s);
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	/* Non-zero bits after the last byte: "QR" is not canonical. */
	bad = join3(h, p, "QR");
	assert_int_equal(verify(bad, k.jwks), JWT_MALFORMED);
	free(bad);
	free(tok);
	free(h);
	free(p);
	free(s);
}

static void
not_json_objects(void **state)
{
	char *tok;

	(void)state;
	tok = sign_raw("not json", "{\"iss\":\"x\"}", k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	tok = sign_raw("[\"RS256\"]", "{}", k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	tok = sign_raw("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}",
	    "[\"" ISS "\"]", k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	tok = sign_raw("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}", "\"s\"",
	    k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	/* Trailing bytes after the object. */
	tok = sign_raw("{\"alg\":\"RS256\",\"kid\":\"rsa1\"} x", "{}",
	    k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
}

static void
duplicate_members(void **state)
{
	json_t *p = payload();
	char *text = json_dumps(p, JSON_COMPACT), *tok;

	(void)state;
	json_decref(p);
	tok = sign_raw("{\"alg\":\"ES256\",\"alg\":\"RS256\",\"kid\":\"rsa1\"}",
	    text, k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	tok = sign_raw("{\"alg\":\"RS256\",\"kid\":\"rsa1\"}",
	    "{\"iss\":\"" ISS "\",\"sub\":\"a\",\"aud\":\"" CLIENT "\","
	    "\"exp\":1700000600,\"iat\":1700000000,\"nonce\":\"" NONCE "\","
	    "\"iss\":\"https://evil\"}", k.rsa);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	free(text);
}

static void
token_too_long(void **state)
{
	/*
	 * Grow a claim until the token passes 16384 bytes: the last one
	 * under the limit verifies, the first over it is malformed.
	 */
	char *pad = xmalloc(JWT_MAX_TOKEN + 1), *tok, *last = NULL;
	json_t *p;

	(void)state;
	for (size_t n = 11700;; n++) {
		memset(pad, 'p', n);
		pad[n] = '\0';
		p = payload();
		json_object_set_new(p, "pad", json_string(pad));
		tok = rs256(p);
		if (strlen(tok) > JWT_MAX_TOKEN)
			break;
		free(last);
		last = tok;
	}
	assert_non_null(last);
	assert_true(strlen(last) >= JWT_MAX_TOKEN - 3);
	assert_int_equal(verify(last, k.jwks), JWT_OK);
	assert_int_equal(verify(tok, k.jwks), JWT_MALFORMED);
	free(tok);
	free(last);
	free(pad);
}

static void
empty_strings(void **state)
{
	char *tok = rs256(payload());

	(void)state;
	assert_int_equal(verify("", k.jwks), JWT_MALFORMED);
	assert_int_equal(verify("..", k.jwks), JWT_MALFORMED);
	assert_int_equal(verify(".", k.jwks), JWT_MALFORMED);
	assert_int_equal(verify("", ""), JWT_MALFORMED);
	assert_int_equal(verify(NULL, k.jwks), JWT_MALFORMED);
	assert_int_equal(verify(tok, ""), JWT_NO_KEY);
	free(tok);
}

/* ---- names and PKCE --------------------------------------------------- */

static void
result_names(void **state)
{
	(void)state;
	assert_string_equal(jwt_result_name(JWT_OK), "ok");
	assert_string_equal(jwt_result_name(JWT_MALFORMED), "malformed");
	assert_string_equal(jwt_result_name(JWT_ALG), "alg");
	assert_string_equal(jwt_result_name(JWT_NO_KEY), "no-key");
	assert_string_equal(jwt_result_name(JWT_SIGNATURE), "signature");
	assert_string_equal(jwt_result_name(JWT_ISSUER), "issuer");
	assert_string_equal(jwt_result_name(JWT_AUDIENCE), "audience");
	assert_string_equal(jwt_result_name(JWT_EXPIRED), "expired");
	assert_string_equal(jwt_result_name(JWT_NOT_YET_VALID),
	    "not-yet-valid");
	assert_string_equal(jwt_result_name(JWT_NONCE), "nonce");
}

static void
pkce_rfc7636_vector(void **state)
{
	char out[44];

	(void)state;
	memset(out, '#', sizeof(out));
	jwt_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", out);
	assert_string_equal(out, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	assert_int_equal(strlen(out), 43);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rs256_good),
		cmocka_unit_test(es256_good),
		cmocka_unit_test(no_kid_one_fitting_key),
		cmocka_unit_test(no_kid_tries_every_key),
		cmocka_unit_test(typ_any_case_or_absent),
		cmocka_unit_test(jwk_with_matching_use_and_alg),
		cmocka_unit_test(real_times_accepted),
		cmocka_unit_test(tampered_payload),
		cmocka_unit_test(forged_with_same_kid),
		cmocka_unit_test(es256_signature_wrong_length),
		cmocka_unit_test(rs256_empty_signature),
		cmocka_unit_test(alg_none),
		cmocka_unit_test(alg_hs256_key_confusion),
		cmocka_unit_test(alg_others_refused),
		cmocka_unit_test(typ_other_refused),
		cmocka_unit_test(crit_refused),
		cmocka_unit_test(rs256_but_kid_is_ec),
		cmocka_unit_test(unknown_kid),
		cmocka_unit_test(jwk_use_enc),
		cmocka_unit_test(jwk_alg_differs),
		cmocka_unit_test(rsa_1024_refused),
		cmocka_unit_test(broken_jwks),
		cmocka_unit_test(ec_point_off_curve),
		cmocka_unit_test(jwks_limits),
		cmocka_unit_test(wrong_issuer),
		cmocka_unit_test(audience_string_mismatch),
		cmocka_unit_test(audience_array),
		cmocka_unit_test(expired_and_leeway),
		cmocka_unit_test(iat_in_future),
		cmocka_unit_test(nbf_in_future),
		cmocka_unit_test(nonce_checked),
		cmocka_unit_test(checks_in_order),
		cmocka_unit_test(expectation_missing_fails_closed),
		cmocka_unit_test(claims_missing_or_ill_typed),
		cmocka_unit_test(kid_not_a_string),
		cmocka_unit_test(wrong_number_of_parts),
		cmocka_unit_test(padding_refused),
		cmocka_unit_test(bad_base64),
		cmocka_unit_test(not_json_objects),
		cmocka_unit_test(duplicate_members),
		cmocka_unit_test(token_too_long),
		cmocka_unit_test(empty_strings),
		cmocka_unit_test(result_names),
		cmocka_unit_test(pkce_rfc7636_vector),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
