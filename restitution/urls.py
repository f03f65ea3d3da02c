app_name = "restitution"
urlpatterns = []
