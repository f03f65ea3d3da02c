"""The one API router. Each app registers its viewsets from its ``api.py``."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
