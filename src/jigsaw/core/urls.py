from django.urls import path

from . import auth_views, import_views, views

app_name = "core"

account_patterns = [
    path("accounts/sign-in/", auth_views.SignIn.as_view(), name="login"),
    path("accounts/sign-in/code/", auth_views.SignInTwoFactor.as_view(), name="login-two-factor"),
    path("accounts/sign-in/with/<slug:provider>/", auth_views.SignInWith.as_view(), name="login-with"),
    path("accounts/sign-in/with/<slug:provider>/done/", auth_views.SignInWithDone.as_view(), name="login-with-done"),
    path("accounts/sign-out/", auth_views.SignOut.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordReset.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDone.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/password-reset/done/", auth_views.PasswordResetComplete.as_view(), name="password_reset_complete"),
    path("account/", auth_views.Account.as_view(), name="account"),
    path("account/password/", auth_views.PasswordChange.as_view(), name="password_change"),
    path("account/two-factor/", auth_views.TwoFactorSetup.as_view(), name="two-factor-setup"),
    path("account/two-factor/remove/", auth_views.TwoFactorRemove.as_view(), name="two-factor-remove"),
    path("account/session/stay/", auth_views.SessionStay.as_view(), name="session-stay"),
    path("account/tokens/new/", auth_views.TokenCreate.as_view(), name="token-create"),
    path("account/tokens/<int:pk>/revoke/", auth_views.TokenRevoke.as_view(), name="token-revoke"),
]

partnership_patterns = [
    path("<slug:partnership>/", views.PartnershipHome.as_view(), name="partnership"),
    path("<slug:partnership>/settings/", views.PartnershipSettings.as_view(), name="settings"),
    path("<slug:partnership>/logo/", views.PartnershipLogo.as_view(), name="logo"),
    path("<slug:partnership>/agencies/", views.AgencyList.as_view(), name="agencies"),
    path("<slug:partnership>/agencies/new/", views.AgencyCreate.as_view(), name="agency-create"),
    path("<slug:partnership>/agencies/<int:pk>/", views.AgencyDetail.as_view(), name="agency"),
    path("<slug:partnership>/agencies/<int:pk>/edit/", views.AgencyUpdate.as_view(), name="agency-update"),
    path("<slug:partnership>/people/", views.PersonList.as_view(), name="people"),
    path("<slug:partnership>/people/new/", views.PersonCreate.as_view(), name="person-create"),
    path("<slug:partnership>/people/<int:pk>/", views.PersonDetail.as_view(), name="person"),
    path("<slug:partnership>/people/<int:pk>/edit/", views.PersonUpdate.as_view(), name="person-update"),
    path("<slug:partnership>/people/<int:pk>/access/", views.PersonGrantAccess.as_view(), name="person-grant-access"),
    path(
        "<slug:partnership>/people/<int:pk>/sign-in/", views.PersonSignInSwitch.as_view(), name="person-sign-in-switch"
    ),
    path("<slug:partnership>/roles/<int:pk>/remove/", views.RoleRemove.as_view(), name="role-remove"),
    path("<slug:partnership>/themes/", views.ThemeList.as_view(), name="themes"),
    path("<slug:partnership>/themes/new/", views.ThemeCreate.as_view(), name="theme-create"),
    path("<slug:partnership>/themes/<int:pk>/edit/", views.ThemeUpdate.as_view(), name="theme-update"),
    path("<slug:partnership>/imports/", import_views.ImportList.as_view(), name="imports"),
    path("<slug:partnership>/imports/export/", import_views.ExportZip.as_view(), name="export"),
    path("<slug:partnership>/imports/zip/", import_views.ImportZip.as_view(), name="import-zip"),
    path("<slug:partnership>/imports/<slug:register>/", import_views.ImportRegister.as_view(), name="import"),
    path(
        "<slug:partnership>/imports/<slug:register>/template/",
        import_views.ImportTemplate.as_view(),
        name="import-template",
    ),
    path("<slug:partnership>/audit/", views.AuditList.as_view(), name="audit"),
    path("<slug:partnership>/audit/<str:record_type>/<int:pk>/", views.RecordHistory.as_view(), name="record-history"),
]

site_patterns = [
    path("site/partnerships/", import_views.SitePartnerships.as_view(), name="site-partnerships"),
    path("site/partnerships/new/", import_views.SitePartnershipCreate.as_view(), name="site-partnership-create"),
]

urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    *account_patterns,
    *site_patterns,
    *partnership_patterns,
]
