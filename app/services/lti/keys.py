"""The tool's RSA key pairs, kept in the database so every app server signs with the same key.

The first caller creates generation 1; the unique generation number makes workers that start
together agree on one key (the loser of the insert race reads the winner's). `rotate` adds the
next generation, which signs from then on; the previous one stays in /lti/jwks until the next
rotation, so a platform holding tokens or a cached key set from before still verifies them.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.lti import LtiKey

KEY_BITS = 2048
# Published generations: the signing key and the one before it.
PUBLISHED = 2


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str


def _new_key(generation: int) -> LtiKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    kid = f"gw-{generation}-{secrets.token_hex(6)}"
    jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return LtiKey(generation=generation, kid=kid, private_pem=pem, public_jwk=json.dumps(jwk))


def _insert(generation: int) -> bool:
    """Insert a key of this generation; False when another process inserted it first."""
    try:
        with db.session.begin_nested():
            db.session.add(_new_key(generation))
    except IntegrityError:
        return False
    return True


def current_key() -> SigningKey:
    """The signing key, created on first use."""
    key = db.session.scalar(select(LtiKey).order_by(LtiKey.generation.desc()).limit(1))
    if key is None:
        _insert(1)
        key = db.session.scalar(select(LtiKey).order_by(LtiKey.generation.desc()).limit(1))
    return SigningKey(key.kid, key.private_pem)


def ensure_key() -> None:
    """Create the first key now and commit it, so no two requests race to sign with
    different ones. Called where a key is about to be needed."""
    if db.session.scalar(select(func.count(LtiKey.id))) == 0:
        current_key()
        db.session.commit()


def public_jwks() -> dict:
    keys = db.session.scalars(select(LtiKey).order_by(LtiKey.generation.desc())
                              .limit(PUBLISHED)).all()
    return {"keys": [json.loads(k.public_jwk) for k in keys]}


def rotate() -> tuple[str, list[str]]:
    """Add the next generation; return its kid and the kids rotated out (no longer
    published)."""
    for _ in range(5):
        top = db.session.scalar(select(func.max(LtiKey.generation))) or 0
        if _insert(top + 1):
            break
    else:  # pragma: no cover - five concurrent rotations in a row
        raise RuntimeError("could not rotate the key: other rotations kept winning")
    newest = top + 1
    retired = list(db.session.scalars(
        select(LtiKey.kid).where(LtiKey.generation <= newest - PUBLISHED)))
    db.session.execute(delete(LtiKey).where(LtiKey.generation <= newest - PUBLISHED))
    db.session.flush()
    return current_key().kid, retired
