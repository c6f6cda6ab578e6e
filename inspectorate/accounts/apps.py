from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inspectorate.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from . import otp  # noqa: F401  (connects the login signal that records who needs a second factor)
        from .forms import LockoutAdminAuthenticationForm

        # The admin's login shows the same lock-out message as the login page (the lock-out itself is in the
        # authentication backend, so it holds for the admin whatever its form).
        admin.site.login_form = LockoutAdminAuthenticationForm
