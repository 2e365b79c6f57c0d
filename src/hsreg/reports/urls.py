"""The reports' pages. Aggregates for every role; exports by role (accounts.access)."""

from django.urls import path

from hsreg.reports.views.delegated import delegated_courses

from .views import annual, coverage, exports, overrides, pages

app_name = "reports"
urlpatterns = [
    path("", pages.index, name="index"),
    path("indicators/<slug:indicator_id>/", pages.indicator, name="indicator"),
    path("charts/<slug:chart>.<str:fmt>", pages.chart, name="chart"),
    path("distributions/", pages.distributions, name="distributions"),
    path("averages/", pages.averages, name="averages"),
    path("trends/", pages.trends, name="trends"),
    path("administrative/", pages.administrative, name="administrative"),
    path("overrides/", overrides.overrides, name="overrides"),
    # H-resept delegation (TX-6, issue 15): delegated courses per region and practice
    path("delegations/", delegated_courses, name="delegations"),
    path("annual-report/", annual.annual, name="annual"),
    path("annual-report/<uuid:run_id>/", annual.annual_run, name="annual_run"),
    path("annual-report/<uuid:run_id>.pdf", annual.annual_pdf, name="annual_pdf"),
    path("coverage/", coverage.index, name="coverage"),
    path("exports/unit.csv", exports.unit_csv, name="unit_csv"),
    path("exports/research/", exports.research, name="research"),
    path("exports/research.<str:fmt>", exports.research_file, name="research_file"),
]

# the open results, published without login (as on kvalitetsregistre.no)
open_urlpatterns = [
    path("", exports.open_results, name="open_results"),
    path("results.csv", exports.open_results_csv, name="open_results_csv"),
]
