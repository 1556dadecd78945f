"""The pre-reply check as an HTTP service, with a page for agents (the ``server`` extra).

app = create_app("knowledge_base/", token="s3cret")   # then: uvicorn, or `consistency serve`
"""

from consistency.server.app import create_app
from consistency.server.service import CheckerFactory, SerialEncoder

__all__ = ["CheckerFactory", "SerialEncoder", "create_app"]
