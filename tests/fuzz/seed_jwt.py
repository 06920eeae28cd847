"""Seeds for tests/fuzz/fuzz_jwt.c: ID tokens really signed (RS256 and
ES256) for fuzz_jwt's expectation, each with its JWK Set after a NUL."""
import sys
from pathlib import Path

from authlib.jose import JsonWebKey, jwt

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
claims = {"iss": "https://id.example.org", "aud": "ludus-web",
          "sub": "248289761001", "nonce": "n-0S6_WzA2Mj",
          "iat": 1700000000, "exp": 1700000600,
          "email": "jane@example.org", "email_verified": True}
for kty, crv_or_size, alg in (("RSA", 2048, "RS256"), ("EC", "P-256", "ES256")):
    key = JsonWebKey.generate_key(kty, crv_or_size, is_private=True,
                                  options={"kid": alg.lower()})
    token = jwt.encode({"alg": alg, "kid": alg.lower(), "typ": "JWT"},
                       claims, key)
    pub = key.as_json(is_private=False)
    (out / alg).write_bytes(token + b"\0" + ('{"keys":[%s]}' % pub).encode())
