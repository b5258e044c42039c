"""Claim names and role URIs from the IMS LTI 1.3 Core, Deep Linking 2.0, AGS 2.0 and NRPS 2.0
specifications, and the role rule the tool applies."""

from __future__ import annotations

import enum
from collections.abc import Iterable

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
DEEP_LINKING_SETTINGS = DL + "deep_linking_settings"
DL_CONTENT_ITEMS = DL + "content_items"
DL_DATA = DL + "data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
LTI_VERSION = "1.3.0"

SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READ = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

SCORE_MEDIA_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_MEDIA_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_MEDIA_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
MEMBERSHIP_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"


class LtiRole(enum.StrEnum):
    INSTRUCTOR = "instructor"
    LEARNER = "learner"


def _context_role(uri: str) -> str | None:
    """The context role a role URI names ('Instructor', 'Instructor#TeachingAssistant', ...),
    or None for institution and system roles, which say nothing about this course."""
    uri = uri.strip()
    if uri.startswith(MEMBERSHIP + "#"):
        return uri[len(MEMBERSHIP) + 1:]
    if uri.startswith(MEMBERSHIP + "/"):
        return uri[len(MEMBERSHIP) + 1:]
    if "/" not in uri and "#" not in uri:
        return uri  # the short names LTI 1.3 still allows for context roles
    return None


def role_of(roles: Iterable[str]) -> LtiRole | None:
    """Instructor when any context role is Instructor or TeachingAssistant (or a sub-role of
    either); otherwise Learner when one is Learner; otherwise None (refused)."""
    names = {name for name in (_context_role(r) for r in roles if isinstance(r, str)) if name}
    bases = {name.split("#")[0] for name in names}
    if bases & {"Instructor", "TeachingAssistant"} or any(
            name.endswith("#TeachingAssistant") for name in names):
        return LtiRole.INSTRUCTOR
    if "Learner" in bases:
        return LtiRole.LEARNER
    return None
