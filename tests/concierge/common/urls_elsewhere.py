from django.http import HttpResponse
from django.urls import include, path


def nothing(request, pk):
    return HttpResponse()


clients = ([path("<int:pk>/", nothing, name="detail")], "clients")
urlpatterns = [path("elsewhere/", include(clients))]
