from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<str:code>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<str:code>/edit/", views.cadre_edit, name="cadre_edit"),
]
