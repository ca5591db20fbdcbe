"""The school staff's administration app (``educonnect admin``), separate from the families'."""

from tui.admin.app import AdminApp, make_admin_app

__all__ = ["AdminApp", "make_admin_app"]
