from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from inspectorate.accountability import api as accountability_api
from inspectorate.accounts import api as accounts_api
from inspectorate.campaigns import api as campaigns_api
from inspectorate.complaints import api as complaints_api
from inspectorate.core.csp import relaxed_styles
from inspectorate.facilities import api as facilities_api
from inspectorate.fieldwork import api as fieldwork_api
from inspectorate.hazards import api as hazards_api
from inspectorate.kpi import api as kpi_api
from inspectorate.orgs import api as orgs_api
from inspectorate.portal import views as portal_views
from inspectorate.rectification import api as rectification_api
from inspectorate.reports import api as reports_api

router = DefaultRouter()
API_MODULES = (
    accounts_api,
    orgs_api,
    campaigns_api,
    complaints_api,
    rectification_api,
    reports_api,
    accountability_api,
    facilities_api,
    hazards_api,
    fieldwork_api,
    kpi_api,
)
for module in API_MODULES:
    module.register(router)

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("accounts/", include("inspectorate.accounts.urls")),
    path("orgs/", include("inspectorate.orgs.urls")),
    path("campaigns/", include("inspectorate.campaigns.urls")),
    path("complaints/", include("inspectorate.complaints.urls")),
    path("rectification/", include("inspectorate.rectification.urls")),
    path("accountability/", include("inspectorate.accountability.urls")),
    path("facilities/", include("inspectorate.facilities.urls")),
    path("hazards/", include("inspectorate.hazards.urls")),
    path("fieldwork/", include("inspectorate.fieldwork.urls")),
    path("kpi/", include("inspectorate.kpi.urls")),
    path("open311/", include("inspectorate.open311.urls")),
    path("public/", include("inspectorate.portal.urls")),
    path("reports/", include("inspectorate.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI: its script served as a file (CSP script-src 'self'), its template's <style> allowed on this page only.
    path("api/v1/docs/", relaxed_styles(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/v1/", include(router.urls)),
]

handler403 = "inspectorate.core.pages.permission_denied"
handler500 = "inspectorate.core.dbfault.server_error"  # 503 when the database is down, else the 500 page
