"""URLs of reports: the coverage dashboard and its lists, cadre compliance, quarterly and annual reports."""

from django.urls import path

from reports.commendations import views as commendation_views
from reports.compliance import views as compliance_views
from reports.coverage import views as coverage_views
from reports.dashboard import views as dashboard_views
from reports.periodic import views as report_views

app_name = "reports"

urlpatterns: list = [
    # Dashboard and the lists behind its figures (reports/coverage/coverage_views.py)
    path("", dashboard_views.dashboard_view, name="dashboard"),
    path("coverage/cells/", coverage_views.coverage_cells, name="coverage_cells"),
    # Cadre compliance, exempt months and the yearly evaluation sheet (reports/compliance/coverage_views.py)
    path("compliance/", compliance_views.compliance_grid, name="compliance"),
    path("compliance/sheet/", compliance_views.evaluation_sheet, name="evaluation_sheet"),
    path("compliance/exemptions/", compliance_views.exemption_list, name="exemption_list"),
    path("compliance/exemptions/new/", compliance_views.exemption_create, name="exemption_create"),
    path(
        "compliance/exemptions/<int:pk>/delete/", compliance_views.exemption_delete, name="exemption_delete"
    ),
    # Quarterly reports and annual summaries (reports/periodic/coverage_views.py)
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/new/", report_views.report_create, name="report_create"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/build/", report_views.report_build, name="report_build"),
    path("reports/<int:pk>/progress/", report_views.report_progress, name="report_progress"),
    path("reports/<int:pk>/finalize/", report_views.report_finalize, name="report_finalize"),
    path("reports/<int:pk>/new-version/", report_views.report_new_version, name="report_new_version"),
    path("reports/<int:pk>/report.docx", report_views.report_docx_view, name="report_docx"),
    path("reports/<int:pk>/report.pdf", report_views.report_pdf_view, name="report_pdf"),
    path("reports/<int:pk>/figures.xlsx", report_views.report_xlsx_view, name="report_xlsx"),
    # Commendations of the annual summary (reports/commendations/coverage_views.py)
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
