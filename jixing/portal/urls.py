from django.urls import path

from jixing.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.org_list, name="org_list"),
    path("learners/", views.learner_list, name="learner_list"),
    path("roles/", views.role_list, name="role_list"),
    path("nominations/", views.nomination_list, name="nomination_list"),
]
