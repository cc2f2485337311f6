"""URLs of reports: the coverage dashboard and its lists, cadre compliance, quarterly and annual reports."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns: list = [
    # Dashboard and the lists behind its figures (reports/views.py)
    path("", views.dashboard_view, name="dashboard"),
    path("coverage/cells/", views.coverage_cells, name="coverage_cells"),
    # Cadre compliance, exempt months and the yearly evaluation sheet (reports/compliance_views.py)
    # Quarterly reports and annual summaries (reports/report_views.py)
    # Commendations of the annual summary (reports/commendation_views.py)
]
