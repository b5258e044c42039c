from __future__ import annotations

from flask import jsonify, request

from app.web.api import bp
from app.web.api.body import BodyError, read_json
from app.web.api.openapi import document
from app.web.api.replies import check_reply, preview_reply
from app.web.checker import checker


def _answer(reply):
    try:
        payload = read_json(request)
    except BodyError as exc:
        return jsonify(exc.to_dict()), exc.status
    status, body, headers = reply(checker(), payload)
    return jsonify(body), status, headers


@bp.post("/check")
def check():
    return _answer(check_reply)


@bp.post("/preview")
def preview():
    return _answer(preview_reply)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
