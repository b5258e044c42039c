"""Deep Linking 2.0: the signed LtiDeepLinkingResponse that places an assignment in the LMS."""

from __future__ import annotations

import time
import uuid

import jwt

from app.models.assignment import Assignment
from app.models.lti import LtiPlatform
from app.services.lti import claims, keys

LIFETIME = 600


def content_item(assignment: Assignment, launch_url: str) -> dict:
    return {
        "type": "ltiResourceLink",
        "title": assignment.title,
        "url": launch_url,
        "custom": {"gradwork_assignment_id": str(assignment.id)},
        "lineItem": {"scoreMaximum": assignment.total_points, "label": assignment.title,
                     "resourceId": str(assignment.id), "tag": "gradwork"},
    }


def response_jwt(platform: LtiPlatform, deployment_id: str, settings: dict,
                 items: list[dict]) -> str:
    """The JWT the browser posts back to `deep_link_return_url` (as the `JWT` field)."""
    key = keys.current_key()
    now = int(time.time())
    body = {
        "iss": platform.client_id, "aud": platform.issuer, "azp": platform.client_id,
        "iat": now, "exp": now + LIFETIME, "nonce": uuid.uuid4().hex,
        claims.MESSAGE_TYPE: claims.DEEP_LINKING_RESPONSE, claims.VERSION: claims.LTI_VERSION,
        claims.DEPLOYMENT_ID: deployment_id, claims.DL_CONTENT_ITEMS: items,
    }
    if settings.get("data") is not None:
        body[claims.DL_DATA] = settings["data"]
    return jwt.encode(body, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


def accepts_links(settings: dict) -> bool:
    types = settings.get("accept_types")
    return not isinstance(types, list) or "ltiResourceLink" in types
