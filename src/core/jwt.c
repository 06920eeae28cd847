/*
 * jwt.c - ID token verification (OpenSSL 3 EVP, libsodium base64, jansson).
 *
 * Every part of the token is attacker-chosen, so the header only ever
 * selects among keys the JWKS already holds: the algorithm must be one we
 * asked for (RS256 or ES256), the key must be of that algorithm's type,
 * and keys embedded in the header (jwk, jku, x5u) are never looked at.
 * That closes the "alg: none" and the RSA-key-as-HMAC-secret attacks.
 *
 * The claims' types are part of the token's shape and are checked with
 * it; their values are looked at only once the signature holds, so a
 * forged token learns nothing about which of them would have passed.
 */
#include "core/jwt.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>

#include "core/alloc.h"

#define SUB_MAX		255
#define ES256_SIG	64
#define P256_COORD	32
#define RSA_MIN_BYTES	256	/* 2048 bits */
#define RSA_MAX_BYTES	2048	/* 16384 bits, OpenSSL's own ceiling */
#define RSA_MAX_E	8

enum alg {
	ALG_RS256,
	ALG_ES256,
};

struct token {
	const char *signed_part;	/* "header.payload" */
	size_t signed_len;
	json_t *header;
	json_t *payload;
	unsigned char *sig;
	size_t sig_len;
	enum alg alg;
	const char *kid;		/* in header, or NULL */
};

/*
 * Decodes n characters of unpadded base64url into a fresh buffer.  libsodium
 * refuses '=', other alphabets and non-zero trailing bits, so each value
 * has exactly one spelling.
 */
