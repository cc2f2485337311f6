from django.urls import reverse


def test_home_page_shows_the_persona_role(client_for, staff):
    response = client_for(staff).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["role"].value == "organization_staff"


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
