from __future__ import annotations

from flask import current_app, jsonify, request

from app.services import checking
from app.web.api import bp
from app.web.api.body import BodyError, read_json
from app.web.api.openapi import document


def _answer(handler):
    try:
        payload = read_json(request)
    except BodyError as exc:
        return jsonify(exc.to_dict()), exc.status
    config = current_app.config
    status, body = handler(
        payload,
        pool=checking.pool_from_config(config),
        timeout=config["CHECK_TIMEOUT_SECONDS"],
    )
    return jsonify(body), status


@bp.post("/check")
def check():
    return _answer(checking.check)


@bp.post("/preview")
def preview():
    return _answer(checking.preview)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
