from core.resources import resource_urls

app_name = "community_service"

urlpatterns = [
    *resource_urls("community_service"),
]
