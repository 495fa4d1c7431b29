"""The web server (`parallax serve`): a form page, the REST API and background jobs over parallax.compare.

Needs FastAPI (and uvicorn to serve); importing this package loads no model.
"""

from parallax.web.app import create_app

__all__ = ["create_app"]