static int
b64url_decode(const char *s, size_t n, unsigned char **out, size_t *len)
{
	unsigned char *buf = xmalloc(n / 4 * 3 + 3);

	if (sodium_base642bin(buf, n / 4 * 3 + 3, s, n, NULL, len, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

static json_t *
b64url_object(const char *s, size_t n)
{
	unsigned char *buf;
	size_t len;
	json_t *o;

	if (b64url_decode(s, n, &buf, &len) != 0)
		return NULL;
	o = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, NULL);
	free(buf);
	if (o != NULL && !json_is_object(o)) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

/* Decodes a base64url member of a JWK, or fails if absent or not text. */
static int
jwk_bytes(const json_t *k, const char *name, unsigned char **out,
    size_t *len)
{
	const json_t *v = json_object_get(k, name);

	if (!json_is_string(v))
		return -1;
	return b64url_decode(json_string_value(v), json_string_length(v), out,
	    len);
}

static bool
claims_well_typed(const json_t *p)
{
	const json_t *sub = json_object_get(p, "sub");
	const json_t *aud = json_object_get(p, "aud");
	const json_t *nbf = json_object_get(p, "nbf");
	const json_t *v;
	size_t i;

	if (!json_is_string(json_object_get(p, "iss")) ||
	    !json_is_string(sub) || json_string_length(sub) < 1 ||
	    json_string_length(sub) > SUB_MAX ||
	    !json_is_number(json_object_get(p, "exp")) ||
	    !json_is_number(json_object_get(p, "iat")))
		return false;
	/* An nbf we cannot read must not be ignored. */
	if (nbf != NULL && !json_is_number(nbf))
		return false;
	if (json_is_string(aud))
		return true;
	if (!json_is_array(aud) || json_array_size(aud) == 0)
		return false;
	json_array_foreach(aud, i, v)
		if (!json_is_string(v))
			return false;
	return true;
}

/* Splits and decodes the token; JWT_OK or JWT_MALFORMED. */
static enum jwt_result
token_parse(const char *s, struct token *t)
{
	const char *dot1, *dot2;
	const json_t *kid;
	size_t n;

	n = strnlen(s, JWT_MAX_TOKEN + 1);
	if (n > JWT_MAX_TOKEN)
		return JWT_MALFORMED;
	if ((dot1 = strchr(s, '.')) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL ||
	    strchr(dot2 + 1, '.') != NULL)
		return JWT_MALFORMED;
	t->signed_part = s;
	t->signed_len = (size_t)(dot2 - s);
	if ((t->header = b64url_object(s, (size_t)(dot1 - s))) == NULL ||
	    (t->payload = b64url_object(dot1 + 1,
	    (size_t)(dot2 - dot1 - 1))) == NULL ||
	    b64url_decode(dot2 + 1, strlen(dot2 + 1), &t->sig,
	    &t->sig_len) != 0)
		return JWT_MALFORMED;
	kid = json_object_get(t->header, "kid");
	if (kid != NULL && !json_is_string(kid))
		return JWT_MALFORMED;
	t->kid = json_string_value(kid);
	if (!claims_well_typed(t->payload))
		return JWT_MALFORMED;
	return JWT_OK;
}

static enum jwt_result
header_check(struct token *t)
{
	const char *alg = json_string_value(json_object_get(t->header, "alg"));
	const json_t *typ = json_object_get(t->header, "typ");

	if (alg == NULL)
		return JWT_ALG;
	if (strcmp(alg, "RS256") == 0)
		t->alg = ALG_RS256;
	else if (strcmp(alg, "ES256") == 0)
		t->alg = ALG_ES256;
	else
		return JWT_ALG;
	if (typ != NULL && (!json_is_string(typ) ||
	    strcasecmp(json_string_value(typ), "JWT") != 0))
		return JWT_ALG;
	/* We understand no extension, and RFC 7515 says to refuse them. */
	if (json_object_get(t->header, "crit") != NULL)
		return JWT_ALG;
	return JWT_OK;
}

static EVP_PKEY *
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM *params;

	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		return NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *
jwk_rsa(const json_t *k)
{
	unsigned char *n = NULL, *e = NULL, *np;
	size_t nlen = 0, elen = 0;
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (jwk_bytes(k, "n", &n, &nlen) != 0 ||
	    jwk_bytes(k, "e", &e, &elen) != 0)
		goto out;
	/* Leading zeros do not make a modulus any longer. */
	for (np = n; nlen > 0 && *np == 0; np++)
		nlen--;
	if (nlen < RSA_MIN_BYTES || nlen > RSA_MAX_BYTES ||
	    elen == 0 || elen > RSA_MAX_E)
		goto out;
	if ((bn_n = BN_bin2bn(np, (int)nlen, NULL)) == NULL ||
	    (bn_e = BN_bin2bn(e, (int)elen, NULL)) == NULL ||
	    (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		goto out;
	pkey = pkey_fromdata("RSA", bld);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	free(n);
	free(e);
	return pkey;
}

static EVP_PKEY *
jwk_ec(const json_t *k)
{
	unsigned char *x = NULL, *y = NULL;
	unsigned char pub[1 + 2 * P256_COORD];
	size_t xlen = 0, ylen = 0;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (!json_is_string(json_object_get(k, "crv")) ||
	    strcmp(json_string_value(json_object_get(k, "crv")),
	    "P-256") != 0 ||
	    jwk_bytes(k, "x", &x, &xlen) != 0 ||
	    jwk_bytes(k, "y", &y, &ylen) != 0 ||
	    xlen != P256_COORD || ylen != P256_COORD)
		goto out;
	pub[0] = 0x04;	/* uncompressed point */
	memcpy(pub + 1, x, P256_COORD);
	memcpy(pub + 1 + P256_COORD, y, P256_COORD);
	/* OpenSSL refuses a point that is not on the curve. */
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld,
	    OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub)))
		goto out;
	pkey = pkey_fromdata("EC", bld);
out:
	OSSL_PARAM_BLD_free(bld);
	free(x);
	free(y);
	return pkey;
}

/* The key k if it fits the token's header, else NULL. */
static EVP_PKEY *
jwk_fit(const json_t *k, const struct token *t)
{
	const char *alg = t->alg == ALG_RS256 ? "RS256" : "ES256";
	const char *kty = t->alg == ALG_RS256 ? "RSA" : "EC";
	const json_t *v;

	if (!json_is_object(k))
		return NULL;
	v = json_object_get(k, "kty");
	if (!json_is_string(v) || strcmp(json_string_value(v), kty) != 0)
		return NULL;
	v = json_object_get(k, "use");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), "sig") != 0))
		return NULL;
	v = json_object_get(k, "alg");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), alg) != 0))
		return NULL;
	if (t->kid != NULL) {
		v = json_object_get(k, "kid");
		if (!json_is_string(v) ||
		    strcmp(json_string_value(v), t->kid) != 0)
			return NULL;
	}
	return t->alg == ALG_RS256 ? jwk_rsa(k) : jwk_ec(k);
}

/*
 * JWS carries ECDSA signatures as r||s of fixed length (RFC 7518 section
 * 3.4); OpenSSL verifies DER.  A fresh DER buffer, or NULL.
 */
static unsigned char *
es256_der(const unsigned char *raw, size_t len, size_t *der_len)
{
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *der = NULL, *p;
	int n;

	if (len != ES256_SIG)
		return NULL;
	if ((sig = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(raw, ES256_SIG / 2, NULL)) == NULL ||
	    (s = BN_bin2bn(raw + ES256_SIG / 2, ES256_SIG / 2, NULL)) == NULL)
		goto out;
	if (!ECDSA_SIG_set0(sig, r, s))
		goto out;
	r = s = NULL;	/* sig owns them now */
	if ((n = i2d_ECDSA_SIG(sig, NULL)) <= 0)
		goto out;
	der = p = xmalloc((size_t)n);
	if (i2d_ECDSA_SIG(sig, &p) != n) {
		free(der);
		der = NULL;
		goto out;
	}
	*der_len = (size_t)n;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return der;
}

static bool
signature_ok(EVP_PKEY *pkey, const struct token *t)
{
	EVP_MD_CTX *ctx;
	const unsigned char *sig = t->sig;
	unsigned char *der = NULL;
	size_t sig_len = t->sig_len;
	bool ok = false;

	if (t->alg == ALG_ES256) {
		if ((der = es256_der(t->sig, t->sig_len, &sig_len)) == NULL)
			return false;
		sig = der;
	}
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, sig_len,
	    (const unsigned char *)t->signed_part, t->signed_len) == 1)
		ok = true;
	EVP_MD_CTX_free(ctx);
	free(der);
	return ok;
}

