"""The OpenAPI 3.0 description of the open-data API (``/api/schema/``), written to match what the
API answers; ``tests/api`` checks real answers against it."""

NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}
META = {
    "type": "object",
    "required": ["type", "detail_url", "html_url"],
    "properties": {
        "type": {"type": "string", "example": "news.NewsPage"},
        "detail_url": {"type": "string", "format": "uri"},
        "html_url": {"type": "string", "format": "uri", "nullable": True},
        "slug": {"type": "string"},
        "first_published_at": {"type": "string", "format": "date-time", "nullable": True},
        "search_description": {"type": "string"},
        "show_in_menus": {"type": "boolean"},
        "seo_title": {"type": "string"},
        "locale": {"type": "string"},
        "alias_of": {"nullable": True},
        "parent": {"type": "object", "nullable": True},
    },
}
PAGE = {
    "type": "object",
    "required": ["id", "meta", "title"],
    "properties": {
        "id": {"type": "integer"},
        "meta": META,
        "title": {"type": "string"},
        # news.NewsPage
        "date": {"type": "string", "format": "date"},
        "category": {"type": "string", "enum": ["tin-tuc", "tuyen-truyen", "thong-bao"]},
        "summary": {"type": "string"},
        "body": {"description": "StreamField blocks, or HTML for a directive"},
        # news.DirectivePage (Decree 42/2022 fields of a legal document)
        "doc_type": {"type": "string"},
        "reference": {"type": "string", "example": "1593/UBND-VHTT"},
        "issuer": {"type": "string", "nullable": True},
        "signer": {"type": "string"},
        "signer_title": {"type": "string"},
        "issue_date": {"type": "string", "format": "date"},
        "effective_date": NULLABLE_DATE,
        "status": {"type": "string"},
        "document": {"type": "string", "format": "uri", "nullable": True},
        # eservices.ServicePage (the national procedure database's structure)
        "procedure_code": {"type": "string"},
        "area": {"type": "string", "nullable": True, "description": "Field (lĩnh vực)"},
        "level": {"type": "string"},
        "at_province": {"type": "boolean"},
        "at_district": {"type": "boolean"},
        "at_commune": {"type": "boolean"},
        "agency": {"type": "string"},
        "applicants": {"type": "string"},
        "steps": {"description": "StreamField blocks"},
        "methods": {"description": "StreamField blocks"},
        "components": {"description": "StreamField blocks"},
        "processing_days": {"type": "integer", "nullable": True},
        "processing_time_text": {"type": "string"},
        "fee_items": {"description": "StreamField blocks"},
        "fees": {"type": "string"},
        "result": {"type": "string"},
        "conditions": {"type": "string"},
        "legal_basis": {"description": "StreamField blocks"},
        # consultations.DraftPage (a draft open for comment)
        "drafting_agency": {"type": "string"},
        "opens_at": {"type": "string", "format": "date-time"},
        "closes_at": {"type": "string", "format": "date-time"},
        "open": {"type": "boolean", "nullable": True},
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "heading", "body"],
                "properties": {
                    "id": {"type": "integer"},
                    "heading": {"type": "string"},
                    "body": {"type": "string", "description": "HTML"},
                },
            },
        },
        "response": {"type": "string", "description": "The drafting agency's response (HTML)"},
        # alerts.AlertPage
        "message": {"type": "string"},
        "urgency": {"type": "string", "enum": ["normal", "urgent"]},
        "sent_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}
MEETING = {
    "type": "object",
    "required": ["id", "start", "title", "place", "cancelled"],
    "properties": {
        "id": {"type": "integer"},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time", "nullable": True},
        "title": {"type": "string"},
        "chair": {"type": "string"},
        "participants": {"type": "string"},
        "place": {"type": "string"},
        "prepared_by": {"type": "string"},
        "online": {"type": "boolean"},
        "online_link": {"type": "string", "format": "uri", "nullable": True},
        "cancelled": {"type": "boolean"},
        "note": {"type": "string"},
    },
}
SCHEDULE = {
    "type": "object",
    "required": ["meta", "items"],
    "properties": {
        "meta": {"type": "object", "properties": {"total_count": {"type": "integer"}}},
        "items": {"type": "array", "items": MEETING},
    },
}
QUESTION = {
    "type": "object",
    "required": ["id", "kind", "title", "question", "answer", "answered_at", "html_url"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": ["question", "feedback"]},
        "title": {"type": "string"},
        "question": {"type": "string", "description": "As published (edited for privacy)"},
        "answer": {"type": "string"},
        "answered_by": {"type": "string"},
        "answered_at": {"type": "string", "format": "date-time"},
        "asked_on": {"type": "string", "format": "date"},
        "area": {"type": "string", "nullable": True, "description": "Field (lĩnh vực)"},
        "unit": {
            "type": "object",
            "nullable": True,
            "required": ["code", "name"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
        },
        "html_url": {"type": "string", "format": "uri"},
    },
    "additionalProperties": False,
}
QUESTIONS = {
    "type": "object",
    "required": ["meta", "items"],
    "properties": {
        "meta": {"type": "object", "properties": {"total_count": {"type": "integer"}}},
        "items": {"type": "array", "items": QUESTION},
    },
}
LISTING = {
    "type": "object",
    "required": ["meta", "items"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["total_count"],
            "properties": {"total_count": {"type": "integer"}},
        },
        "items": {"type": "array", "items": PAGE},
    },
}


