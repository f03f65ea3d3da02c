from core.resources import resource_urls

app_name = "boards"

urlpatterns = [
    *resource_urls("boards"),
]
