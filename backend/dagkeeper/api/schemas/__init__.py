"""Marshmallow schemas of the web API: one module per resource.

Request schemas validate and load query strings and bodies (unknown fields
rejected). Response schemas document what leaves (every field required, so
the OpenAPI document gives exact types and tests can validate real responses
with them).
"""
