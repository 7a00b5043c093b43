"""Routes: ontology (being written)."""

from fastapi import APIRouter

router = APIRouter()
