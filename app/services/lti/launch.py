"""OIDC login initiation and full validation of an LTI 1.3 launch.

`begin_login` answers a platform's third-party login initiation with the authentication
request to send the browser to, and records the state and nonce. `validate` checks an
id_token against everything the specification requires; each failure is a `LaunchRefused`
whose message names the check, for a 4xx page that never logs anyone in.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import jwt
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.extensions import db
from app.models.base import utcnow
from app.models.lti import LtiLoginState, LtiPlatform
from app.services.lti import claims, platform_keys, platforms

LEEWAY_SECONDS = 60
STATE_LIFETIME = timedelta(minutes=10)
# Login states are kept a day after use, so a replay is recognised as one.
STATE_RETENTION = timedelta(days=1)
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id",
                "lti_deployment_id")


class LaunchRefused(Exception):
    def __init__(self, status: int, check: str, message: str):
        super().__init__(f"{check}: {message}")
        self.status, self.check, self.message = status, check, message


@dataclass(frozen=True)
class LoginRedirect:
    url: str
    state: str


def _platform_for_login(params: dict[str, str]) -> LtiPlatform:
    issuer, client_id = params.get("iss", ""), params.get("client_id", "")
    if not issuer:
        raise LaunchRefused(400, "iss", _("The login request names no issuer (iss)."))
    if not params.get("login_hint"):
        raise LaunchRefused(400, "login_hint", _("The login request has no login_hint."))
    if client_id:
        platform = platforms.find(issuer, client_id)
        if platform is None:
            raise LaunchRefused(403, "client_id",
                                _("No platform is registered for issuer %(issuer)s with client id %(client_id)s.", issuer=issuer, client_id=client_id))
        return platform
    candidates = platforms.by_issuer(issuer)
    if not candidates:
        raise LaunchRefused(403, "iss", _("No platform is registered with issuer %(issuer)s.", issuer=issuer))
    if len(candidates) > 1:
        raise LaunchRefused(400, "client_id", _("Several registrations share this issuer; the login request must name its "
                                                 "client_id."))
    return candidates[0]


def begin_login(params: dict[str, str], launch_url: str) -> LoginRedirect:
    platform = _platform_for_login(params)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    kept = {k: params[k] for k in LOGIN_PARAMS if params.get(k)}
    db.session.execute(delete(LtiLoginState).where(
        LtiLoginState.created_at < utcnow() - STATE_RETENTION))
    db.session.add(LtiLoginState(state=state, nonce=nonce, platform_id=platform.id,
                                 login_query=urlencode(kept)))
    db.session.flush()
    query = {
        "scope": "openid", "response_type": "id_token", "response_mode": "form_post",
        "prompt": "none", "client_id": platform.client_id, "redirect_uri": launch_url,
        "login_hint": params["login_hint"], "state": state, "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_url else "?"
    return LoginRedirect(platform.auth_url + separator + urlencode(query), state)


@dataclass(frozen=True)
class Launch:
    platform_id: int
    issuer: str
    client_id: str
    deployment_id: str
    message_type: str
    sub: str
    claims: dict = field(repr=False)
    state: str = ""

    def claim(self, name: str, default=None):
        return self.claims.get(name, default)

    @property
    def context(self) -> dict:
        value = self.claims.get(claims.CONTEXT)
        return value if isinstance(value, dict) else {}

    @property
    def custom(self) -> dict:
        value = self.claims.get(claims.CUSTOM)
        return value if isinstance(value, dict) else {}

    @property
    def roles(self) -> list[str]:
        value = self.claims.get(claims.ROLES)
        return [r for r in value if isinstance(r, str)] if isinstance(value, list) else []


def _unverified(id_token: str) -> tuple[dict, dict]:
    try:
        return (jwt.get_unverified_header(id_token),
                jwt.decode(id_token, options={"verify_signature": False}))
    except jwt.PyJWTError as exc:
        raise LaunchRefused(400, "id_token", _("The id_token is not a readable JWT (%(exc)s).", exc=exc)) \
            from None


def _platform_for_token(payload: dict) -> LtiPlatform:
    issuer, aud = payload.get("iss"), payload.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if not isinstance(issuer, str) or not issuer:
        raise LaunchRefused(401, "iss", _("The id_token names no issuer."))
    registered = platforms.by_issuer(issuer)
    if not registered:
        raise LaunchRefused(401, "iss", _("No platform is registered with issuer %(issuer)s.", issuer=issuer))
    for platform in registered:
        if platform.client_id in audiences:
            return platform
    raise LaunchRefused(401, "aud", _("The id_token's audience (aud) is not this tool's client id for issuer "
                                       "%(issuer)s.", issuer=issuer))


_JWT_ERRORS = (
    (jwt.InvalidSignatureError, 401, "signature", "The id_token's signature does not verify "
                                                  "with the platform's key."),
    (jwt.ExpiredSignatureError, 401, "exp", "The id_token has expired (exp)."),
    (jwt.ImmatureSignatureError, 401, "iat", "The id_token was issued in the future (iat)."),
    (jwt.InvalidAudienceError, 401, "aud", "The id_token's audience (aud) is not this tool."),
    (jwt.InvalidIssuerError, 401, "iss", "The id_token's issuer (iss) does not match."),
    (jwt.InvalidAlgorithmError, 401, "alg", "The id_token is not signed with RS256."),
)


def _verify(id_token: str, header: dict, platform: LtiPlatform) -> dict:
    try:
        key = platform_keys.signing_key(platform.jwks_url, header.get("kid"))
    except platform_keys.KeyUnavailable as exc:
        raise LaunchRefused(401, "signature", _("No platform key verifies the id_token: %(exc)s.", exc=exc)) \
            from None
    try:
        return jwt.decode(id_token, key=key, algorithms=["RS256"], audience=platform.client_id,
                          issuer=platform.issuer, leeway=LEEWAY_SECONDS,
                          options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]})
    except jwt.MissingRequiredClaimError as exc:
        raise LaunchRefused(401, exc.claim, _("The id_token has no %(claim)s claim.", claim=exc.claim)) from None
    except jwt.PyJWTError as exc:
        for kind, status, check, message in _JWT_ERRORS:
            if isinstance(exc, kind):
                raise LaunchRefused(status, check, message) from None
        raise LaunchRefused(401, "id_token", _("The id_token was refused (%(exc)s).", exc=exc)) from None


def _check_azp(payload: dict, platform: LtiPlatform) -> None:
    aud, azp = payload.get("aud"), payload.get("azp")
    if isinstance(aud, list) and len(aud) > 1 and azp is None:
        raise LaunchRefused(401, "azp", _("The id_token has several audiences but no azp."))
    if azp is not None and azp != platform.client_id:
        raise LaunchRefused(401, "azp", _("The id_token's authorized party (azp) is not this tool's client id."))


def login_state(state: str) -> LtiLoginState | None:
    if not state or len(state) > 64:
        return None

    return db.session.scalar(select(LtiLoginState).where(LtiLoginState.state == state))


def _consume_state(row: LtiLoginState | None, platform: LtiPlatform, payload: dict,
                   browser_state: str | None) -> None:
    if row is None or row.platform_id != platform.id:
        raise LaunchRefused(401, "state", _("The launch's state is unknown: it did not come from a login started here."))
    if row.used_at is not None:
        raise LaunchRefused(401, "nonce", _("This launch was already used (replayed nonce)."))
    if row.created_at < utcnow() - STATE_LIFETIME:
        raise LaunchRefused(401, "state", _("The login took too long; launch again from the LMS."))
    if browser_state is None:
        raise LaunchRefused(401, _("state cookie"), _("The browser did not send back the cookie set at login (third-party cookies "
                                                    "blocked?)."))
    if browser_state != row.state:
        raise LaunchRefused(401, "state", _("The launch's state does not match the login this browser started."))
    if payload.get("nonce") != row.nonce:
        raise LaunchRefused(401, "nonce", _("The id_token's nonce is not the one sent at login."))
    # Atomic: of two servers consuming the same state, exactly one updates the row.
    used = db.session.execute(update(LtiLoginState).where(
        LtiLoginState.id == row.id, LtiLoginState.used_at.is_(None)).values(used_at=utcnow()))
    if used.rowcount != 1:
        raise LaunchRefused(401, "nonce", _("This launch was already used (replayed nonce)."))


def _check_message(payload: dict, platform: LtiPlatform) -> tuple[str, str]:
    deployment = payload.get(claims.DEPLOYMENT_ID)
    if not isinstance(deployment, str) or not deployment:
        raise LaunchRefused(400, "deployment_id", _("The id_token has no deployment_id."))
    if not platforms.has_deployment(platform, deployment):
        raise LaunchRefused(403, "deployment_id", _("Deployment %(deployment)s is not registered for this platform.", deployment=repr(deployment)))
    if payload.get(claims.VERSION) != claims.LTI_VERSION:
        raise LaunchRefused(400, "version", _("Only LTI version 1.3.0 launches are accepted."))
    kind = payload.get(claims.MESSAGE_TYPE)
    if kind == claims.RESOURCE_LINK_REQUEST:
        link = payload.get(claims.RESOURCE_LINK)
        if not isinstance(link, dict) or not link.get("id"):
            raise LaunchRefused(400, "resource_link", _("The launch has no resource_link id."))
    elif kind == claims.DEEP_LINKING_REQUEST:
        settings = payload.get(claims.DEEP_LINKING_SETTINGS)
        if not isinstance(settings, dict) or not settings.get("deep_link_return_url"):
            raise LaunchRefused(400, "deep_linking_settings",
                                _("The deep linking request has no deep_link_return_url."))
    else:
        raise LaunchRefused(400, "message_type", _("Message type %(kind)s is not supported.", kind=repr(kind)))
    return deployment, kind


def validate(id_token: str, state: str, browser_state: str | None) -> Launch:
    """Check the launch fully, consume its state and nonce, and return its claims."""
    if not id_token:
        raise LaunchRefused(400, "id_token", _("The launch carries no id_token."))
    header, unverified = _unverified(id_token)
    platform = _platform_for_token(unverified)
    payload = _verify(id_token, header, platform)
    _check_azp(payload, platform)
    _consume_state(login_state(state), platform, payload, browser_state)
    deployment, kind = _check_message(payload, platform)
    if not isinstance(payload.get("sub"), str) or not payload["sub"]:
        raise LaunchRefused(400, "sub", _("The launch names no user (sub)."))
    return Launch(platform.id, platform.issuer, platform.client_id, deployment, kind,
                  payload["sub"], json.loads(json.dumps(payload)), state)


def remember(launch: Launch, user_id: int) -> int:
    """Keep the validated claims with the consumed login state; returns its id."""
    row = login_state(launch.state)
    row.user_id, row.claims = user_id, json.dumps(launch.claims)
    db.session.flush()
    return row.id


FOLLOW_UP = timedelta(hours=2)


def recall(launch_id: int, user_id: int) -> Launch | None:
    """A launch this user made recently, for the pages that continue it."""
    row = db.session.get(LtiLoginState, launch_id)
    if row is None or row.user_id != user_id or not row.claims or row.used_at is None \
            or row.used_at < utcnow() - FOLLOW_UP:
        return None
    payload = json.loads(row.claims)
    platform = db.session.get(LtiPlatform, row.platform_id)
    return Launch(platform.id, platform.issuer, platform.client_id,
                  payload.get(claims.DEPLOYMENT_ID, ""), payload.get(claims.MESSAGE_TYPE, ""),
                  payload.get("sub", ""), payload, row.state)
