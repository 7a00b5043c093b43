"""Routes: reports (being written)."""

from fastapi import APIRouter

router = APIRouter()
