"""The app's routers, one module per concern; :data:`ROUTERS` lists them in mounting order."""

from fastapi import APIRouter

from policygraph.routes import home

ROUTERS: list[APIRouter] = [home.router]

__all__ = ["ROUTERS"]