def _param(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}  # fmt: skip


def document(request=None) -> dict:
    server = request.build_absolute_uri("/api/v2/") if request is not None else "/api/v2/"
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Cổng thông tin: dữ liệu mở / open data",
            "version": "2",
            "description": (
                "Read-only, public: the live, public pages of a site (news, directives, "
                "procedures, guides). Nothing personal. Rate-limited per client; CORS open to GET."
            ),
        },
        "servers": [{"url": server}],
        "paths": {
            "/pages/": {
                "get": {
                    "summary": "Pages of a site",
                    "parameters": [
                        _param(
                            "type",
                            "A page type: news.NewsPage, news.DirectivePage, "
                            "eservices.ServicePage, consultations.DraftPage, alerts.AlertPage",
                        ),
                        _param("site", "Another site's host name (default: this host's site)"),
                        _param("fields", "Fields to add, e.g. date,summary or * for all"),
                        _param("search", "Words to look for"),
                        _param("order", "A field to order by, e.g. -date"),
                        _param("limit", "At most 50", {"type": "integer", "maximum": 50}),
                        _param("offset", "Items to skip", {"type": "integer", "minimum": 0}),
                        _param("child_of", "Children of a page id", {"type": "integer"}),
                        _param("descendant_of", "Under a page id", {"type": "integer"}),
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of results",
                            "content": {"application/json": {"schema": LISTING}},
                        },
                        "400": {"description": "A parameter is wrong (its message says which)"},
                        "429": {"description": "Too many requests: wait and try again"},
                    },
                }
            },
            "/schedule/": {
                "get": {
                    "summary": "The work schedule (lịch công tác) of this host's site",
                    "parameters": [
                        _param(
                            "from",
                            "First day, YYYY-MM-DD (default: today)",
                            {"type": "string", "format": "date"},
                        ),  # fmt: skip
                        _param(
                            "to",
                            "Last day, YYYY-MM-DD (default: six days later)",
                            {"type": "string", "format": "date"},
                        ),  # fmt: skip
                        _param("limit", "At most 50", {"type": "integer", "maximum": 50}),
                        _param("offset", "Items to skip", {"type": "integer", "minimum": 0}),
                    ],
                    "responses": {
                        "200": {
                            "description": "The meetings, earliest first",
                            "content": {"application/json": {"schema": SCHEDULE}},
                        },
                        "400": {"description": "A date or number is not one"},
                        "429": {"description": "Too many requests: wait and try again"},
                    },
                }
            },
            "/questions/": {
                "get": {
                    "summary": "Published questions and answers (hỏi đáp) of this host's site",
                    "parameters": [
                        _param("search", "Words to look for (diacritics optional)"),
                        _param("area", "A field's id", {"type": "integer"}),
                        _param("unit", "An administrative unit's code, e.g. 15349"),
                        _param(
                            "from",
                            "Answered on or after, YYYY-MM-DD",
                            {"type": "string", "format": "date"},
                        ),
                        _param(
                            "to",
                            "Answered on or before, YYYY-MM-DD",
                            {"type": "string", "format": "date"},
                        ),
                        _param("limit", "At most 50", {"type": "integer", "maximum": 50}),
                        _param("offset", "Items to skip", {"type": "integer", "minimum": 0}),
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "Newest answers first",
                            "content": {"application/json": {"schema": QUESTIONS}},
                        },
                        "400": {"description": "A date or number is not one"},
                        "429": {"description": "Too many requests: wait and try again"},
                    },
                }
            },
            "/pages/{id}/": {
                "get": {
                    "summary": "One page with all its fields",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],  # fmt: skip
                    "responses": {
                        "200": {
                            "description": "The page",
                            "content": {"application/json": {"schema": PAGE}},
                        },
                        "404": {"description": "No such live public page on this site"},
                    },
                }
            },
        },
    }
