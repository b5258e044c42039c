"""The platform registry: which LMSs may launch the tool, and the tool's own URLs."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models.lti import LtiDeployment, LtiPlatform
from app.services.errors import Conflict, NotFound, ServiceError


@dataclass(frozen=True)
class PlatformInput:
    issuer: str
    client_id: str
    deployment_id: str
    auth_url: str
    token_url: str
    jwks_url: str


def _url(value: str, what: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ServiceError(_("The %(what)s must be an absolute http(s) URL (got %(value)s).", what=what, value=repr(value[:200])))
    if len(value) > 1000:
        raise ServiceError(_("The %(what)s must have at most 1000 characters.", what=what))
    return value


def _text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(_("The %(what)s is required.", what=what))
    if len(value) > 255:
        raise ServiceError(_("The %(what)s must have at most 255 characters.", what=what))
    return value


def validate(data: PlatformInput) -> PlatformInput:
    # The issuer is compared with the token's `iss` exactly, path and all: it is kept as
    # typed apart from surrounding spaces.
    issuer = _url(data.issuer, "issuer")
    if len(issuer) > 255:
        raise ServiceError(_("The issuer must have at most 255 characters."))
    return PlatformInput(
        issuer=issuer, client_id=_text(data.client_id, _("client id")),
        deployment_id=_text(data.deployment_id, _("deployment id")),
        auth_url=_url(data.auth_url, _("authentication request URL")),
        token_url=_url(data.token_url, _("access token URL")),
        jwks_url=_url(data.jwks_url, _("public keyset (JWKS) URL")))


def find(issuer: str, client_id: str) -> LtiPlatform | None:
    return db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == issuer,
                                                       LtiPlatform.client_id == client_id))


def by_issuer(issuer: str) -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).where(LtiPlatform.issuer == issuer)))


def get(platform_id: int) -> LtiPlatform:
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise NotFound(_("There is no LTI platform with id %(platform_id)s.", platform_id=platform_id))
    return platform


def add_platform(data: PlatformInput) -> LtiPlatform:
    """Register a platform, or a further deployment of a registered one (same issuer, client
    id and URLs). Different URLs for a registered (issuer, client id) are refused rather than
    silently replacing the old ones."""
    data = validate(data)
    platform = find(data.issuer, data.client_id)
    if platform is None:
        platform = LtiPlatform(issuer=data.issuer, client_id=data.client_id,
                               auth_url=data.auth_url, token_url=data.token_url,
                               jwks_url=data.jwks_url)
        db.session.add(platform)
        db.session.flush()
    else:
        differ = [name for name in ("auth_url", "token_url", "jwks_url")
                  if getattr(platform, name) != getattr(data, name)]
        if differ:
            raise Conflict(_("Platform %(id)s (%(issuer)s, client %(client_id)s) is registered with a "
                              "different %(differ)s.", id=platform.id, issuer=data.issuer, client_id=data.client_id, differ=', '.join(differ)))
    if data.deployment_id not in {d.deployment_id for d in platform.deployments}:
        platform.deployments.append(LtiDeployment(deployment_id=data.deployment_id))
        db.session.flush()
    return platform


def all_platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)))


def has_deployment(platform: LtiPlatform, deployment_id: str) -> bool:
    return db.session.scalar(select(LtiDeployment.id).where(
        LtiDeployment.platform_id == platform.id,
        LtiDeployment.deployment_id == deployment_id)) is not None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def tool_urls(base_url: str) -> dict[str, str]:
    """What an LMS administrator pastes. The login redirect's redirect_uri is `launch_url`
    exactly; deep linking requests arrive there too (`deep_link_url` also accepts them)."""
    base = base_url.rstrip("/")
    return {
        "login_url": f"{base}/lti/login",
        "launch_url": f"{base}/lti/launch",
        "jwks_url": f"{base}/lti/jwks",
        "deep_link_url": f"{base}/lti/deep-link",
    }
