from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from duban.supervision import workbench
from duban.web.auth import LoginView

admin.site.site_header = "督查督办系统 管理后台"
admin.site.site_title = "督查督办系统"
admin.site.index_title = "数据维护与更正"

urlpatterns = [
    path("", workbench.home, name="home"),
    path("public/", include("duban.targets.public_urls")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("duban.accounts.password_urls")),
    path("", include("duban.accounts.urls")),
    path("targets/", include("duban.targets.urls")),
    path("notifications/", include("duban.supervision.notification_urls")),
    path("", include("duban.supervision.urls")),
    path("documents/", include("duban.documents.urls")),
    path("reports/", include("duban.reports.urls")),
    path("units/", include("duban.organisations.urls")),
    path("api/", include("duban.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "duban.web.views.bad_request"
handler403 = "duban.web.views.permission_denied"
handler404 = "duban.web.views.page_not_found"
handler500 = "duban.web.views.server_error"
