from django.apps import AppConfig


class UnionportalConfig(AppConfig):
    name = "unionportal"
    verbose_name = "乡镇与用户"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate, post_save

        from unionportal import lookups  # noqa: F401 - registers CharField's `prefix`
        from unionportal.datastamp import after_migrate, after_township_saved
        from unionportal.models import Township
        from unionportal.security import start_session_clock

        # Every way of signing in (the login page, its code step, the test client) starts the
        # session's idle and absolute clocks.
        user_logged_in.connect(start_session_clock, dispatch_uid="portal_session_clock")
        # The triggers that change a township's data token on every write to its records
        # (unionportal.datastamp), recreated after every migrate; a new township's tokens.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="portal_datastamp_triggers")
        post_save.connect(
            after_township_saved, sender=Township, dispatch_uid="portal_datastamp_new_township"
        )