/* JWT_OK, JWT_NO_KEY or JWT_SIGNATURE. */
static enum jwt_result
key_check(const struct token *t, const char *jwks)
{
	json_t *set, *keys;
	EVP_PKEY *pkey;
	enum jwt_result r = JWT_NO_KEY;
	size_t i, n;

	if (jwks == NULL || strnlen(jwks, JWT_MAX_JWKS + 1) > JWT_MAX_JWKS)
		return JWT_NO_KEY;
	set = json_loads(jwks, JSON_REJECT_DUPLICATES, NULL);
	keys = json_object_get(set, "keys");
	n = json_array_size(keys);
	if (n > JWT_MAX_KEYS)
		n = JWT_MAX_KEYS;
	/* Without a kid every fitting key is tried: any one may have signed. */
	for (i = 0; i < n && r != JWT_OK; i++) {
		if ((pkey = jwk_fit(json_array_get(keys, i), t)) == NULL)
			continue;
		r = signature_ok(pkey, t) ? JWT_OK : JWT_SIGNATURE;
		EVP_PKEY_free(pkey);
	}
	json_decref(set);
	return r;
}

static bool
audience_ok(const json_t *p, const char *client)
{
	const json_t *aud = json_object_get(p, "aud");
	const json_t *azp = json_object_get(p, "azp");
	const json_t *v;
	bool found = false;
	size_t i;

	if (client == NULL)
		return false;
	if (azp != NULL && (!json_is_string(azp) ||
	    strcmp(json_string_value(azp), client) != 0))
		return false;
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client) == 0;
	/* OIDC Core 3.1.3.7: several audiences need azp to say who asked. */
	if (json_array_size(aud) > 1 && azp == NULL)
		return false;
	json_array_foreach(aud, i, v)
		if (strcmp(json_string_value(v), client) == 0)
			found = true;
	return found;
}

/* The claims after the signature: their types were checked already. */
static enum jwt_result
claims_check(const json_t *p, const struct jwt_expect *e)
{
	const json_t *nbf = json_object_get(p, "nbf");
	const json_t *nonce = json_object_get(p, "nonce");
	double now, leeway;

	if (e == NULL || e->issuer == NULL ||
	    strcmp(json_string_value(json_object_get(p, "iss")),
	    e->issuer) != 0)
		return JWT_ISSUER;
	if (!audience_ok(p, e->audience))
		return JWT_AUDIENCE;
	/* In doubles: a huge exp cannot overflow, and reals compare too. */
	now = (double)e->now;
	leeway = e->leeway_s;
	if (now >= json_number_value(json_object_get(p, "exp")) + leeway)
		return JWT_EXPIRED;
	if (json_number_value(json_object_get(p, "iat")) > now + leeway ||
	    (nbf != NULL && json_number_value(nbf) > now + leeway))
		return JWT_NOT_YET_VALID;
	if (e->nonce != NULL && (!json_is_string(nonce) ||
	    strcmp(json_string_value(nonce), e->nonce) != 0))
		return JWT_NONCE;
	return JWT_OK;
}

enum jwt_result
jwt_verify(const char *token, const char *jwks, const struct jwt_expect *e,
    json_t **claims)
{
	struct token t;
	enum jwt_result r;

	memset(&t, 0, sizeof(t));
	if (claims != NULL)
		*claims = NULL;
	if (token == NULL)
		return JWT_MALFORMED;
	if ((r = token_parse(token, &t)) == JWT_OK &&
	    (r = header_check(&t)) == JWT_OK &&
	    (r = key_check(&t, jwks)) == JWT_OK)
		r = claims_check(t.payload, e);
	if (r == JWT_OK && claims != NULL) {
		*claims = t.payload;
		t.payload = NULL;
	}
	json_decref(t.header);
	json_decref(t.payload);
	free(t.sig);
	/* Refused keys and signatures leave errors that are not the caller's. */
	ERR_clear_error();
	return r;
}

const char *
jwt_result_name(enum jwt_result r)
{
	switch (r) {
	case JWT_OK:
		return "ok";
	case JWT_MALFORMED:
		return "malformed";
	case JWT_ALG:
		return "alg";
	case JWT_NO_KEY:
		return "no-key";
	case JWT_SIGNATURE:
		return "signature";
	case JWT_ISSUER:
		return "issuer";
	case JWT_AUDIENCE:
		return "audience";
	case JWT_EXPIRED:
		return "expired";
	case JWT_NOT_YET_VALID:
		return "not-yet-valid";
	case JWT_NONCE:
		return "nonce";
	}
	return "unknown";
}

void
jwt_pkce_challenge(const char *verifier, char out[44])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)verifier,
	    strlen(verifier));
	sodium_bin2base64(out, 44, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
