"""The read-only open-data API: Wagtail's API v2 and endpoints for what is not a page, with its
OpenAPI description.
"""
