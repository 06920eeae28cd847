/*
 * jwt.h - verification of OpenID Connect ID tokens (compact JWS, RFC 7515)
 * against the provider's key set (JWKS, RFC 7517), and the PKCE challenge
 * (RFC 7636) of the authorization request.
 *
 * Pure code: no I/O, no clock, no global state.  The caller fetches the
 * JWKS, reads the clock and decides what to do with each result.
 */
#ifndef LUDUS_CORE_JWT_H
#define LUDUS_CORE_JWT_H

#include <jansson.h>

/* Longest token and JWKS text accepted, and keys of a JWKS looked at. */
#define JWT_MAX_TOKEN	16384
#define JWT_MAX_JWKS	262144
#define JWT_MAX_KEYS	64

enum jwt_result {
	/* Signature, issuer, audience, times and nonce all good. */
	JWT_OK,
	/*
	 * Not three base64url parts of JSON objects, too long, or a required
	 * claim (sub, iss, aud, exp, iat) missing or ill-typed.
	 */
	JWT_MALFORMED,
	/*
	 * Header alg not RS256 or ES256 (none, HS256, RS512, ... refused), typ
	 * present and not "JWT" (any case), or crit present.
	 */
	JWT_ALG,
	/*
	 * No key of the JWKS fits (kid unknown, or no key of the alg's type):
	 * the provider may have rotated its keys, so the caller may refetch
	 * the JWKS once and try again.
	 */
	JWT_NO_KEY,
	/* A key fits but the signature does not verify. */
	JWT_SIGNATURE,
	/* iss differs from the expected issuer (exact compare). */
	JWT_ISSUER,
	/*
	 * aud (string or array) lacks the client id; or azp is present and
	 * not the client id; or aud names several parties and azp is absent.
	 */
	JWT_AUDIENCE,
	/* now >= exp + leeway. */
	JWT_EXPIRED,
	/* iat > now + leeway, or nbf present and nbf > now + leeway. */
	JWT_NOT_YET_VALID,
	/* A nonce was expected and the claim is absent or differs. */
	JWT_NONCE,
};

struct jwt_expect {
	const char *issuer;	/* required */
	const char *audience;	/* the client id, required */
	const char *nonce;	/* NULL: not checked */
	long long now;		/* seconds since the epoch */
	int leeway_s;		/* clock skew allowed, e.g. 60 */
};

/*
 * Verifies token (NUL-terminated) against jwks (the JSON text of a JWK
 * Set).  The checks run in this order and the first failure is returned:
 * malformed, alg, key, signature, issuer, audience, expired, not yet
 * valid, nonce.  On JWT_OK, *claims is the payload object and the caller
 * json_decref()s it; otherwise *claims is NULL.  claims may be NULL when
 * the caller only wants the verdict.  A NULL expectation, issuer or
 * audience fails closed (JWT_ISSUER, JWT_AUDIENCE).
 */
enum jwt_result jwt_verify(const char *token, const char *jwks,
    const struct jwt_expect *e, json_t **claims);

/*
 * A short stable name of a result for logs and error codes: "ok",
 * "malformed", "alg", "no-key", "signature", "issuer", "audience",
 * "expired", "not-yet-valid", "nonce".
 */
const char *jwt_result_name(enum jwt_result r);

/* PKCE S256: out = BASE64URL-no-padding(SHA-256(verifier)), 43 characters
 * and a NUL. */
void jwt_pkce_challenge(const char *verifier, char out[44]);

#endif
