"""Routes: elements (being written)."""

from fastapi import APIRouter

router = APIRouter()
