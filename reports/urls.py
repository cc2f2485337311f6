"""URLs of reports: the coverage dashboard and its lists, cadre compliance, quarterly and annual reports."""

from django.urls import path

from . import commendation_views, compliance_views, views

app_name = "reports"

urlpatterns: list = [
    # Dashboard and the lists behind its figures (reports/views.py)
    path("", views.dashboard_view, name="dashboard"),
    path("coverage/cells/", views.coverage_cells, name="coverage_cells"),
    # Cadre compliance, exempt months and the yearly evaluation sheet (reports/compliance_views.py)
    path("compliance/", compliance_views.compliance_grid, name="compliance"),
    path("compliance/sheet/", compliance_views.evaluation_sheet, name="evaluation_sheet"),
    path("compliance/exemptions/", compliance_views.exemption_list, name="exemption_list"),
    path("compliance/exemptions/new/", compliance_views.exemption_create, name="exemption_create"),
    path(
        "compliance/exemptions/<int:pk>/delete/", compliance_views.exemption_delete, name="exemption_delete"
    ),
    # Quarterly reports and annual summaries (reports/report_views.py)
    # Commendations of the annual summary (reports/commendation_views.py)
    path("commendations/", commendation_views.commendation_list, name="commendation_list"),
    path(
        "commendations/<int:year>/cadres/<int:cadre>/",
        commendation_views.commendation_adjust,
        name="commendation_adjust",
    ),
    path(
        "commendations/adjustments/<int:pk>/remove/",
        commendation_views.commendation_remove,
        name="commendation_remove",
    ),
]
