"""`GET /v1/vocabularies` and `GET /v1/vocabularies/{name}`: the code lists a service accepts (see
`shared.vocabulary`), each code with its labels in every language of the service's catalogues.

Any authenticated caller may read them (staff, partners, services): they hold no personal data, and the
one rule that every `/v1` route takes a token stays without exceptions. Answers carry a strong `ETag`;
`If-None-Match` with a current tag answers 304 without a body, so a client keeps its copy and asks cheaply.
"""
from __future__ import annotations

import hashlib
import json

import marshmallow as ma
from flask import Response, request
from flask_smorest import Blueprint

from shared.auth import ROLES
from shared.http.openapi import AnswerSchema
from shared.http.problems import Problem
from shared.http.security import require
from shared.texts import Text
from shared.vocabulary import LOCALES, Vocabulary

VocabularyLabelsSchema = AnswerSchema.from_dict(
    {lang: ma.fields.String(required=True) for lang in LOCALES}, name="VocabularyLabelsSchema")


class RubricLevelSchema(AnswerSchema):
    score = ma.fields.Integer(required=True)
    labels = ma.fields.Nested(VocabularyLabelsSchema, required=True, metadata={"description": "what the score means"})


class VocabularyCodeSchema(AnswerSchema):
    code = ma.fields.String(required=True, metadata={"description": "the value the API takes and answers"})
    labels = ma.fields.Nested(VocabularyLabelsSchema, required=True)
    rubric = ma.fields.List(ma.fields.Nested(RubricLevelSchema), metadata={
        "description": "monitoring's domains: what each score from 1 to 5 means"})


class VocabularySchema(AnswerSchema):
    name = ma.fields.String(required=True)
    version = ma.fields.String(metadata={"description": "the scoring scheme the rubric was written for"})
    codes = ma.fields.List(ma.fields.Nested(VocabularyCodeSchema), required=True, metadata={
        "description": "in the order a form offers them"})


class VocabulariesSchema(AnswerSchema):
    locales = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "the languages of the labels"})
    vocabularies = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(VocabularySchema), required=True)


ETAG = {"ETag": {"description": "strong tag of this answer: send it back in If-None-Match",
                 "schema": {"type": "string"}}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                 "description": "the ETag of the copy held: 304 while it is current"}
NOT_MODIFIED = "The copy held (If-None-Match) is current"


def vocabularies_blueprint(vocabulary: Vocabulary) -> Blueprint:
    blp = Blueprint("vocabularies", __name__, url_prefix="/v1/vocabularies",
                    description="The code lists this service accepts, with their labels (nl, en, fr)")
    rendered: dict[str | None, tuple[bytes, str]] = {}

    def answer(name: str | None) -> Response:
        if name not in rendered:
            document = vocabulary.documents() if name is None else vocabulary.document(name)
            body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
            rendered[name] = body, hashlib.sha256(body).hexdigest()[:32]
        body, tag = rendered[name]
        headers = {"ETag": f'"{tag}"', "Cache-Control": "no-cache"}
        if request.if_none_match.contains_weak(tag):
            return Response(status=304, headers=headers)
        return Response(body, mimetype="application/json", headers=headers)

    @blp.route("")
    @blp.doc(parameters=[IF_NONE_MATCH])
    @blp.alt_response(200, schema=VocabulariesSchema, headers=ETAG, success=True)
    @blp.alt_response(304, description=NOT_MODIFIED, headers=ETAG)
    @require(*ROLES)
    def vocabularies():
        """Every code list of this service: statuses, reasons, types... with each code's labels."""
        return answer(None)

    @blp.route("/<name>")
    @blp.doc(parameters=[IF_NONE_MATCH])
    @blp.alt_response(200, schema=VocabularySchema, headers=ETAG, success=True)
    @blp.alt_response(304, description=NOT_MODIFIED, headers=ETAG)
    @require(*ROLES)
    def one_vocabulary(name):
        """One code list (404 for a name `GET /v1/vocabularies` does not list)."""
        if name not in vocabulary.names:
            raise Problem(404, Text("There is no vocabulary {name}; GET /v1/vocabularies lists them.",
                                    name=repr(name[:64])))
        return answer(name)

    return blp
